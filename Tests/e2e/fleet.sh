#!/usr/bin/env bash
# A fleet's overlays across hosts (docs/fleet.md), on examples/fleet:
#
#   fleet.sh OUT
#
# OUT is `netc build examples/fleet/fleet.yaml -o OUT`: OUT/kvm1, kvm2 and
# kvm3. Three host namespaces, each running the real systemd-networkd on its
# own OUT/HOST/networkd, its sysctl file and its ruleset (nft), with eth0 on
# an underlay switch (a bridge in a namespace of its own) where the
# upstream router is, at 198.51.100.1. Guests are namespaces whose eth0's
# other end is a port of an overlay's bridge on one host (as libvirt's tap
# would be). Checks:
#   1. tenants (nat, kvm1 and kvm2): a guest on each leases from its own
#      host's slice, they reach each other over VXLAN, each reaches upstream
#      masqueraded to its own host's address;
#   2. lab (isolated, all three): guests on kvm1 and kvm3 reach each other
#      and their own host's gateway, nothing upstream;
#   3. a guest "migrates" from kvm1 to kvm2 (its port moves, with its MAC):
#      it keeps its address and gateway and reaches upstream again within
#      2 s, through kvm2; a reserved guest leases its address on either;
#   4. a host of the underlay that is no member, and kvm3 (a member of lab
#      only), send VXLAN with tenants' VNI to kvm1: nothing reaches the
#      guests;
#   5. a ping of the overlay's full MTU (1450) with DF passes between guests
#      on two hosts; one byte more does not.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/harness.sh"
OUT=$(readlink -f "$1")

# The underlay: a switch, the upstream router, three hosts.
netns sw
on sw ip link add br0 type bridge
on sw ip link set br0 up
plug() {   # plug NS IF: NS's IF is a port of the switch
  link "$1" "$2" sw "p-$1"
  on sw ip link set "p-$1" master br0
}
netns upstream
plug upstream up0
on upstream ip link set up0 up
on upstream ip addr add 198.51.100.1/24 dev up0
for h in kvm1 kvm2 kvm3; do
  netns "$h"
  plug "$h" eth0
  on "$h" sysctl -q -p "$OUT/$h/sysctl/60-netc.conf"
  copy_for_veths "$OUT/$h/networkd" "$WORK/networkd-$h"
  start_networkd "$PREFIX-$h" "$WORK/networkd-$h" "$WORK/networkd-$h.log"
  on "$h" nft -f "$OUT/$h/nftables/netc.nft" || fail "$h: nft refused its ruleset"
done
for i in 1 2 3; do wait_for "kvm$i's underlay address" has_addr "kvm$i" eth0 "198.51.100.1$i/24" || { cat "$WORK/networkd-kvm$i.log"; finish; }; done
wait_for "tenants' gateway on kvm1" has_addr kvm1 vxbr100 10.100.0.1/24 || { cat "$WORK/networkd-kvm1.log"; finish; }
wait_for "tenants' gateway on kvm2" has_addr kvm2 vxbr100 10.100.0.1/24
wait_for "lab's gateway on kvm3" has_addr kvm3 vxbr200 10.200.0.1/24
for h in kvm1 kvm2; do
  on "$h" ip -o link show vx10100 | grep -q "master vxbr100" && pass "$h: vx10100 is a port of vxbr100" || fail "$h: $(on "$h" ip -o link show vx10100)"
done
on kvm1 bridge fdb show dev vx10100 | grep -q "00:00:00:00:00:00 dst 198.51.100.12" && pass "kvm1 floods tenants to kvm2 (head-end replication)" \
  || fail "kvm1's FDB: $(on kvm1 bridge fdb show dev vx10100)"
[ "$(on kvm1 cat /sys/class/net/vxbr100/address)" = "$(on kvm2 cat /sys/class/net/vxbr100/address)" ] \
  && pass "the anycast gateway has the same MAC on kvm1 and kvm2" || fail "gateway MACs differ"

