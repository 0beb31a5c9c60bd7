#!/usr/bin/env bash
# `netc apply` against the real services in throwaway namespaces:
#
#   apply.sh NETC V1_OUT V2_OUT V3_OUT V4_OUT V5_OUT
#
# The host namespace runs a private system bus (dbus-daemon on a socket in
# the test's folder, which networkctl and networkd reach through
# DBUS_SYSTEM_BUS_ADDRESS), systemd-networkd on ROOT/etc/systemd/network,
# libvirtd (network driver only) and nft; the host's files go under a root
# folder of the test's own (--root). Checks, in order:
#   1. apply v1 from nothing: links, addresses, sysctl, ruleset, boot unit,
#      libvirt networks active and autostart; a guest leases and reaches
#      upstream;
#   6. apply v2 --dry-run lists its actions and changes nothing;
#   2. apply v2: the network added, the one removed gone, the reservation
#      change taken live, the changed bridge address restarted; eth0 and
#      the unchanged network untouched (same ifindex, dnsmasq not
#      restarted, the guest keeps its lease and connectivity); the files
#      equal v2's;
#   6. applying v2 again does nothing;
#   3. v3 (which cuts the host off upstream) with --confirm and no
#      confirmation: the host is back at v2 (files, addresses, ruleset,
#      networks) and the guest reaches upstream again; confirmed from
#      another shell, v3 stays;
#   4. an apply killed (SIGKILL) half way: the next apply rolls it back
#      first and leaves v2 whole;
#      a step that fails (libvirt refuses to start a network whose subnet
#      the host routes elsewhere): rolled back to v2, exit 5; and --confirm
#      answered with Enter on a terminal;
#   5. "reboot": every daemon stopped, links, addresses, ruleset and
#      forwarding flushed, then started again from the installed files
#      only (sysctl file, networkd, the boot unit's command, libvirtd with
#      its autostart networks): the host is at v2 again;
#   7. v5 changes the DHCPv6 range of a network with IPv4 and DHCPv6
#      ranges: taken live, under the right <ip>.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/harness.sh"
NETC=$1 V1=$(readlink -f "$2") V2=$(readlink -f "$3") V3=$(readlink -f "$4") V4=$(readlink -f "$5") V5=$(readlink -f "$6")
chmod 755 "$WORK"   # networkd drops to its own user and must reach the bus
ROOT=$WORK/root
BUS="unix:path=$WORK/bus"

