#!/usr/bin/env bash
# `netc apply` and `netc status` with a real guest VM, in throwaway
# namespaces:
#
#   guests.sh NETC GUEST_DIR G0 G1 G2 G3 G4 G5
#
# GUEST_DIR holds the kernel and initramfs of Tests/vm/build-guest.sh. The
# host namespace runs a private system bus, systemd-networkd, libvirtd with
# its network and QEMU drivers (the guest is QEMU under software emulation,
# its NIC a tap libvirt plugs into the network's bridge) and nft; files go
# under a root folder of the test's (--root). The guest probes upstream
# twice a second and prints each probe on its serial console. Checks:
#   1. g0 from nothing: the guest leases and reaches upstream; status: in
#      sync (exit 0);
#   2. g1, a reservation added: applied live, no probe lost;
#   3. g2, the DHCP range changed: applied live (net-update, no restart), no
#      probe lost, the tap still on the bridge;
#   4. g3, the subnet changed: refused without --allow-guest-disruption
#      (exit 2, the guest and its tap named, the host unchanged: status in
#      sync with g2); the dry run names the tap it plugs back; with the
#      flag the tap is back on the bridge when apply returns, and after its
#      DHCP renew the guest reaches upstream from its new address;
#   5. g4, the network removed while the guest runs: refused without the
#      flag (exit 2), the host unchanged;
#   5b. g5, the guests isolated (security.isolate_guests): after the
#      restart the tap apply plugs back is isolated, and a guest started
#      then gets an isolated port from libvirt itself; back to g3;
#   6. drift by hand (virsh net-update, nft add rule in netc's table, an
#      address removed from the bridge, forwarding turned off): status names
#      each (exit 2, and in JSON); apply mends them; status in sync again;
#   7. the same OUT applied twice: the second run makes no mutating call
#      (every command apply ran is logged, NETC_COMMAND_LOG);
#   8. pre-flight: a networkd file that shadows netc's, an ifupdown stanza,
#      a NetworkManager connection and another table's forward drop policy
#      are each named and stop the apply before any change (exit 2); status
#      names them too; --ignore-preflight applies anyway.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/harness.sh"
NETC=$1 GUEST=$(readlink -f "$2")
G0=$(readlink -f "$3") G1=$(readlink -f "$4") G2=$(readlink -f "$5") G3=$(readlink -f "$6") G4=$(readlink -f "$7") G5=$(readlink -f "$8")
chmod 755 "$WORK"   # networkd drops to its own user and must reach the bus
ROOT=$WORK/root
BUS="unix:path=$WORK/bus"
CONSOLE=$WORK/g1.console

netc() { on host env DBUS_SYSTEM_BUS_ADDRESS="$BUS" ${LOGFILE:+NETC_COMMAND_LOG=$LOGFILE} "$NETC" "$@" --root "$ROOT" --connect "$QEMU_URI"; }
# in_sync OUT WHAT: status says the host matches OUT.
in_sync() {
  local out s=0
  out=$(netc status "$1" 2>&1) || s=$?
  if [ $s = 0 ] && grep -q "^in sync" <<<"$out"; then pass "status: in sync with $(basename "$1") $2"
  else fail "status with $(basename "$1") $2: exit $s: $out"; fi
}
# mark: the console's line count now; probes_since MARK: its lines after.
mark() { wc -l <"$CONSOLE"; }
probes_since() { tail -n +"$(($1 + 1))" "$CONSOLE" | grep '^probe ' || true; }
# no_probe_lost MARK WHAT: after MARK at least 4 probes, all ok.
no_probe_lost() {
  local p
  sleep 3
  p=$(probes_since "$1")
  if [ "$(grep -c ' ok ' <<<"$p")" -ge 4 ] && ! grep -q ' lost ' <<<"$p"; then pass "$2: no probe lost ($(grep -c ' ok ' <<<"$p") ok)"
  else fail "$2: probes since: $(tr '\n' ';' <<<"$p")"; fi
}
tap_on() { on host ip -o link show dev "$1" 2>/dev/null | grep -q " master $2 "; }

