#!/usr/bin/env bash
# Builds another Debian release's networking stack as a root folder, for the
# consumer tests that run that release's nft, networkd, libvirt and dnsmasq
# in chroots (Tests/NetcConsumerTests/StackTests.swift):
#
#   Tests/stacks/build.sh SUITE DIR        e.g. trixie .build-stacks/trixie
#
# sid moves daily, and CI may skip it when the mirror cannot serve it.
#
# debootstrap (minbase, with systemd, iproute2, nftables and dnsmasq-base),
# then libvirt's network driver, clients, libxml2-utils, iptables (for
# libvirt's own firewall in adopt.sh), ufw and firewalld (the scenarios of
# netc beside them) with apt inside the root (libvirt in
# debootstrap's --include fails on a pre-dependency), no service started
# (policy-rc.d). Needs root, debootstrap and a Debian
# mirror (the machine's own, from its apt sources).
#
# A complete DIR is kept between runs, keyed by the versions of systemd,
# libvirt, nftables and dnsmasq in it (DIR/.netc-stack) and by this
# script (DIR/.netc-recipe): while the mirror's index of SUITE names the
# same versions and the script is the same, DIR is used as it is; else it is
# built again. An unreadable index keeps DIR (said so).
set -euo pipefail
suite=$1 dir=$2
mirror=$(sed -n 's/^URIs: *\(http[^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
[ -n "$mirror" ] || mirror=$(sed -n 's/^deb \(http[^ ]*\) .*/\1/p' /etc/apt/sources.list 2>/dev/null | head -n1)
mirror=${mirror:-http://deb.debian.org/debian}
# The mirror's versions, in the form of .netc-stack.
indexed() {
  python3 - "$mirror/dists/$suite/main/binary-$(dpkg --print-architecture)/Packages.xz" "$suite" <<'PY'
import lzma, sys, urllib.request
want = {"systemd": "systemd", "libvirt-clients": "libvirt", "nftables": "nftables", "dnsmasq-base": "dnsmasq"}
found, name = {}, None
with urllib.request.urlopen(sys.argv[1], timeout=60) as r, lzma.open(r, "rt", encoding="utf-8", errors="replace") as f:
    for line in f:
        if line.startswith("Package: "): name = line[9:].strip()
        elif line.startswith("Version: ") and name in want: found[name] = line[9:].strip()
print(sys.argv[2] + ": " + ", ".join(f"{label} {found.get(p, 'none')}" for p, label in want.items()))
PY
}
recipe=$(sha256sum "$0" | cut -d' ' -f1)
if [ -s "$dir/.netc-stack" ] && [ "$(cat "$dir/.netc-recipe" 2>/dev/null)" != "$recipe" ]; then
  echo "build.sh: $dir was built by another version of this script: building it again"
elif [ -s "$dir/.netc-stack" ]; then
  if ! now=$(indexed 2>/dev/null); then
    echo "build.sh: the mirror's index of $suite is unreadable: keeping $dir as it is"; cat "$dir/.netc-stack"; exit 0
  elif [ "$now" = "$(cat "$dir/.netc-stack")" ]; then
    cat "$dir/.netc-stack"; exit 0
  fi
  echo "build.sh: $dir holds $(cat "$dir/.netc-stack"); the mirror has $now: building it again"
fi
rm -rf "$dir"
mkdir -p "$(dirname "$dir")"
debootstrap --variant=minbase --include=systemd,iproute2,nftables,dnsmasq-base "$suite" "$dir" "$mirror" >"$dir.log" 2>&1 \
  || { echo "build.sh: debootstrap $suite failed:"; tail -n 20 "$dir.log"; exit 1; }
printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
chmod 755 "$dir/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$dir/proc"
trap 'umount "$dir/proc" 2>/dev/null || true' EXIT
chroot "$dir" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  libvirt-daemon libvirt-daemon-driver-network libvirt-clients libxml2-utils iptables ufw firewalld >>"$dir.log" 2>&1 \
  || { echo "build.sh: apt-get in the $suite root failed:"; tail -n 20 "$dir.log"; exit 1; }
umount "$dir/proc"
version() { chroot "$dir" dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo none; }
versions="$suite: systemd $(version systemd), libvirt $(version libvirt-clients), nftables $(version nftables), dnsmasq $(version dnsmasq-base)"
echo "$recipe" >"$dir/.netc-recipe"
echo "$versions" >"$dir/.netc-stack"
echo "$versions"
