#!/usr/bin/env bash
# `netc apply` of a fleet host's folder on a live host (docs/fleet.md):
#
#   fleet-apply.sh NETC MEMBER_OUT LEFT_OUT
#
# MEMBER_OUT is a host's folder of a fleet build in which the host is a
# member of an overlay (examples/fleet's kvm3, in lab); LEFT_OUT the same
# host's folder once the fleet has dropped it from the overlay. The host
# namespace runs a private system bus, the real networkd and libvirtd (as
# in apply.sh). Checks:
#   1. apply MEMBER_OUT: the overlay's bridge and VXLAN link up (the link a
#      port of the bridge, its FDB entries to the other members), the
#      gateway on the bridge, libvirt's network of the overlay active;
#   2. apply LEFT_OUT: the VXLAN link and the bridge gone, libvirt's network
#      destroyed and undefined, the host's own network untouched (same
#      bridge, same dnsmasq);
#   3. applying LEFT_OUT again does nothing.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/harness.sh"
NETC=$1 MEMBER=$(readlink -f "$2") LEFT=$(readlink -f "$3")
chmod 755 "$WORK"
ROOT=$WORK/root
BUS="unix:path=$WORK/bus"
[ -z "${NETWORKD_ROOT:-}" ] || stack_tool dbus-daemon "$NETWORKD_ROOT"

netns host
netns sw
link host eth0 sw up0
on sw ip addr add 198.51.100.1/24 dev up0
mkdir -p "$ROOT/etc/systemd/network"
on host dbus-daemon --system --address="$BUS" --nofork --nopidfile >>"$WORK/dbus.log" 2>&1 &
for _ in $(seq 50); do [ -S "$WORK/bus" ] && break; sleep 0.1; done
NETWORKD_BUS=$BUS start_networkd "$PREFIX-host" "$ROOT/etc/systemd/network" "$WORK/networkd.log"
echo "nameserver 198.51.100.53" >"$WORK/resolv.conf"
start_libvirtd "$PREFIX-host" "$WORK/libvirt" "$WORK/resolv.conf" || { fail "libvirtd did not start"; finish; }
sleep 1
apply() { on host env DBUS_SYSTEM_BUS_ADDRESS="$BUS" "$NETC" apply "$@" --root "$ROOT" --connect "$LIBVIRT_URI"; }
active() { virsh -q -c "$LIBVIRT_URI" net-info "$1" 2>/dev/null | sed -n 's/^Active: *//p'; }
ifindex() { on host cat "/sys/class/net/$1/ifindex" 2>/dev/null; }

# 1. The member's folder: the overlay comes up.
if apply "$MEMBER" >"$WORK/apply1.log" 2>&1; then pass "apply of the member's folder"; else fail "apply: $(cat "$WORK/apply1.log")"; finish; fi
wait_for "the overlay's gateway on vxbr200" has_addr host vxbr200 10.200.0.1/24 || { cat "$WORK/networkd.log"; finish; }
on host ip -o link show vx10200 | grep -q "master vxbr200" && pass "vx10200 is a port of vxbr200" || fail "vx10200: $(on host ip -o link show vx10200 2>&1)"
fdb=$(on host bridge fdb show dev vx10200)
grep -q "00:00:00:00:00:00 dst 198.51.100.11" <<<"$fdb" && grep -q "00:00:00:00:00:00 dst 198.51.100.12" <<<"$fdb" \
  && pass "vx10200 floods to kvm1 and kvm2" || fail "vx10200's FDB: $fdb"
[ "$(active lab)" = yes ] && pass "libvirt's network lab is active" || fail "lab: '$(active lab)'"
[ "$(active default)" = yes ] && pass "the host's own network default is active" || fail "default: '$(active default)'"
virbr0=$(ifindex virbr0) dnsmasq=$(cat "$WORK/libvirt/run/libvirt/network/default.pid")

# 2. The fleet drops the host from lab: the overlay goes.
if apply "$LEFT" >"$WORK/apply2.log" 2>&1; then pass "apply of the folder without lab"; else fail "apply: $(cat "$WORK/apply2.log")"; fi
wait_for "vx10200 deleted" sh -c "! ip netns exec $PREFIX-host ip link show vx10200"
wait_for "vxbr200 deleted" sh -c "! ip netns exec $PREFIX-host ip link show vxbr200"
virsh -q -c "$LIBVIRT_URI" net-list --all --name | grep -qx lab && fail "libvirt still has lab" || pass "libvirt's network lab destroyed and undefined"
[ "$(ifindex virbr0)" = "$virbr0" ] && [ "$(cat "$WORK/libvirt/run/libvirt/network/default.pid")" = "$dnsmasq" ] \
  && pass "the host's own network untouched (same bridge, same dnsmasq)" || fail "default was restarted"
[ -e "$ROOT/etc/systemd/network/45-netc-vx10200.netdev" ] && fail "the VXLAN link's file is still installed" || pass "the overlay's files removed"
on host nft list ruleset | grep -q "4789" && fail "the ruleset still takes VXLAN" || pass "the ruleset no longer mentions VXLAN"

# 3. Again: nothing to do.
apply "$LEFT" >"$WORK/apply3.log" 2>&1 || fail "apply again: $(cat "$WORK/apply3.log")"
grep -qE "run |install |remove " "$WORK/apply3.log" && fail "applying the same folder again acted: $(cat "$WORK/apply3.log")" || pass "applying it again does nothing"
if failed; then for f in "$WORK"/apply*.log; do log "--- $f"; cat "$f"; done; fi
finish
