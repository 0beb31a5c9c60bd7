# netc: common tasks. `make test` is what the README and .ci/run use.
SWIFT ?= swift
NETC := .build/debug/netc
EXAMPLES := $(sort $(dir $(wildcard examples/*/topology.yaml)))

.PHONY: all build test golden docs bench ci clean

all: build

build:
	$(SWIFT) build

# Every test (XCTest; the suite has no swift-testing tests, so that runner
# is off and the run ends with XCTest's summary). The consumer and namespace
# tests need root and the Debian packages that .ci/run installs; elsewhere
# they skip with a message (and fail under CI=true).
test:
	$(SWIFT) test --disable-swift-testing

# Regenerate every example's expected output. Read the resulting diff line
# by line before committing it: it is what users' hosts will get.
golden: build
	@for d in $(EXAMPLES); do \
		echo "netc build $${d}topology.yaml -o $${d}expected"; \
		$(NETC) build $${d}topology.yaml -o $${d}expected || exit 1; \
	done

# Regenerate docs/diagnostics.md from the diagnostic catalogue.
docs: build
	$(NETC) explain all > docs/diagnostics.md

bench:
	$(SWIFT) run -c release netc-bench

ci:
	bash .ci/run

clean:
	rm -rf .build