netns host
netns upstream
link host eth0 upstream up0
on upstream ip addr add 203.0.113.1/24 dev up0
mkdir -p "$ROOT/etc/systemd/network"
on host dbus-daemon --system --address="$BUS" --nofork --nopidfile >"$WORK/dbus.log" 2>&1 &
for _ in $(seq 50); do [ -S "$WORK/bus" ] && break; sleep 0.1; done
NETWORKD_BUS=$BUS start_networkd "$PREFIX-host" "$ROOT/etc/systemd/network" "$WORK/networkd.log"
echo "nameserver 203.0.113.53" >"$WORK/resolv.conf"
start_libvirtd "$PREFIX-host" "$WORK/libvirt" "$WORK/resolv.conf" qemu || { fail "libvirtd did not start"; finish; }

# 1. g0 from nothing, and a guest.
netc apply "$G0" 2>"$WORK/apply0.log" && pass "apply g0 from nothing" || { fail "apply g0: $(cat "$WORK/apply0.log")"; finish; }
wait_for "eth0's address" has_addr host eth0 203.0.113.10/24 || true
nic() { echo "<interface type='network'><source network='default'/><mac address='$1'/></interface>"; }
guest_vm g1 256 "$GUEST/vmlinuz" "$GUEST/guest.gz" netc.probe=203.0.113.1 "$CONSOLE" "$(nic 52:54:00:00:00:20)" >"$WORK/g1.xml"
virsh -q -c "$QEMU_URI" create "$WORK/g1.xml" >/dev/null || { fail "the guest did not start: $(tail -n 5 "$WORK/libvirt/libvirtd.log")"; finish; }
wait_for "the guest reaching upstream" sh -c "grep -q '^probe [0-9]* ok 192.168.122.' '$CONSOLE'" || true
grep -q '^probe [0-9]* ok 192.168.122.' "$CONSOLE" && pass "the guest VM leased $(grep -o 'ok 192.168.122.[0-9]*' "$CONSOLE" | tail -n1 | cut -c4-) and reaches upstream" \
  || { fail "the guest never reached upstream: $(tail -n 5 "$CONSOLE")"; finish; }
TAP=$(virsh -q -c "$QEMU_URI" domiflist g1 | awk '{print $1}')
in_sync "$G0" "after the first apply"

# 2. A reservation added: live.
m=$(mark)
netc apply "$G1" 2>"$WORK/apply1.log" || fail "apply g1: $(cat "$WORK/apply1.log")"
grep -q "net-update default add ip-dhcp-host" "$WORK/apply1.log" && ! grep -q "net-destroy" "$WORK/apply1.log" \
  && pass "the reservation was added live (net-update, no restart)" || fail "g1 was applied as: $(cat "$WORK/apply1.log")"
no_probe_lost "$m" "a reservation added"
in_sync "$G1" "after the reservation"

# 3. The DHCP range changed: live.
m=$(mark)
netc apply "$G2" 2>"$WORK/apply2.log" || fail "apply g2: $(cat "$WORK/apply2.log")"
grep -q "net-update default delete ip-dhcp-range" "$WORK/apply2.log" && grep -q "net-update default add ip-dhcp-range" "$WORK/apply2.log" \
  && ! grep -q "net-destroy" "$WORK/apply2.log" && pass "the range changed live (net-update, no restart)" || fail "g2 was applied as: $(cat "$WORK/apply2.log")"
virsh -q -c "$QEMU_URI" net-dumpxml default | grep -q "range start='192.168.122.150' end='192.168.122.200'" \
  && pass "libvirt runs the new range" || fail "libvirt runs: $(virsh -q -c "$QEMU_URI" net-dumpxml default | grep range)"
no_probe_lost "$m" "the DHCP range changed"
tap_on "$TAP" virbr0 && pass "$TAP is still on virbr0" || fail "$TAP left virbr0: $(on host ip -o link show dev "$TAP")"
in_sync "$G2" "after the range"

# 4. The subnet changed: a restart, refused without the flag.
s=0; netc apply "$G3" >"$WORK/apply3.log" 2>&1 || s=$?
[ $s = 2 ] && grep -q "restart network default, which running guests use: g1 ($TAP)" "$WORK/apply3.log" \
  && grep -q "nothing was changed; pass --allow-guest-disruption" "$WORK/apply3.log" \
  && pass "a restart under a running guest is refused (exit 2), naming g1 ($TAP)" || fail "apply g3 without the flag: exit $s: $(cat "$WORK/apply3.log")"
in_sync "$G2" "after the refusal (the host unchanged)"
netc apply "$G3" --allow-guest-disruption --dry-run >"$WORK/apply3d.log" 2>&1 || fail "dry run: $(cat "$WORK/apply3d.log")"
grep -q "plug $TAP (guest g1) back into virbr0" "$WORK/apply3d.log" && pass "the dry run names the tap it plugs back" \
  || fail "dry run: $(cat "$WORK/apply3d.log")"
