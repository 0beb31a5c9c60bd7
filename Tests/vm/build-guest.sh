#!/usr/bin/env bash
# Builds the guest VM the apply tests boot through libvirt's QEMU driver:
#
#   build-guest.sh DIR      -> DIR/vmlinuz, DIR/guest.gz, DIR/networkd.gz
#
# networkd.gz is a second archive the kernel unpacks over guest.gz: this
# machine's systemd-networkd with its libraries, its user, and the kernel's
# bonding, 802.1Q and bridge modules (this machine's own kernel has no
# bonding or 802.1Q); a test appends a third with its networkd files and
# boots with netc.networkd=1 (Tests/e2e/bonds.sh).
#
# The kernel is Debian's cloud kernel (the package linux-image-cloud-amd64
# depends on, fetched with apt-get download and unpacked, never installed);
# the initramfs is busybox with the kernel's virtio network modules and
# Tests/vm/init. Nothing is installed on the machine; DIR is the cache (an
# existing, complete DIR is kept). Needs apt-get and a Debian mirror.
set -euo pipefail
dir=$1
here=$(cd "$(dirname "$0")" && pwd)
if [ -s "$dir/vmlinuz" ] && [ -s "$dir/guest.gz" ] && [ -s "$dir/networkd.gz" ] && [ "$dir/guest.gz" -nt "$here/init" ]; then exit 0; fi
mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cloud_kernel() { apt-cache depends linux-image-cloud-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-cloud-amd64\)$/\1/p' | head -n1; }
pkg=$(cloud_kernel)
# A machine whose packages came preinstalled may have no package lists.
[ -n "$pkg" ] || { apt-get update -qq >/dev/null 2>&1 || true; pkg=$(cloud_kernel); }
[ -n "$pkg" ] || { echo "build-guest.sh: no linux-image-*-cloud-amd64 in apt's lists (apt-get update?)" >&2; exit 1; }
(cd "$work" && apt-get download -qq "$pkg" 2>/dev/null) || (cd "$work" && apt-get update -qq && apt-get download -qq "$pkg")
dpkg-deb -x "$work"/linux-image-*.deb "$work/kernel"
cp "$work"/kernel/boot/vmlinuz-* "$dir/vmlinuz"

root=$work/root
mkdir -p "$root"/{bin,dev,proc,sys,lib/modules,etc,tmp}
cp /usr/bin/busybox "$root/bin/busybox"
# busybox is linked dynamically here: its libraries come along.
for lib in $(ldd /usr/bin/busybox | grep -o '/[^ ]*'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
for m in virtio virtio_ring virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net \
         llc stp garp mrp 8021q tls bonding bridge; do
  f=$(find "$work/kernel/lib/modules" -name "$m.ko*" | head -n1)
  [ -n "$f" ] || continue   # built into the kernel
  case $f in
    *.xz) xz -dc "$f" >"$root/lib/modules/$m.ko" ;;
    *.zst) zstd -qdc "$f" >"$root/lib/modules/$m.ko" ;;
    *) cp "$f" "$root/lib/modules/$m.ko" ;;
  esac
done
cp "$here/init" "$root/init"
cp "$here/udhcpc.sh" "$root/udhcpc.sh"
chmod 755 "$root/init" "$root/udhcpc.sh"
(cd "$root" && find . | /usr/bin/busybox cpio -o -H newc 2>/dev/null | gzip -9) >"$dir/guest.gz.tmp"

# networkd and what it needs, as a second archive.
nd=$work/networkd
mkdir -p "$nd/lib/systemd" "$nd/etc/systemd/network" "$nd/run"
cp /lib/systemd/systemd-networkd "$nd/lib/systemd/"
for lib in $(ldd /lib/systemd/systemd-networkd | grep -o '/[^ ]*'); do
  mkdir -p "$nd$(dirname "$lib")"
  cp -L "$lib" "$nd$lib"
done
printf 'root:x:0:0:root:/:/bin/sh\nsystemd-network:x:998:998::/:/bin/false\n' >"$nd/etc/passwd"
printf 'root:x:0:\nsystemd-network:x:998:\n' >"$nd/etc/group"
# networkd's DHCPv6 client takes its DUID from the machine ID.
echo 6e657463677565737400000000000001 >"$nd/etc/machine-id"
(cd "$nd" && find . | /usr/bin/busybox cpio -o -H newc 2>/dev/null | gzip -9) >"$dir/networkd.gz"
mv "$dir/guest.gz.tmp" "$dir/guest.gz"
echo "build-guest.sh: $pkg and a busybox initramfs in $dir"
