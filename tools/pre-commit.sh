#!/usr/bin/env bash
# netc's pre-commit hooks (.pre-commit-hooks.yaml; docs/config-management.md):
#
#   pre-commit.sh check [FILE...]                   netc check on each
#   pre-commit.sh build-check [--out NAME] [FILE...] netc build FILE -o DIR/NAME --check on each
#
# FILE: a topology or a fleet file; none named: every file git tracks
# named topology.yaml or fleet.yaml (.yml too), anywhere in the repository.
# build-check compares each with the OUT beside it (DIR/out, or DIR/NAME).
# netc must be on PATH (the Debian package, or make install). Exits 1 if
# any file fails, after checking them all.
set -uo pipefail
mode=${1:?usage: pre-commit.sh check|build-check [--out NAME] [FILE...]}
shift
out=out
if [ "${1:-}" = "--out" ]; then out=${2:?--out NAME}; shift 2; fi
command -v netc >/dev/null || { echo "netc is not on PATH: install it (apt install ./netc_*.deb, or make install)" >&2; exit 1; }
files=("$@")
if [ ${#files[@]} = 0 ]; then
  mapfile -t files < <(git ls-files -- '*topology.yaml' '*topology.yml' '*fleet.yaml' '*fleet.yml')
fi
status=0
for f in "${files[@]}"; do
  case $mode in
    check) netc check "$f" || status=1 ;;
    build-check) netc build "$f" -o "$(dirname "$f")/$out" --check || status=1 ;;
    *) echo "pre-commit.sh: no mode $mode (check, build-check)" >&2; exit 2 ;;
  esac
done
exit $status
