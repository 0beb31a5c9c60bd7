# netc: common tasks. `make test` is what the README and .ci/run use.
SWIFT ?= swift
NETC := .build/debug/netc
# Release builds (make install, make bench) link the Swift runtime and
# Foundation statically: the installed binary runs on a host without a Swift
# toolchain, and starts in about half the time (docs/benchmarks.md).
RELEASE := $(SWIFT) build -c release --static-swift-stdlib
EXAMPLES := $(sort $(dir $(wildcard examples/*/topology.yaml)))

.PHONY: all build test test-core test-io test-cli test-consumers golden docs graphs bench fuzz install install-files deb uninstall ci clean

all: build

build:
	$(SWIFT) build

# Every test (XCTest; the suite has no swift-testing tests, so that runner
# is off and the run ends with XCTest's summary). The consumer and namespace
# tests need root and the Debian packages that .ci/run installs; elsewhere
# they skip with a message (and fail under CI=true).
test:
	$(SWIFT) test --disable-swift-testing

# One layer at a time (docs/development.md, "Tests"): the compiler in memory
# (seconds), the file system and host code, the netc executable, the real
# consumers and namespaces (root and .ci/run's packages).
test-core:
	$(SWIFT) test --disable-swift-testing --filter NetcCoreTests
test-io:
	$(SWIFT) test --disable-swift-testing --filter NetcIOTests
test-cli:
	$(SWIFT) test --disable-swift-testing --filter NetcCLITests
test-consumers:
	$(SWIFT) test --disable-swift-testing --filter NetcConsumerTests

# Regenerate every example's expected output. Read the resulting diff line
# by line before committing it: it is what users' hosts will get.
golden: build
	@for d in $(EXAMPLES); do \
		echo "netc build $${d}topology.yaml -o $${d}expected"; \
		$(NETC) build $${d}topology.yaml -o $${d}expected || exit 1; \
	done
	@echo "netc build examples/fleet/fleet.yaml -o examples/fleet/expected"; \
		$(NETC) build examples/fleet/fleet.yaml -o examples/fleet/expected 2>/dev/null || exit 1
	@# What netc import libvirt makes of each test network (Tests/import/README.md).
	@cd Tests/import && for f in default routed isolated macvtap services; do \
		echo "netc import libvirt Tests/import/$$f.xml > Tests/import/$$f.yaml"; \
		../../$(NETC) import libvirt $$f.xml -o $$f.yaml 2>/dev/null || exit 1; \
	done; \
	echo "netc import libvirt --uplink br0=eth0 Tests/import/bridge.xml > Tests/import/bridge.yaml"; \
	../../$(NETC) import libvirt --uplink br0=eth0 bridge.xml -o bridge.yaml 2>/dev/null

# Regenerate docs/diagnostics.md from the diagnostic catalogue.
docs: build
	$(NETC) explain all > docs/diagnostics.md
	$(NETC) schema > docs/topology.schema.json
	$(NETC) schema --fleet > docs/fleet.schema.json

# Each example's picture: docs/graphs/NAME.dot (kept current by a test) and
# NAME.svg rendered with Graphviz (apt-get install graphviz).
graphs: build
	@mkdir -p docs/graphs
	@for d in $(EXAMPLES); do n=$$(basename $$d); \
		echo "netc graph $${d}topology.yaml"; \
		$(NETC) graph $${d}topology.yaml > docs/graphs/$$n.dot || exit 1; \
		dot -Tsvg docs/graphs/$$n.dot -o docs/graphs/$$n.svg || exit 1; done
	@echo "netc graph examples/fleet/fleet.yaml"; \
		$(NETC) graph examples/fleet/fleet.yaml > docs/graphs/fleet.dot 2>/dev/null || exit 1; \
		dot -Tsvg docs/graphs/fleet.dot -o docs/graphs/fleet.svg || exit 1

# Speed and memory goals (docs/benchmarks.md): netc against
# the floor (bench/floor.c) and netplan's generator, then the packet path in
# network namespaces (as root). Needs: gcc, libyaml-dev, netplan.io
# (apt-get install gcc libyaml-dev netplan.io, strace); BENCH_SIZES and
# BENCH_FLEETS (hosts) to choose sizes.
BENCH_SIZES ?= 1000,10000,20000,100000
BENCH_FLEETS ?= 250,1000
# Only the two programs it runs are built in release (the tests' support
# target imports XCTest, which a release build has not).
bench:
	$(RELEASE) --product netc && $(RELEASE) --product netc-bench
	@pkg-config --exists yaml-0.1 2>/dev/null || [ -f /usr/include/yaml.h ] || { echo "make bench needs libyaml-dev (apt-get install libyaml-dev)"; exit 1; }
	$(CC) -O2 -Wall -o .build/bench-floor bench/floor.c -lyaml
	.build/release/netc-bench --netc .build/release/netc --floor .build/bench-floor --sizes $(BENCH_SIZES) --fleet-hosts $(BENCH_FLEETS)

# libFuzzer over parse, check, plan and print (fuzz/README.md), with
# AddressSanitizer, seeded from examples/, Tests/corpus/, Tests/import/ and fuzz/findings/.
# Fails on any finding (crash, trap, timeout, out of memory); the input is
# left in .build-fuzz/artifacts/. FUZZ_SECONDS sets the run's length.
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
fuzz: build
	bash fuzz/build.sh
	rm -rf .build-fuzz/artifacts && mkdir -p .build-fuzz/corpus .build-fuzz/artifacts
	cp examples/*/topology.yaml .build-fuzz/corpus/ 2>/dev/null || true
	for f in examples/*/topology.yaml Tests/corpus/*.yaml Tests/import/*.xml fuzz/findings/*; do \
		[ -f "$$f" ] && cp "$$f" ".build-fuzz/corpus/seed-$$(echo $$f | tr / _)"; done; true
	.build-fuzz/netc-fuzz -dict=fuzz/netc.dict -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
		-timeout=10 -max_len=8192 -print_final_stats=1 -jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS) \
		-artifact_prefix=.build-fuzz/artifacts/ .build-fuzz/corpus

# Install: a release build, the man pages (tools/manpages.py, from the
# binary's own command tree) and bash, zsh and fish completions.
#   make install PREFIX=/usr/local DESTDIR=
PREFIX ?= /usr/local
DESTDIR ?=
NETC_BIN ?= .build/release/netc
BINDIR = $(DESTDIR)$(PREFIX)/bin
MANDIR = $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

install:
	$(RELEASE) --product netc
	$(MAKE) install-files NETC_BIN=.build/release/netc

# The copying alone, from NETC_BIN (the tests install a debug build).
install-files:
	install -d $(BINDIR) $(MANDIR) $(BASHDIR) $(ZSHDIR) $(FISHDIR)
	install -s -m 0755 $(NETC_BIN) $(BINDIR)/netc
	rm -rf .build/man && python3 tools/manpages.py $(NETC_BIN) .build/man
	install -m 0644 .build/man/*.1 $(MANDIR)/
	$(NETC_BIN) --generate-completion-script bash > $(BASHDIR)/netc
	$(NETC_BIN) --generate-completion-script zsh > $(ZSHDIR)/_netc
	$(NETC_BIN) --generate-completion-script fish > $(FISHDIR)/netc.fish

# The Debian package: .build/deb/netc_VERSION_ARCH.deb (tools/deb.sh: the
# release binary, man pages, completions, docs, copyright; lintian-clean).
deb:
	$(RELEASE) --product netc
	rm -rf .build/deb
	bash tools/deb.sh .build/release/netc .build/deb

uninstall:
	rm -f $(BINDIR)/netc $(MANDIR)/netc.1 $(MANDIR)/netc-*.1 $(BASHDIR)/netc $(ZSHDIR)/_netc $(FISHDIR)/netc.fish

ci:
	bash .ci/run

clean:
	rm -rf .build