# guest_on NAME HOST BRIDGE MAC: a guest namespace on a host's bridge.
guest_on() {
  [ -e "/run/netns/$PREFIX-$1" ] || netns "$1"
  link "$1" eth0 "$2" "v-$1" "$4"
  on "$2" ip link set "v-$1" master "$3"
  on "$2" ip link set "v-$1" up
  on "$1" ip link set eth0 up
}
# move_guest NAME FROM TO BRIDGE MAC: the guest's port leaves FROM's bridge
# and joins TO's (a migration: same namespace, same MAC).
move_guest() {
  on "$2" ip link del "v-$1"
  guest_on "$1" "$3" "$4" "$5"
}
in_slice() {   # in_slice WHAT ADDRESS LOW HIGH: the last octet
  local o=${2##*.}
  if [ -n "$2" ] && ((o >= $3 && o <= $4)); then pass "$1: $2 inside .$3-.$4"; else fail "$1: '$2' outside .$3-.$4"; fi
}

# 1. tenants across kvm1 and kvm2.
guest_on t1 kvm1 vxbr100 52:54:00:10:00:21
guest_on t2 kvm2 vxbr100 52:54:00:10:00:22
T1=$(dhcp t1) || finish
T2=$(dhcp t2) || finish
in_slice "t1 on kvm1 leased from kvm1's slice" "$T1" 100 149
in_slice "t2 on kvm2 leased from kvm2's slice" "$T2" 150 199
[ "$(offered t1 router)" = 10.100.0.1 ] && [ "$(offered t2 router)" = 10.100.0.1 ] && pass "both were given the gateway 10.100.0.1" \
  || fail "routers: $(offered t1 router), $(offered t2 router)"
[ "$(offered t1 mtu)" = 1450 ] && pass "the overlay's MTU (1450) was told to the guest" || fail "mtu offered: '$(offered t1 mtu)'"
expect_ping t1 "$T2"
echo_server upstream 8080 up
expect_answer "t1 reaches upstream masqueraded to kvm1" "up 198.51.100.11" "$(ask t1 198.51.100.1 8080)"
expect_answer "t2 reaches upstream masqueraded to kvm2" "up 198.51.100.12" "$(ask t2 198.51.100.1 8080)"

# 2. lab: isolated, across kvm1 and kvm3.
guest_on l1 kvm1 vxbr200 52:54:00:20:00:01
guest_on l3 kvm3 vxbr200 52:54:00:20:00:03
L1=$(dhcp l1) || finish
L3=$(dhcp l3) || finish
in_slice "l1 on kvm1 leased from kvm1's slice of lab" "$L1" 10 89
in_slice "l3 on kvm3 leased from kvm3's slice of lab" "$L3" 170 249
expect_ping l1 "$L3"
expect_ping l3 10.200.0.1
expect_no_answer "a lab guest reaching upstream" "$(ask l3 198.51.100.1 8080)"

# 5. The overlay's MTU with DF, between hosts.
for g in t1 t2; do on "$g" ip link set eth0 mtu "$(offered t1 mtu)"; done
on t1 ping -c1 -W2 -M do -s 1422 "$T2" >/dev/null 2>&1 && pass "1450 bytes with DF cross from kvm1 to kvm2" || fail "a 1450-byte packet did not cross"
on t1 ping -c1 -W2 -M do -s 1423 "$T2" >/dev/null 2>&1 && fail "1451 bytes with DF crossed" || pass "1451 bytes with DF do not"

# 4. A non-member on the underlay injects tenants' VNI towards kvm1.
netns rogue
plug rogue eth0
on rogue ip addr add 198.51.100.14/24 dev eth0
on rogue ip link set eth0 up
on rogue ip link add vx0 type vxlan id 10100 local 198.51.100.14 remote 198.51.100.11 dstport 4789
on rogue ip addr add 10.100.0.240/24 dev vx0
on rogue ip link set vx0 up
expect_no_ping rogue "$T1"
on rogue ip neigh show dev vx0 | grep -q lladdr && fail "the rogue learned a guest's MAC over VXLAN" || pass "nothing of tenants answered the rogue"
# A host of the fleet that is a member of lab only cannot inject into tenants.
on kvm3 ip link add vxr type vxlan id 10100 local 198.51.100.13 remote 198.51.100.11 dstport 4789
on kvm3 ip addr add 10.100.0.241/24 dev vxr
on kvm3 ip link set vxr up
expect_no_ping kvm3 "$T1"

# 3. t1 "migrates" to kvm2: its port moves to kvm2's bridge, its MAC and
# address with it; it reaches upstream again within 2 s, through kvm2.
move_guest t1 kvm1 kvm2 vxbr100 52:54:00:10:00:21
on t1 ip addr add "$T1/24" dev eth0
on t1 ip route replace default via 10.100.0.1
start=$SECONDS answer=""
while ((SECONDS - start <= 2)); do
  answer=$(ask t1 198.51.100.1 8080)
  [ -n "$answer" ] && break
done
expect_answer "after the move t1 keeps $T1 and its gateway and reaches upstream through kvm2 within 2 s" "up 198.51.100.12" "$answer"
expect_ping t1 "$T2"

# A reserved guest gets its reserved address on either member.
guest_on r1 kvm1 vxbr100 52:54:00:10:00:11
R1=$(dhcp r1) || finish
[ "$R1" = 10.100.0.11 ] && pass "the reserved guest leased 10.100.0.11 on kvm1" || fail "web1's reservation on kvm1 gave '$R1'"
move_guest r1 kvm1 kvm2 vxbr100 52:54:00:10:00:11
R1=$(dhcp r1) || finish
[ "$R1" = 10.100.0.11 ] && pass "and 10.100.0.11 again on kvm2" || fail "web1's reservation on kvm2 gave '$R1'"

finish