# The private system bus networkd and networkctl meet on: the machine's
# dbus-daemon, or with NETWORKD_ROOT the root's (its policy for networkd's
# name and its users), chrooted by the harness's stack_tool.
[ -z "${NETWORKD_ROOT:-}" ] || stack_tool dbus-daemon "$NETWORKD_ROOT"
start_bus() {
  rm -f "$WORK/bus"
  on host dbus-daemon --system --address="$BUS" --nofork --nopidfile >>"$WORK/dbus.log" 2>&1 &
  for _ in $(seq 50); do [ -S "$WORK/bus" ] && return; sleep 0.1; done
  fail "no system bus: $(cat "$WORK/dbus.log")"
}
# A unit's command as this test runs it: the root's paths, and with
# NFT_ROOT the release's nft (on PATH) for /usr/sbin/nft.
unit_command() {
  local c=${1//\/etc\/netc/$ROOT\/etc\/netc}
  [ -z "${NFT_ROOT:-}" ] || c=${c/#\/usr\/sbin\/nft /nft }
  echo "$c"
}
apply() { on host env DBUS_SYSTEM_BUS_ADDRESS="$BUS" "$NETC" apply "$@" --root "$ROOT" --connect "$LIBVIRT_URI"; }
info() { virsh -q -c "$LIBVIRT_URI" net-info "$1" 2>/dev/null | sed -n "s/^$2: *//p"; }
ifindex() { on host cat "/sys/class/net/$1/ifindex" 2>/dev/null; }
# The state a no-op must leave alone: installed files, networks, links.
state() {
  (cd "$ROOT" && find . -type f -o -type l | sort | xargs -r md5sum 2>/dev/null)
  virsh -q -c "$LIBVIRT_URI" net-list --all
  on host ip -o link | awk '{print $1, $2}'
}

netns host
netns upstream
link host eth0 upstream up0
on upstream ip addr add 203.0.113.1/24 dev up0
on upstream ip route add 192.168.122.0/24 via 203.0.113.10
mkdir -p "$ROOT/etc/systemd/network"
start_bus
NETWORKD_BUS=$BUS start_networkd "$PREFIX-host" "$ROOT/etc/systemd/network" "$WORK/networkd.log"
echo "nameserver 203.0.113.53" >"$WORK/resolv.conf"
start_libvirtd "$PREFIX-host" "$WORK/libvirt" "$WORK/resolv.conf" || { fail "libvirtd did not start"; finish; }
sleep 1

# 1. v1 from nothing.
if apply "$V1" 2>"$WORK/apply1.log"; then pass "apply v1 from nothing"; else fail "apply v1: $(cat "$WORK/apply1.log")"; fi
wait_for "eth0's address" has_addr host eth0 203.0.113.10/24 || { log "--- apply v1"; cat "$WORK/apply1.log"; }
for n in default svc old; do
  [ "$(info $n Active)" = yes ] && [ "$(info $n Autostart)" = yes ] && pass "network $n active and autostart" \
    || fail "network $n: active '$(info $n Active)', autostart '$(info $n Autostart)'"
done
[ "$(on host sysctl -n net.ipv4.ip_forward)" = 1 ] && pass "forwarding on (sysctl file applied)" || fail "ip_forward is not 1"
on host nft list table inet netc >/dev/null 2>&1 && pass "table inet netc loaded" || fail "table inet netc not loaded"
[ -L "$ROOT/etc/systemd/system/multi-user.target.wants/netc-nftables.service" ] && grep -q "^ExecStart=/usr/sbin/nft -f /etc/netc/netc.nft" "$ROOT/etc/systemd/system/netc-nftables.service" \
  && pass "the ruleset loads at boot (netc-nftables.service enabled)" || fail "no boot unit"
guest g1 "$V1" default 52:54:00:00:01:01
G1=$(dhcp g1) || if failed; then for f in "$WORK"/apply*.log; do log "--- $f"; cat "$f"; done; fi
if failed; then finish; fi   # the rest needs the guest
pass "guest g1 leased $G1"
echo_server upstream 8080 up
expect_answer "g1 reaches upstream, masqueraded" "up 203.0.113.10" "$(ask g1 203.0.113.1 8080)"

# 6. A dry run of v2 changes nothing.
before=$(state)
dry=$(on host env DBUS_SYSTEM_BUS_ADDRESS="$BUS" "$NETC" apply "$V2" --dry-run --root "$ROOT" --connect "$LIBVIRT_URI" 2>&1)
[ "$before" = "$(state)" ] && pass "apply --dry-run changed nothing" || fail "apply --dry-run changed the host"
for action in "run virsh net-destroy old" "run virsh net-undefine old" "run virsh net-update default add ip-dhcp-host" \
              "run virsh net-destroy svc" "run virsh net-define (network lab" "run virsh net-start lab"; do
  grep -qF "(dry run): $action" <<<"$dry" && pass "dry run lists: $action" || fail "dry run does not list '$action':\n$dry"
done
grep -q "net-destroy default" <<<"$dry" && fail "dry run would restart default" || pass "dry run leaves default running"
# The same plan as data (--format json, what the Ansible collection reads).
json=$(on host env DBUS_SYSTEM_BUS_ADDRESS="$BUS" "$NETC" apply "$V2" --dry-run --format json --root "$ROOT" --connect "$LIBVIRT_URI" 2>/dev/null)
lines=$(sed -n 's/^netc: apply (dry run): //p' <<<"$dry" | grep -v "^root ")
if python3 - "$json" "$lines" "$V2/nftables/netc.nft" <<'PY'
import json, sys
plan, lines, nft = json.loads(sys.argv[1]), sys.argv[2].split("\n"), open(sys.argv[3]).read()
assert plan["changes"] is True, plan["changes"]
assert [a["description"] for a in plan["actions"]] == lines, ([a["description"] for a in plan["actions"]], lines)
installs = {a["path"]: a["text"] for a in plan["actions"] if a["action"] == "install"}
assert installs.get("/etc/netc/netc.nft") == nft, "the ruleset's new text"
assert any(a["action"] == "run" and a["command"][:2] == ["virsh", "net-destroy"] for a in plan["actions"])
PY
then pass "apply --dry-run --format json: the same actions as data, each install with its new text"; else fail "apply --dry-run --format json: $json"; fi
[ "$before" = "$(state)" ] || fail "apply --dry-run --format json changed the host"

# 2. v2.
eth0_index=$(ifindex eth0) virbr0_index=$(ifindex virbr0)
dnsmasq_pid=$(cat "$WORK/libvirt/run/libvirt/network/default.pid")
if apply "$V2" 2>"$WORK/apply2.log"; then pass "apply v2"; else fail "apply v2: $(cat "$WORK/apply2.log")"; fi
[ "$(ifindex eth0)" = "$eth0_index" ] && pass "eth0 untouched (same ifindex)" || fail "eth0 was re-created"
[ "$(ifindex virbr0)" = "$virbr0_index" ] && [ "$(cat "$WORK/libvirt/run/libvirt/network/default.pid")" = "$dnsmasq_pid" ] \
  && pass "network default not restarted (same bridge, same dnsmasq)" || fail "network default was restarted"
grep -q "net-update default delete ip-dhcp-host <host mac='52:54:00:00:00:10' name='web1' ip='192.168.122.10'/>" "$WORK/apply2.log" \
  && grep -q "net-update default add ip-dhcp-host <host mac='52:54:00:00:00:12' name='db1' ip='192.168.122.12'/>" "$WORK/apply2.log" \
  && pass "reservations changed live" || fail "reservations not updated live: $(cat "$WORK/apply2.log")"
grep -q "52:54:00:00:00:12,192.168.122.12,db1" "$WORK/libvirt/varlib/libvirt/dnsmasq/default.hostsfile" \
  && pass "dnsmasq serves the new reservation" || fail "dnsmasq's hosts: $(cat "$WORK/libvirt/varlib/libvirt/dnsmasq/default.hostsfile")"
on g1 ip -4 -o addr show dev eth0 | grep -q "inet $G1/" && pass "g1 keeps its lease $G1" || fail "g1 lost its address"
expect_answer "g1 still reaches upstream" "up 203.0.113.10" "$(ask g1 203.0.113.1 8080)"
wait_for "svc's new address" has_addr host virbr2 198.51.100.126/25 && pass "svc restarted with its new address"
if virsh -q -c "$LIBVIRT_URI" net-list --all --name | grep -qx old || on host ip link show virbr9 >/dev/null 2>&1; then
  fail "network old is still there"
else pass "network old destroyed and undefined"; fi
[ "$(info lab Active)" = yes ] && [ "$(info lab Autostart)" = yes ] && pass "network lab added, active and autostart" || fail "network lab missing"
# What is installed is v2's, exactly.
diff -r "$V2/networkd" "$ROOT/etc/systemd/network" >/dev/null && diff -r "$V2/libvirt" "$ROOT/etc/netc/libvirt" >/dev/null \
  && cmp -s "$V2/nftables/netc.nft" "$ROOT/etc/netc/netc.nft" && cmp -s "$V2/sysctl/60-netc.conf" "$ROOT/etc/sysctl.d/60-netc.conf" \
  && pass "the installed files are v2's, nothing of v1 left" || fail "installed files differ from v2"
[ "$(virsh -q -c "$LIBVIRT_URI" net-list --all --name | sort | xargs)" = "default lab svc" ] && pass "libvirt has exactly v2's networks" \
  || fail "libvirt networks: $(virsh -q -c "$LIBVIRT_URI" net-list --all --name | xargs)"

# 6. v2 again: nothing.
before=$(state)
again=$(apply "$V2" 2>&1)
grep -q "nothing to do" <<<"$again" && [ "$before" = "$(state)" ] && pass "applying v2 twice does nothing the second time" \
  || fail "second apply of v2: $again"

# Everything that makes up "the host is at v2".
at_v2() {
  local what=$1
  diff -r "$V2/networkd" "$ROOT/etc/systemd/network" >/dev/null && diff -r "$V2/libvirt" "$ROOT/etc/netc/libvirt" >/dev/null \
    && cmp -s "$V2/nftables/netc.nft" "$ROOT/etc/netc/netc.nft" || { fail "$what: installed files are not v2's"; return; }
  wait_for "$what: eth0's v2 address" has_addr host eth0 203.0.113.10/24 || return
  [ "$(on host nft list table inet netc 2>&1)" = "$V2_TABLE" ] || { fail "$what: the loaded ruleset is not v2's"; return; }
  [ "$(virsh -q -c "$LIBVIRT_URI" net-list --name | sort | xargs)" = "default lab svc" ] \
    || { fail "$what: running networks: $(virsh -q -c "$LIBVIRT_URI" net-list --name | xargs)"; return; }
  [ "$(on host sysctl -n net.ipv4.ip_forward)" = 1 ] || { fail "$what: forwarding off"; return; }
  pass "$what: the host is at v2 (files, eth0, ruleset, networks, forwarding)"
}
V2_TABLE=$(on host nft list table inet netc 2>&1)

# 3. v3 cuts the host off; without confirmation it is rolled back.
apply "$V3" --confirm 6 </dev/null >"$WORK/apply3.log" 2>&1 &
confirm_pid=$!
wait_for "v3's eth0 address" has_addr host eth0 192.0.2.10/24 && pass "v3 applied (eth0 moved)"
sleep 0.5
expect_no_answer "while v3 waits for confirmation the guest is cut off" "$(ask g1 203.0.113.1 8080)"
status=0; wait $confirm_pid || status=$?
[ $status = 5 ] && grep -q "not confirmed: rolling back" "$WORK/apply3.log" && pass "not confirmed: rolled back, exit 5" \
  || fail "apply --confirm exited $status: $(cat "$WORK/apply3.log")"
at_v2 "after the rollback"
[ "$(info lab Active)" = yes ] && pass "network lab is back" || fail "network lab not restored"
expect_answer "the guest reaches upstream again" "up 203.0.113.10" "$(ask g1 203.0.113.1 8080)"
# Confirmed from another shell, v3 stays.
apply "$V3" --confirm 30 </dev/null >"$WORK/apply3c.log" 2>&1 &
confirm_pid=$!
wait_for "v3's eth0 address" has_addr host eth0 192.0.2.10/24
on host "$NETC" apply --confirmed --root "$ROOT" 2>>"$WORK/apply3c.log"
status=0; wait $confirm_pid || status=$?
[ $status = 0 ] && grep -q "netc: apply: confirmed" "$WORK/apply3c.log" && pass "confirmed with 'netc apply --confirmed': exit 0" \
  || fail "confirmed apply exited $status: $(cat "$WORK/apply3c.log")"
sleep 1
has_addr host eth0 192.0.2.10/24 && pass "confirmed: v3's eth0 address stays" || fail "confirmed: eth0 is $(on host ip -4 -o addr show dev eth0)"
virsh -q -c "$LIBVIRT_URI" net-list --all --name | grep -qx lab && fail "confirmed: lab came back" || pass "confirmed: v3 stays (no lab)"
apply "$V2" 2>"$WORK/apply2b.log" || fail "back to v2: $(cat "$WORK/apply2b.log")"
at_v2 "v2 again"

# 4. An apply killed half way: the next one rolls it back first.
on host env DBUS_SYSTEM_BUS_ADDRESS="$BUS" NETC_APPLY_PAUSE=1 "$NETC" apply "$V3" --root "$ROOT" --connect "$LIBVIRT_URI" >"$WORK/apply4.log" 2>&1 &
killed=$!
for _ in $(seq 100); do grep -q "run networkctl reconfigure eth0" "$WORK/apply4.log" && break; sleep 0.02; done
# $! is the background subshell; netc is its child (ip netns exec and env exec).
pkill -9 -P $killed 2>/dev/null || true; wait $killed 2>/dev/null || true
pgrep -f "apply $V3" >/dev/null && fail "the apply is still running after SIGKILL"
sleep 1   # a command the killed apply had started finishes on its own
if [ -f "$ROOT/var/lib/netc/pending" ]; then pass "killed half way ($(grep -c 'netc: apply: ' "$WORK/apply4.log") lines in): the apply is pending"
else fail "the killed apply left no pending mark: $(cat "$WORK/apply4.log")"; fi
apply "$V2" 2>"$WORK/apply4b.log" || fail "apply after the killed one: $(cat "$WORK/apply4b.log")"
grep -q "did not finish or was not confirmed: rolling back" "$WORK/apply4b.log" && pass "the next apply rolls the killed one back first" \
  || fail "no rollback: $(cat "$WORK/apply4b.log")"
at_v2 "after the killed apply"
[ ! -e "$ROOT/var/lib/netc/pending" ] && pass "nothing pending" || fail "still pending"

# A step that fails rolls the whole apply back.
on host ip route add 10.77.0.0/24 dev eth0
# Forwarding turned off by hand: the apply turns it on (the kernel's value
# drifted from the file), and the rollback puts the value back as it was.
on host sysctl -qw net.ipv4.ip_forward=0
status=0; apply "$V4" >"$WORK/apply5.log" 2>&1 || status=$?
grep -q "run sysctl -q -p" "$WORK/apply5.log" && [ "$(on host sysctl -n net.ipv4.ip_forward)" = 0 ] \
  && grep -q "rollback: run sysctl -q -w net.ipv4.ip_forward=0" "$WORK/apply5.log" \
  && pass "the rollback put net.ipv4.ip_forward back as it was before the apply (0)" \
  || fail "sysctl after the rollback: ip_forward $(on host sysctl -n net.ipv4.ip_forward): $(cat "$WORK/apply5.log")"
on host sysctl -qw net.ipv4.ip_forward=1
[ $status = 5 ] && grep -q "apply stopped: .*net-start clash.* failed" "$WORK/apply5.log" && grep -q "netc: apply: rolled back" "$WORK/apply5.log" \
  && pass "a failing step (libvirt refuses net-start clash): clear error, rolled back, exit 5" || fail "failing apply exited $status: $(cat "$WORK/apply5.log")"
virsh -q -c "$LIBVIRT_URI" net-list --all --name | grep -qx clash && fail "network clash is still defined" || pass "network clash undefined again"
at_v2 "after the failed apply"
on host ip route del 10.77.0.0/24 dev eth0
# --confirm answered with Enter on a terminal (script(1) gives it a pty).
status=0
(sleep 4; echo) | on host script -qec "env DBUS_SYSTEM_BUS_ADDRESS=$BUS $NETC apply $V3 --confirm 30 --root $ROOT --connect '$LIBVIRT_URI'" /dev/null \
  >"$WORK/apply6.log" 2>&1 || status=$?
[ $status = 0 ] && grep -q "netc: apply: confirmed" "$WORK/apply6.log" && has_addr host eth0 192.0.2.10/24 \
  && pass "--confirm answered with Enter on a terminal: v3 stays" || fail "Enter did not confirm (exit $status): $(cat "$WORK/apply6.log")"
apply "$V2" 2>"$WORK/apply2c.log" || fail "back to v2: $(cat "$WORK/apply2c.log")"
at_v2 "v2 once more"

# A reload of nftables.service: Debian's runs /etc/nftables.conf, which
# starts with `flush ruleset` and so removes netc's table while forwarding
# stays on; the boot unit follows the reload (ReloadPropagatedFrom=) and
# loads the table again (ExecReload=), after it (After=).
cat >"$WORK/nftables.conf" <<'NFT'
flush ruleset
table inet filter {
	chain input { type filter hook input priority filter; }
	chain forward { type filter hook forward priority filter; }
	chain output { type filter hook output priority filter; }
}
NFT
unit="$ROOT/etc/systemd/system/netc-nftables.service"
grep -qx "ReloadPropagatedFrom=nftables.service" "$unit" && grep -qx "After=nftables.service" "$unit" \
  && pass "the boot unit follows nftables.service's reloads, after them" || fail "the boot unit does not follow nftables.service's reloads"
on host nft -f "$WORK/nftables.conf"
on host nft list table inet netc >/dev/null 2>&1 && fail "the distribution's reload left table inet netc" \
  || pass "the distribution's reload removed table inet netc (as Debian's does)"
reload=$(sed -n 's/^ExecReload=//p' "$unit")
[ -n "$reload" ] && on host $(unit_command "$reload") || fail "the boot unit's reload failed: '$reload'"
at_v2 "after a reload of nftables.service"
on host nft list table inet filter >/dev/null 2>&1 && pass "the distribution's own table stays" || fail "the distribution's table is gone"
echo_server g1 8081 guest
expect_no_answer "after the reload, upstream opening a connection to a NAT guest" "$(ask upstream "$G1" 8081)"
expect_answer "after the reload, g1 reaches upstream masqueraded" "up 203.0.113.10" "$(ask g1 203.0.113.1 8080)"

# 5. "Reboot": stop everything, flush, start again from the installed files.
# (|| true: a process may end between the listing and its kill.)
ip netns pids "$PREFIX-host" | xargs -r kill 2>/dev/null || true; sleep 0.5
ip netns pids "$PREFIX-host" | xargs -r kill -9 2>/dev/null || true; sleep 0.2
rm -rf "${WORK:?}/libvirt/run"/*                                    # /run is empty after a reboot
for l in $(on host ip -o link show type bridge | awk -F': ' '{print $2}'); do on host ip link del "$l"; done
on host ip addr flush dev eth0
on host nft flush ruleset
on host sysctl -qw net.ipv4.ip_forward=0
on host nft list tables | grep -q . && fail "the ruleset survived the flush" || pass "rebooted: no bridges, no addresses, no ruleset, no forwarding"
on host sysctl -q -p "$ROOT/etc/sysctl.d/60-netc.conf"          # systemd-sysctl
start_bus
NETWORKD_BUS=$BUS start_networkd "$PREFIX-host" "$ROOT/etc/systemd/network" "$WORK/networkd2.log"
# The boot unit's own command, with the root's path.
boot=$(sed -n 's/^ExecStart=//p' "$ROOT/etc/systemd/system/netc-nftables.service")
on host $(unit_command "$boot") || fail "the boot unit's command failed: $boot"
start_libvirtd "$PREFIX-host" "$WORK/libvirt" "$WORK/resolv.conf" || fail "libvirtd did not start again"
wait_for "the autostart networks" sh -c "[ \"\$(virsh -q -c '$LIBVIRT_URI' net-list --name | sort | xargs)\" = 'default lab svc' ]"
at_v2 "after the reboot"
# The guest restarts too: its port joins the new bridge, it leases again.
on host ip link set v-g1 master virbr0
on host ip link set v-g1 up
dhcp g1 >/dev/null && expect_answer "after the reboot the guest reaches upstream" "up 203.0.113.10" "$(ask g1 203.0.113.1 8080)"

# 7. v5: the DHCPv6 range of default changed, taken live under the second
# <ip> (without --parent-index libvirt would put it under the IPv4 one
# and refuse it); the network is not restarted.
virbr0_index=$(ifindex virbr0)
if apply "$V5" 2>"$WORK/apply7.log"; then pass "apply v5"; else fail "apply v5: $(cat "$WORK/apply7.log")"; fi
grep -q "net-update default add ip-dhcp-range <range start='fd00:122::100' end='fd00:122::2ff'>.* --parent-index 1 --live --config" "$WORK/apply7.log" \
  && ! grep -q "net-destroy default" "$WORK/apply7.log" && [ "$(ifindex virbr0)" = "$virbr0_index" ] \
  && pass "the DHCPv6 range changed live (net-update --parent-index 1, same bridge)" || fail "v5 was applied as: $(cat "$WORK/apply7.log")"
virsh -q -c "$LIBVIRT_URI" net-dumpxml default | grep -q "<range start='fd00:122::100' end='fd00:122::2ff'>" \
  && pass "libvirt runs the new DHCPv6 range" || fail "libvirt's default: $(virsh -q -c "$LIBVIRT_URI" net-dumpxml default)"
if failed; then for f in "$WORK"/apply*.log; do log "--- $f"; cat "$f"; done; fi
finish
