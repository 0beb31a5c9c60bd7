#!/usr/bin/env bash
# The Debian package on clean Debian 12 and 13 (PackageTests):
#
#   Tests/stacks/deb.sh DEB EXAMPLES_DIR CACHE_DIR
#
# lintian reports no error and no warning (tools/debian/lintian-overrides
# says why libyaml is linked in); then, for bookworm and trixie, a clean
# minbase root (debootstrap, with man-db; kept in CACHE_DIR/SUITE between
# runs and copied afresh for each run) gets it with `apt-get install
# ./netc_*.deb` (offline: its Depends are minbase's), and there `netc
# --version` says the package's version, `man netc` shows the page, the
# bash completion loads, and `netc build` of examples/nat gives exactly its
# committed output. Needs root, debootstrap, lintian and a Debian mirror
# (the machine's own) for a root not yet cached.
set -euo pipefail
deb=$(realpath "$1") examples=$(realpath "$2") cache=$3
version=$(dpkg-deb -f "$deb" Version)
mirror=$(sed -n 's/^URIs: *\(http[^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
[ -n "$mirror" ] || mirror=$(sed -n 's/^deb \(http[^ ]*\) .*/\1/p' /etc/apt/sources.list 2>/dev/null | head -n1)
mirror=${mirror:-http://deb.debian.org/debian}

echo "== lintian"
# As a user: lintian warns when run as root.
out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups lintian --fail-on error,warning "$deb" 2>&1) || { echo "$out"; echo "FAIL lintian"; exit 1; }
echo "${out:-no tags}"

work=$(mktemp -d)
cleanup() {
  for r in "$work"/*/; do umount "$r/proc" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

for suite in bookworm trixie; do
  echo "== $suite"
  pristine=$cache/$suite
  if [ ! -s "$pristine/.netc-clean" ]; then
    rm -rf "$pristine"
    mkdir -p "$cache"
    debootstrap --variant=minbase --include=man-db "$suite" "$pristine" "$mirror" >"$pristine.log" 2>&1 \
      || { tail -n 20 "$pristine.log"; echo "FAIL debootstrap $suite"; exit 1; }
    echo "$suite" >"$pristine/.netc-clean"
  fi
  root=$work/$suite
  cp -a "$pristine" "$root"
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  mount -t proc proc "$root/proc"
  cp "$deb" "$root/tmp/"
  cp -r "$examples/nat" "$root/tmp/nat"
  inroot() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
  inroot apt-get install -y -q "/tmp/$(basename "$deb")" >"$work/$suite.apt" 2>&1 || { cat "$work/$suite.apt"; echo "FAIL apt install on $suite"; exit 1; }
  got=$(inroot netc --version)
  [ "$got" = "$version" ] || { echo "FAIL $suite: netc --version says '$got', the package is $version"; exit 1; }
  inroot man -P cat netc >"$work/$suite.man" 2>&1 || { cat "$work/$suite.man"; echo "FAIL $suite: man netc"; exit 1; }
  grep -q "compiler for KVM host networking\|netc build" "$work/$suite.man" || { head "$work/$suite.man"; echo "FAIL $suite: man netc shows no netc page"; exit 1; }
  inroot man -P cat netc-build >/dev/null 2>&1 || { echo "FAIL $suite: man netc-build"; exit 1; }
  inroot bash -c 'source /usr/share/bash-completion/completions/netc && complete -p netc' >/dev/null \
    || { echo "FAIL $suite: the bash completion does not load"; exit 1; }
  inroot netc build /tmp/nat/topology.yaml -o /tmp/out
  diff -r "$examples/nat/expected" "$root/tmp/out" || { echo "FAIL $suite: netc build of examples/nat differs from its expected output"; exit 1; }
  inroot dpkg -s netc | grep -q "^Status: install ok installed" || { echo "FAIL $suite: dpkg does not list netc as installed"; exit 1; }
  echo "ok $suite: apt installed netc $got; man netc, the completion and a build of examples/nat work"
  umount "$root/proc"
done
echo "PASS"
