#!/usr/bin/env bash
# Bonds and VLANs for real: netc's networkd files brought up by networkd
# inside a guest VM, whose kernel has bonding and 802.1Q (this machine's has
# neither):
#
#   bonds.sh GUEST_DIR OUT        (OUT: netc build Tests/e2e/bonds/topology.yaml)
#
# The guest (Tests/vm/build-guest.sh: Debian's cloud kernel, busybox, and
# this machine's systemd-networkd in networkd.gz) boots with OUT/networkd/
# as its /etc/systemd/network and two virtio NICs with the topology's MACs,
# both on one bridge hb0 of the test's host namespace (libvirt's QEMU
# driver, software emulation). Checks: the bond has both members in 802.3ad
# mode, the VLANs have their ids on the bond and their MTU, the host
# addresses are on the VLAN and on the bridge over the other VLAN, networkd
# complains about no line; and from a namespace on hb0, an ARP request
# tagged with VLAN 20 (and 30) is answered by the guest's address there,
# the reply tagged with the same id.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/harness.sh"
GUEST=$(readlink -f "$1") OUT=$(readlink -f "$2")
CONSOLE=$WORK/console

netns host
netns lan
on host ip link add hb0 type bridge
on host ip link set hb0 up
link lan lan0 host hp0
on host ip link set hp0 master hb0
on host ip link set hp0 up
on lan ip link set lan0 up
echo "nameserver 203.0.113.53" >"$WORK/resolv.conf"
start_libvirtd "$PREFIX-host" "$WORK/libvirt" "$WORK/resolv.conf" qemu || { fail "libvirtd did not start"; finish; }

# The guest's initramfs: busybox, networkd, then OUT's files.
mkdir -p "$WORK/files/etc/systemd/network"
cp "$OUT"/networkd/* "$WORK/files/etc/systemd/network/"
(cd "$WORK/files" && find . | busybox cpio -o -H newc 2>/dev/null | gzip) >"$WORK/files.gz"
cat "$GUEST/guest.gz" "$GUEST/networkd.gz" "$WORK/files.gz" >"$WORK/initrd.gz"
guest_vm kvm-bond 384 "$GUEST/vmlinuz" "$WORK/initrd.gz" netc.networkd=1 "$CONSOLE" \
  "<interface type='bridge'><source bridge='hb0'/><mac address='52:54:00:b0:00:01'/></interface>" \
  "<interface type='bridge'><source bridge='hb0'/><mac address='52:54:00:b0:00:02'/></interface>" >"$WORK/host.xml"
virsh -q -c "$QEMU_URI" create "$WORK/host.xml" >/dev/null || { fail "the guest did not start: $(tail -n 5 "$WORK/libvirt/libvirtd.log")"; finish; }
deadline=$((SECONDS + 90))
until grep -q '^check done' "$CONSOLE" 2>/dev/null || ((SECONDS > deadline)); do sleep 0.5; done
grep -q '^check done' "$CONSOLE" || { fail "the guest did not report: $(tail -n 20 "$CONSOLE")"; finish; }
check() { sed -n "s/^check $1 //p" "$CONSOLE" | tr -d '\r' | head -n1; }
slaves=$(check slaves)
[[ " $slaves " == *" eth0 "* && " $slaves " == *" eth1 "* ]] && pass "bond0 has both members: $slaves" || fail "bond0's members: '$slaves'"
[ "$(check mode)" = "802.3ad 4" ] && pass "bond0 is in 802.3ad mode" || fail "bond0's mode: '$(check mode)'"
[ "$(check 'vlan bond0.20')" = "id 20 on bond0" ] && pass "bond0.20 is VLAN 20 on bond0" || fail "bond0.20: '$(check 'vlan bond0.20')'"
[ "$(check 'vlan bond0.30')" = "id 30 on bond0" ] && pass "bond0.30 is VLAN 30 on bond0" || fail "bond0.30: '$(check 'vlan bond0.30')'"
[ "$(check 'mtu bond0.20')" = 1400 ] && pass "bond0.20's MTU is the topology's 1400" || fail "bond0.20's MTU: '$(check 'mtu bond0.20')'"
[ "$(check 'addr bond0.20')" = 192.0.2.10/24 ] && pass "bond0.20 has 192.0.2.10/24" || fail "bond0.20's address: '$(check 'addr bond0.20')'"
[ "$(check 'master bond0.30')" = br30 ] && pass "bond0.30 is a port of br30" || fail "bond0.30's master: '$(check 'master bond0.30')'"
[ "$(check 'addr br30')" = 198.51.100.10/24 ] && pass "br30 has 198.51.100.10/24" || fail "br30's address: '$(check 'addr br30')'"
grep -q '^networkd complains' "$CONSOLE" && fail "networkd complained: $(grep '^networkd complains' "$CONSOLE")" || pass "networkd complained about no line"

# Tagged ARP from the LAN side: the guest answers on each VLAN, tagged.
arp_tagged() {   # VLAN TARGET SENDER
  on lan python3 - "$1" "$2" "$3" <<'PY'
import socket, struct, sys
vlan, target, sender = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("lan0", 0))
mac = s.getsockname()[4]
arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, mac, socket.inet_aton(sender), b"\0" * 6, socket.inet_aton(target))
frame = b"\xff" * 6 + mac + struct.pack("!HH", 0x8100, vlan) + struct.pack("!H", 0x0806) + arp
for _ in range(3):
    s.send(frame)
PY
}
for pair in "20 192.0.2.10 192.0.2.1" "30 198.51.100.10 198.51.100.1"; do
  set -- $pair
  on lan timeout 4 tcpdump -e -n -l -i lan0 "vlan $1" >"$WORK/arp$1" 2>/dev/null &
  tp=$!
  sleep 1
  arp_tagged "$1" "$2" "$3"
  wait $tp || true
  grep -q "vlan $1.*Reply $2 is-at" "$WORK/arp$1" && pass "an ARP request tagged $1 for $2 is answered, tagged $1" \
    || fail "VLAN $1: $(cat "$WORK/arp$1")"
done
virsh -q -c "$QEMU_URI" destroy kvm-bond >/dev/null 2>&1 || true
if failed; then log "--- console"; tail -n 40 "$CONSOLE"; fi
finish
