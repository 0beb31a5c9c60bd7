#!/usr/bin/env bash
# Builds fuzz/netc-fuzz: NetcCore's sources and fuzz/FuzzTarget.swift as one
# module with libFuzzer and AddressSanitizer, Yams' bundled libyaml (CYaml)
# instrumented too. Needs `swift build` first (the compiled templates and the
# Yams checkout come from it).
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build-fuzz
mkdir -p "$out/obj"
templates=$(find .build/plugins/outputs -name CompiledTemplates.swift -path '*NetcCore*' | head -n1)
cyaml=.build/checkouts/Yams/Sources/CYaml
[ -n "$templates" ] && [ -d "$cyaml" ] || { echo "run 'swift build' first" >&2; exit 1; }
objs=()
for c in "$cyaml"/src/*.c; do
  o="$out/obj/$(basename "$c" .c).o"
  clang -O1 -g -fsanitize=fuzzer-no-link,address -I"$cyaml/include" -DYAML_DECLARE_STATIC -c "$c" -o "$o"
  objs+=("$o")
done
# The module the Swift sources import as CYaml.
swiftc -O -g -sanitize=fuzzer,address -parse-as-library -module-name NetcCore \
  -Xcc -fsanitize=fuzzer-no-link,address -I "$cyaml/include" \
  $(find Sources/NetcCore -name '*.swift' | sort) "$templates" fuzz/FuzzTarget.swift \
  "${objs[@]}" -o "$out/netc-fuzz"
echo "$out/netc-fuzz"