netc apply "$G3" --allow-guest-disruption 2>"$WORK/apply3b.log" || fail "apply g3 with the flag: $(cat "$WORK/apply3b.log")"
tap_on "$TAP" virbr0 && pass "after the restart $TAP is back on virbr0 when apply returns" || fail "$TAP: $(on host ip -o link show dev "$TAP")"
wait_for "the guest on its new subnet" sh -c "grep -q '^probe [0-9]* ok 192.168.123.' '$CONSOLE'" || true
grep -q '^probe [0-9]* ok 192.168.123.' "$CONSOLE" \
  && pass "after its DHCP renew the guest reaches upstream from $(grep -o 'ok 192.168.123.[0-9]*' "$CONSOLE" | tail -n1 | cut -c4-)" \
  || fail "the guest is cut off: $(tail -n 5 "$CONSOLE")"
in_sync "$G3" "after the restart"

# 5. The network removed under the guest: refused.
s=0; netc apply "$G4" >"$WORK/apply4.log" 2>&1 || s=$?
[ $s = 2 ] && grep -q "remove network default, which running guests use: g1 ($TAP)" "$WORK/apply4.log" \
  && pass "removing a network a running guest uses is refused (exit 2)" || fail "apply g4: exit $s: $(cat "$WORK/apply4.log")"
in_sync "$G3" "after the refused removal"

# 5b. Isolated guests: netc's plug and libvirt's own both isolate the port.
netc apply "$G5" --allow-guest-disruption 2>"$WORK/apply5b.log" || fail "apply g5: $(cat "$WORK/apply5b.log")"
grep -q "plug $TAP (guest g1) back into virbr0, isolated" "$WORK/apply5b.log" && on host ip -d link show dev "$TAP" | grep -q "isolated on" \
  && pass "after the restart $TAP is plugged back isolated" || fail "$TAP after g5: $(on host ip -d link show dev "$TAP" | head -n 3); $(cat "$WORK/apply5b.log")"
guest_vm g2 256 "$GUEST/vmlinuz" "$GUEST/guest.gz" netc.probe=203.0.113.1 "$WORK/g2.console" "$(nic 52:54:00:00:00:21)" >"$WORK/g2.xml"
virsh -q -c "$QEMU_URI" create "$WORK/g2.xml" >/dev/null || fail "the second guest did not start"
TAP2=$(virsh -q -c "$QEMU_URI" domiflist g2 | awk '{print $1}')
on host ip -d link show dev "$TAP2" 2>/dev/null | grep -q "isolated on" && pass "libvirt plugs a new guest's tap ($TAP2) isolated" \
  || fail "$TAP2: $(on host ip -d link show dev "$TAP2" 2>&1 | head -n 3)"
virsh -q -c "$QEMU_URI" destroy g2 >/dev/null 2>&1 || true
netc apply "$G3" --allow-guest-disruption 2>"$WORK/apply5c.log" || fail "back to g3: $(cat "$WORK/apply5c.log")"
on host ip -d link show dev "$TAP" | grep -q "isolated off" && pass "back at g3, $TAP is not isolated" || fail "$TAP after g3: $(on host ip -d link show dev "$TAP" | head -n 3)"
wait_for "the guest reaching upstream after the restarts" sh -c "tail -n 3 '$CONSOLE' | grep -q ' ok 192.168.123.'" || true

# 6. A reload of the ruleset (as nftables.service's reload and netc's unit
#    do) is no drift, whatever order the kernel lists a set in afterwards.
on host nft -f "$ROOT/etc/netc/netc.nft"
in_sync "$G3" "after the ruleset was loaded again"

# 6b. Drift by hand.
virsh -q -c "$QEMU_URI" net-update default add ip-dhcp-host "<host mac='52:54:00:00:00:99' ip='192.168.123.99'/>" --live --config >/dev/null
chain=$(on host nft list table inet netc | sed -n 's/^\tchain \([a-z_]*\) {/\1/p' | head -n1)
on host nft add rule inet netc "$chain" counter
on host ip addr del 192.168.123.1/24 dev virbr0
on host sysctl -qw net.ipv4.ip_forward=0
s=0; netc status "$G3" >"$WORK/status.log" 2>&1 || s=$?
[ $s = 2 ] && pass "status after drift: exit 2" || fail "status after drift: exit $s"
for what in "DHCP host 52:54:00:00:00:99 is live, not in OUT" "table inet netc: differs from the one apply loaded" \
            "link virbr0: address 192.168.123.1/24 missing" "sysctl net.ipv4.ip_forward: 0, OUT says 1"; do
  grep -qF "$what" "$WORK/status.log" && pass "status names: $what" || fail "status does not say '$what': $(cat "$WORK/status.log")"
