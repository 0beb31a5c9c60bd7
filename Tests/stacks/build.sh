#!/usr/bin/env bash
# Builds another Debian release's networking stack as a root folder, for the
# consumer tests that run that release's nft, networkd, libvirt and dnsmasq
# in chroots (Tests/NetcConsumerTests/StackTests.swift):
#
#   Tests/stacks/build.sh SUITE DIR        e.g. trixie .build-stacks/trixie
#
# For sid, libvirt is left out (its consumer checks and networkd scenarios
# only: sid moves daily, and CI may skip it when the mirror cannot serve it).
#
# debootstrap (minbase, with systemd, iproute2, nftables and dnsmasq-base),
# then libvirt's network driver, clients and libxml2-utils with apt inside
# the root (libvirt in debootstrap's --include fails on a pre-dependency),
# no service started (policy-rc.d). A complete DIR is kept (DIR/.netc-stack
# names the versions in it); remove DIR to rebuild. Needs root, debootstrap
# and a Debian mirror (the machine's own, from its apt sources).
set -euo pipefail
suite=$1 dir=$2
if [ -s "$dir/.netc-stack" ]; then cat "$dir/.netc-stack"; exit 0; fi
mirror=$(sed -n 's/^URIs: *\(http[^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
[ -n "$mirror" ] || mirror=$(sed -n 's/^deb \(http[^ ]*\) .*/\1/p' /etc/apt/sources.list 2>/dev/null | head -n1)
mirror=${mirror:-http://deb.debian.org/debian}
rm -rf "$dir"
mkdir -p "$(dirname "$dir")"
debootstrap --variant=minbase --include=systemd,iproute2,nftables,dnsmasq-base "$suite" "$dir" "$mirror" >"$dir.log" 2>&1 \
  || { echo "build.sh: debootstrap $suite failed:"; tail -n 20 "$dir.log"; exit 1; }
printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
chmod 755 "$dir/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$dir/proc"
trap 'umount "$dir/proc" 2>/dev/null || true' EXIT
if [ "$suite" != sid ]; then
  chroot "$dir" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libvirt-daemon libvirt-daemon-driver-network libvirt-clients libxml2-utils >>"$dir.log" 2>&1 \
    || { echo "build.sh: apt-get in the $suite root failed:"; tail -n 20 "$dir.log"; exit 1; }
fi
umount "$dir/proc"
version() { chroot "$dir" dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo none; }
versions="$suite: systemd $(version systemd), libvirt $(version libvirt-clients), nftables $(version nftables), dnsmasq $(version dnsmasq-base)"
echo "$versions" >"$dir/.netc-stack"
echo "$versions"