done
json=$(netc status "$G3" --format json 2>/dev/null || true)
python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if not d["inSync"] and len(d["differences"]) >= 4 else 1)' <<<"$json" \
  && pass "status --format json: not in sync, each difference listed" || fail "status --format json"
netc apply "$G3" 2>"$WORK/apply6.log" || fail "apply after drift: $(cat "$WORK/apply6.log")"
in_sync "$G3" "after apply mended the drift"
wait_for "the guest reaching upstream again" sh -c "tail -n 3 '$CONSOLE' | grep -q ' ok 192.168.123.'" || true

# 7. The same OUT twice: only reads.
LOGFILE=$WORK/commands.log netc apply "$G3" 2>"$WORK/apply7.log" || fail "apply g3 again: $(cat "$WORK/apply7.log")"
grep -q "nothing to do" "$WORK/apply7.log" && pass "applying g3 again: nothing to do" || fail "apply g3 again: $(cat "$WORK/apply7.log")"
mutating=$(not_reads "$WORK/commands.log")
[ -s "$WORK/commands.log" ] && [ -z "$mutating" ] && pass "the second apply ran only reads ($(wc -l <"$WORK/commands.log") commands)" \
  || fail "the second apply ran: $mutating"

# 8. Pre-flight: what would fight netc is reported before any change.
mkdir -p "$ROOT/etc/network" "$ROOT/etc/NetworkManager/system-connections"
printf '[Match]\nName=eth*\n\n[Network]\nDHCP=yes\n' >"$ROOT/etc/systemd/network/05-hand.network"
printf 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet dhcp\n' >"$ROOT/etc/network/interfaces"
printf '[connection]\nid=bridge\ninterface-name=virbr0\n' >"$ROOT/etc/NetworkManager/system-connections/bridge.nmconnection"
on host nft add table ip filter
on host nft add chain ip filter FORWARD '{ type filter hook forward priority 0; policy drop; }'
on host sysctl -qw net.ipv4.ip_forward=0   # something for apply to do
s=0; netc apply "$G3" >"$WORK/apply8.log" 2>&1 || s=$?
[ $s = 2 ] && grep -q "pre-flight found 5 thing(s) on this host that would fight netc (above): nothing was changed" "$WORK/apply8.log" \
  && [ "$(on host sysctl -n net.ipv4.ip_forward)" = 0 ] && pass "pre-flight stops the apply before any change (exit 2)" \
  || fail "apply with pre-flight findings: exit $s: $(cat "$WORK/apply8.log")"
for what in "/etc/systemd/network/05-hand.network:2: [networkd-shadow] matches eth0 and sorts before netc's 10-netc-eth0.network" \
            "/etc/network/interfaces:5: [ifupdown] ifupdown manages eth0" "/etc/network/interfaces:4: [ifupdown] ifupdown manages eth0" \
            "/etc/NetworkManager/system-connections/bridge.nmconnection:3: [networkmanager] a NetworkManager connection for virbr0" \
            "table ip filter, chain FORWARD: [drop-policy] hook forward with policy drop"; do
  grep -qF "preflight: $what" "$WORK/apply8.log" && pass "pre-flight names: $what" || fail "pre-flight does not say '$what': $(cat "$WORK/apply8.log")"
done
netc status "$G3" >/dev/null 2>"$WORK/status8.log" || true
grep -qF "preflight: table ip filter, chain FORWARD" "$WORK/status8.log" && pass "status reports pre-flight's findings too" || fail "status: $(cat "$WORK/status8.log")"
netc apply "$G3" --ignore-preflight 2>"$WORK/apply8b.log" && [ "$(on host sysctl -n net.ipv4.ip_forward)" = 1 ] \
  && pass "--ignore-preflight applies anyway" || fail "apply --ignore-preflight: $(cat "$WORK/apply8b.log")"

virsh -q -c "$QEMU_URI" destroy g1 >/dev/null 2>&1 || true
if failed; then for f in "$WORK"/apply*.log; do log "--- $f"; cat "$f"; done; log "--- console"; tail -n 20 "$CONSOLE"; fi
finish
