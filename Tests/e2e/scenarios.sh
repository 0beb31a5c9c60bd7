#!/usr/bin/env bash
# End-to-end scenarios: packets between network namespaces, through the real
# systemd-networkd and nftables, on netc's output for one example.
#
#   scenarios.sh SCENARIO OUT
#
# OUT is `netc build examples/<example>/topology.yaml -o OUT`; each scenario
# names the example it is written for. Exit 0 when every check passes.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/harness.sh"

scenario=$1
OUT=$(readlink -f "$2")

# upstream NIC [MAC]: the upstream namespace behind the host's NIC.
upstream() {
  netns host
  netns upstream
  link host "$1" upstream up0 "${2:-}"
}

# upstream_eth0: host and upstream joined by the host's eth0, upstream at
# 203.0.113.1/24. Scenarios add their routes, then call start_uplinked_host.
upstream_eth0() {
  upstream eth0
  on upstream ip addr add 203.0.113.1/24 dev up0
}

# start_uplinked_host: networkd and the ruleset on the host; returns once the
# host has its uplink address 203.0.113.10/24.
start_uplinked_host() {
  start_host "$OUT"
  wait_for "host uplink address" has_addr host eth0 203.0.113.10/24
}

# lease GUEST LOW HIGH: a DHCP lease whose last octet must lie in LOW..HIGH;
# the address is left in LEASED.
lease() {
  LEASED=$(dhcp "$1") || return 1
  local o=${LEASED##*.}
  if [ -n "$LEASED" ] && ((o >= $2 && o <= $3)); then
    pass "guest $1 leased $LEASED inside .$2-.$3"
  else
    fail "guest $1 leased '$LEASED', outside .$2-.$3"
  fi
}

# ask_from NS SOURCE ADDRESS PORT: connect from a given source address.
ask_from() {
  local from=$2 addr=$3
  [[ $addr == *:* ]] && addr="[$addr]" && from="[$from]"
  on "$1" timeout 4 socat -T2 - TCP:"$addr":"$4",bind="$from",connect-timeout=3 </dev/null 2>/dev/null || true
}

# source_port NS ADDRESS PORT SOURCEPORT: the source port the server sees.
source_port() { on "$1" timeout 4 socat -T2 - TCP:"$2":"$3",sourceport="$4",connect-timeout=3 </dev/null 2>/dev/null || true; }

scenario_bridge() {   # examples/bridge
  upstream eth0 52:54:00:a1:b2:c3
  on upstream ip addr add 192.0.2.1/24 dev up0
  start_host "$OUT"
  wait_for "host address on br0" has_addr host br0 192.0.2.10/24 || return
  if on host ip -o link show eth0 | grep -q "master br0 "; then pass "eth0 is a port of br0"; else fail "eth0 is not a port of br0"; fi
  if on host ip -o -4 addr show dev eth0 | grep -q inet; then fail "eth0 kept an address"; else pass "eth0 has no address of its own"; fi
  local nic_mac br_mac
  nic_mac=$(on host cat /sys/class/net/eth0/address)
  br_mac=$(on host cat /sys/class/net/br0/address)
  if [ "$br_mac" = "$nic_mac" ]; then pass "br0 keeps eth0's MAC $nic_mac"; else fail "br0 has MAC $br_mac, eth0 has $nic_mac"; fi
  expect_ping upstream 192.0.2.10
  guest g1 "$OUT" lan 52:54:00:00:01:01
  on g1 ip addr add 192.0.2.50/24 dev eth0
  on g1 ip route add default via 192.0.2.1
  echo_server upstream 8080 lan
  echo_server g1 8081 guest
  expect_answer "a guest reaches the LAN with its own address" "lan 192.0.2.50" "$(ask g1 192.0.2.1 8080)"
  expect_answer "the LAN reaches the guest" "guest 192.0.2.1" "$(ask upstream 192.0.2.50 8081)"
}

scenario_nat() {   # examples/nat
  upstream_eth0
  # Even with a route to the guests' subnet, upstream must not get in.
  on upstream ip route add 192.168.122.0/24 via 203.0.113.10
  # The resolver eth0 declares, the host's own (its resolv.conf).
  on upstream ip addr add 203.0.113.53/24 dev up0
  dns_server upstream 203.0.113.53 www.example.net 198.51.100.80
  start_uplinked_host || return
  wait_for "gateway on virbr0" has_addr host virbr0 192.168.122.1/24 || return
  guest g1 "$OUT" default 52:54:00:00:01:01
  lease g1 100 254 || return
  local ip=$LEASED
  guest web1 "$OUT" default 52:54:00:00:00:10
  local reserved
  reserved=$(dhcp web1) || return
  if [ "$reserved" = 192.168.122.10 ]; then pass "the reserved MAC got the reserved address"; else fail "reservation: got '$reserved', expected 192.168.122.10"; fi
  expect_offered g1 router 192.168.122.1
  if served_by_libvirt default; then
    # libvirt's dnsmasq answers at the gateway and forwards to the host's
    # resolvers: guests need no resolver in the topology.
    expect_offered g1 dns 192.168.122.1
    if virsh -q -c "$LIBVIRT_URI" net-dhcp-leases default | grep -q "52:54:00:00:01:01 .*$ip/24"; then
      pass "virsh net-dhcp-leases lists g1's lease"
    else fail "virsh net-dhcp-leases does not list g1's lease: $(virsh -q -c "$LIBVIRT_URI" net-dhcp-leases default)"; fi
  else
    # networkd has no resolver: it hands out the uplink's.
    expect_offered g1 dns 203.0.113.53
  fi
  local answer
  answer=$(resolve g1 "$(offered g1 dns)" www.example.net)
  if [ "$answer" = 198.51.100.80 ]; then pass "an external name resolves through the resolver the guest was handed"
  else fail "www.example.net through $(offered g1 dns): '$answer'"; fi
  expect_ping g1 192.168.122.1
  echo_server upstream 8080 up
  expect_answer "upstream sees the host's uplink address" "up 203.0.113.10" "$(ask g1 203.0.113.1 8080)"
  on upstream socat TCP4-LISTEN:8090,reuseaddr,fork SYSTEM:'echo $SOCAT_PEERPORT' >/dev/null 2>&1 &
  sleep 0.3
  local port
  port=$(source_port g1 203.0.113.1 8090 700)
  if [ -n "$port" ] && ((port >= 1024)); then pass "privileged source port 700 masqueraded to $port"; else fail "source port 700 came out as '$port'"; fi
  echo_server g1 8081 guest
  expect_no_answer "upstream opening a connection to a NAT guest" "$(ask upstream "$ip" 8081)"
  expect_no_ping upstream "$ip"
  expect_only_netc_table
}

# start_routed_guest: examples/routed's host, upstream routing the guests'
# subnet to it, and guest g1 of network public with its lease (LEASED).
start_routed_guest() {
  on upstream ip route add 198.51.100.0/24 via 203.0.113.10
  start_uplinked_host || return
  wait_for "gateway on virbr2" has_addr host virbr2 198.51.100.1/24 || return
  guest g1 "$OUT" public 52:54:00:00:02:01
  lease g1 50 99
}

scenario_routed() {   # examples/routed
  upstream_eth0
  start_routed_guest || return
  local ip=$LEASED
  echo_server upstream 8080 up
  echo_server g1 8081 guest
  expect_answer "upstream sees the guest's own address" "up $ip" "$(ask g1 203.0.113.1 8080)"
  expect_answer "upstream reaches the guest" "guest 203.0.113.1" "$(ask upstream "$ip" 8081)"
  expect_offered g1 router 198.51.100.1
  # The topology declares a resolver: handed out instead of the gateway,
  # whoever serves the network.
  expect_offered g1 dns 203.0.113.53
  expect_only_netc_table
}

scenario_routed_inbound() {   # examples/routed with inbound: tcp 8081, tcp 2222 from 203.0.113.0/25, udp 5000-5001
  upstream_eth0
  on upstream ip addr add 203.0.113.200/24 dev up0
  start_routed_guest || return
  local ip=$LEASED
  echo_server upstream 8080 up
  for p in 8081 8082 2222; do echo_server g1 "$p" "guest$p"; done
  echo_server g1 5001 guest5001 udp
  expect_answer "the guest's own connections still go out (and their replies come back)" "up $ip" "$(ask g1 203.0.113.1 8080)"
  expect_answer "a listed port, from anywhere" "guest8081 203.0.113.1" "$(ask upstream "$ip" 8081)"
  expect_no_answer "a port not listed" "$(ask upstream "$ip" 8082)"
  expect_answer "a listed port from a listed source" "guest2222 203.0.113.1" "$(ask_from upstream 203.0.113.1 "$ip" 2222)"
  expect_no_answer "a listed port from a source outside its 'from'" "$(ask_from upstream 203.0.113.200 "$ip" 2222)"
  expect_answer "a listed UDP port range" "guest5001 203.0.113.1" "$(ask upstream "$ip" 5001 udp)"
  expect_no_ping upstream "$ip"
}

scenario_host_only() {   # examples/host-only (which declares no uplink)
  upstream uplink0
  # An uplink netc does not manage, and forwarding on (as another network
  # would switch it on): only the ruleset keeps the guests in.
  on host ip addr add 203.0.113.10/24 dev uplink0
  on host ip link set uplink0 up
  on host ip route add default via 203.0.113.1
  on host sysctl -qw net.ipv4.ip_forward=1
  on upstream ip addr add 203.0.113.1/24 dev up0
  on upstream ip addr add 203.0.113.53/24 dev up0
  on upstream ip route add 10.10.0.0/24 via 203.0.113.10
  # A resolver the host uses: an isolated network must not forward to it.
  dns_server upstream 203.0.113.53 www.example.net 198.51.100.80
  start_host "$OUT"
  wait_for "gateway on virbr1" has_addr host virbr1 10.10.0.1/24 || return
  guest g1 "$OUT" lab 52:54:00:00:03:01
  lease g1 100 200 || return
  local ip=$LEASED
  # No default route in either family: nothing lies beyond the host.
  expect_offered g1 router ""
  expect_offered g1 mtu 1450
  expect_offered g1 domain lab.example
  # PXE (dhcp.boot): the boot file, and the gateway as the server to fetch it from.
  expect_offered g1 boot_file pxelinux.0
  expect_offered g1 siaddr 10.10.0.1
  local a6
  a6=$(slaac g1 fd00:10:) || return
  pass "SLAAC address $a6 without a router"
  sleep 1
  if on g1 ip -6 route show default | grep -q .; then fail "g1 has an IPv6 default route: $(on g1 ip -6 route show default)"
  else pass "g1 has no IPv6 default route"; fi
  if on g1 ip -4 route show default | grep -q .; then fail "g1 has an IPv4 default route"; else pass "g1 has no IPv4 default route"; fi
  guest web1 "$OUT" lab 52:54:00:00:03:10
  local reserved
  if served_by_libvirt lab; then
    # dnsmasq matches the reservation by MAC whatever the client id.
    reserved=$(dhcp web1 duid) || return
    if [ "$reserved" = 10.10.0.10 ]; then pass "a guest sending a DUID got its reserved address"; else fail "DUID client: got '$reserved', expected 10.10.0.10"; fi
    expect_offered g1 dns 10.10.0.1
    local name
    name=$(resolve g1 10.10.0.1 web1.lab.example)
    if [ "$name" = 10.10.0.10 ]; then pass "web1.lab.example resolves at the gateway"; else fail "web1.lab.example at the gateway: '$name'"; fi
    name=$(resolve g1 10.10.0.1 www.example.net)
    if [ -z "$name" ]; then pass "the gateway answers no external name"; else fail "the gateway resolved www.example.net to $name"; fi
  else
    # networkd before 254 honours a reservation for 01:MAC clients only (W704).
    reserved=$(dhcp web1) || return
    if [ "$reserved" = 10.10.0.10 ]; then pass "the reserved MAC got the reserved address"; else fail "reservation: got '$reserved', expected 10.10.0.10"; fi
    expect_offered g1 dns ""
  fi
  echo_server host 8080 host
  expect_answer "the guest reaches the host's address on the bridge" "host $ip" "$(ask g1 10.10.0.1 8080)"
  echo_server upstream 8080 up
  echo_server g1 8081 guest
  expect_answer "a guest reaches another guest of the network" "guest 10.10.0.10" "$(ask web1 "$ip" 8081)"
  # A guest that adds a route of its own still gets nowhere.
  on g1 ip route add default via 10.10.0.1
  expect_no_answer "the guest reaching upstream" "$(ask g1 203.0.113.1 8080)"
  expect_no_answer "upstream reaching the guest" "$(ask upstream "$ip" 8081)"
  expect_no_ping g1 203.0.113.1
  expect_only_netc_table
}

scenario_dual_stack() {   # examples/dual-stack
  upstream_eth0
  on upstream ip addr add 2001:db8::1/64 dev up0
  on upstream ip addr add 2001:db8:ff::1/64 dev up0   # a source outside the 8082 forward's 'from'
  on upstream ip route add 2001:db8:31::/64 via 2001:db8::10
  start_uplinked_host || return
  wait_for "host IPv6 uplink address" has_addr host eth0 2001:db8::10/64 || return
  wait_for "IPv6 gateway on virbr30" has_addr host virbr30 fd00:30::1/64 || return
  wait_for "IPv6 gateway on virbr31" has_addr host virbr31 2001:db8:31::1/64 || return
  guest g1 "$OUT" v6nat 52:54:00:00:30:01
  guest g2 "$OUT" v6routed 52:54:00:00:31:01
  local a1 a2 low dhcpv6=
  # The example's v6nat has a DHCPv6 range; its networkd-served variant
  # (which networkd cannot serve DHCPv6 in) has none: SLAAC then.
  grep -q "<range start='fd00:30::" "$OUT/libvirt/v6nat.xml" && dhcpv6=yes
  if [ -n "$dhcpv6" ]; then
    a1=$(dhcp6 g1) || return
    low=${a1#fd00:30::}
    if [[ $low =~ ^[0-9a-f]{1,4}$ ]] && ((16#$low >= 16#100 && 16#$low <= 16#1ff)); then
      pass "DHCPv6: g1 leased $a1 inside fd00:30::100-1ff"
    else
      fail "DHCPv6: g1 leased '$a1', outside fd00:30::100-1ff"
    fi
  else
    a1=$(slaac g1 fd00:30:) || return
    pass "SLAAC: g1 took $a1 (no DHCPv6 range)"
  fi
  a2=$(slaac g2 2001:db8:31:) || return
  [ "$a2" = 2001:db8:31:0:5054:ff:fe00:3101 ] && pass "SLAAC: g2 took $a2 (the forwards' target)" || fail "SLAAC: g2 took $a2"
  wait_for "IPv6 default route of g1" sh -c "ip netns exec $PREFIX-g1 ip -6 route show default | grep -q via"
  wait_for "IPv6 default route of g2" sh -c "ip netns exec $PREFIX-g2 ip -6 route show default | grep -q via"
  # A stateful range: the advertised prefix is not for SLAAC.
  if [ -n "$dhcpv6" ]; then
    sleep 1
    [ "$(on g1 ip -6 -o addr show dev eth0 scope global | wc -l)" = 1 ] && pass "g1 has its DHCPv6 address only (no SLAAC address)" \
      || fail "g1's addresses: $(on g1 ip -6 -o addr show dev eth0 scope global)"
  fi
  echo_server upstream 8080 up
  expect_answer "with ipv6.nat upstream sees the host's IPv6 address" "up 2001:db8::10" "$(ask g1 2001:db8::1 8080)"
  expect_answer "without it upstream sees the guest's own address" "up $a2" "$(ask g2 2001:db8::1 8080)"
  for p in 8081 8082 8083; do echo_server g2 "$p" "guest$p"; done
  expect_no_answer "upstream opening a connection to a routed-IPv6 guest of a nat network" "$(ask upstream "$a2" 8083)"
  expect_answer "an IPv6 forward lets upstream in to the guest's own address and port, untranslated" "guest8081 2001:db8::1" "$(ask upstream "$a2" 8081)"
  expect_answer "an IPv6 forward with 'from', from a listed source" "guest8082 2001:db8::1" "$(ask_from upstream 2001:db8::1 "$a2" 8082)"
  expect_no_answer "an IPv6 forward with 'from', from a source outside it" "$(ask_from upstream 2001:db8:ff::1 "$a2" 8082)"
  expect_no_answer "an IPv6 forward is no host port: the host's own address does not answer on it" "$(ask upstream 2001:db8::10 8081)"
  lease g1 100 200 || return
  expect_answer "IPv4 of the same guest is masqueraded" "up 203.0.113.10" "$(ask g1 203.0.113.1 8080)"
  expect_only_netc_table
}

# start_port_forwards_host: the host of examples/port-forwards, with the
# gateways of web, backend and lab on their bridges.
start_port_forwards_host() {
  start_uplinked_host || return
  local b
  for b in virbr10:192.168.10.1 virbr11:192.168.11.1 virbr12:192.168.12.1; do
    wait_for "gateway on ${b%%:*}" has_addr host "${b%%:*}" "${b#*:}/24" || return
  done
}

scenario_forwards() {   # examples/port-forwards
  upstream_eth0
  on upstream ip addr add 198.51.100.1/24 dev up0
  on upstream ip route add 192.168.10.0/24 via 203.0.113.10
  start_port_forwards_host || return
  guest www "$OUT" web 52:54:00:10:00:10
  guest game "$OUT" web 52:54:00:10:00:11
  guest g2 "$OUT" web 52:54:00:10:01:02
  guest db "$OUT" backend 52:54:00:11:00:10
  guest lab1 "$OUT" lab 52:54:00:12:01:01
  local w gm g db lab
  w=$(dhcp www) && gm=$(dhcp game) && g=$(dhcp g2) && db=$(dhcp db) && lab=$(dhcp lab1) || return
  [ "$w" = 192.168.10.10 ] && [ "$gm" = 192.168.10.11 ] && [ "$db" = 192.168.11.10 ] \
    && pass "reservations: www $w, game $gm, db $db" || fail "reservations: www $w, game $gm, db $db"
  for p in 80 443 22 81; do echo_server www "$p" "www$p"; done
  echo_server game 9000 game9000
  echo_server game 9001 game9001
  echo_server game 27015 game-udp udp
  echo_server db 5432 db
  echo_server lab1 7000 lab

  expect_answer "TCP forward from upstream" "www80 203.0.113.1" "$(ask upstream 203.0.113.10 80)"
  expect_answer "second TCP forward from upstream" "www443 203.0.113.1" "$(ask upstream 203.0.113.10 443)"
  expect_answer "UDP forward from upstream" "game-udp 203.0.113.1" "$(ask upstream 203.0.113.10 27015 udp)"
  expect_answer "range 8000-8001 -> 9000-9001, first port" "game9000 203.0.113.1" "$(ask upstream 203.0.113.10 8000)"
  expect_answer "range 8000-8001 -> 9000-9001, second port" "game9001 203.0.113.1" "$(ask upstream 203.0.113.10 8001)"
  expect_no_answer "source-limited forward from a source outside 'from'" "$(ask upstream 203.0.113.10 2222)"
  expect_answer "source-limited forward from an allowed source" "www22 198.51.100.1" "$(ask_from upstream 198.51.100.1 203.0.113.10 2222)"
  expect_answer "forward reached from the host itself" "www80 203.0.113.10" "$(ask host 203.0.113.10 80)"
  expect_answer "a source-limited forward reached from the host itself ('from' limits outside sources)" "www22 203.0.113.10" "$(ask host 203.0.113.10 2222)"
  expect_answer "forward reached from a guest of the same network (hairpin)" "www80 192.168.10.1" "$(ask g2 203.0.113.10 80)"
  expect_no_answer "a source-limited forward from a guest of the same network ('from' limits guests too)" "$(ask g2 203.0.113.10 2222)"
  expect_no_answer "a port without a forward, at the host" "$(ask upstream 203.0.113.10 81)"
  expect_no_answer "a port without a forward, at the guest itself" "$(ask upstream 192.168.10.10 81)"
  expect_answer "peers: web reaches backend with its own address" "db 192.168.10.10" "$(ask www 192.168.11.10 5432)"
  expect_answer "peers: backend reaches web with its own address" "www80 192.168.11.10" "$(ask db 192.168.10.10 80)"
  expect_no_answer "isolated lab reaching the peered backend" "$(ask lab1 192.168.11.10 5432)"
  expect_no_answer "isolated lab reaching a web guest" "$(ask lab1 192.168.10.10 80)"
  # The host has a service of its own on port 80. Guests of a network that
  # is neither the forward's nor a peer are not DNAT'ed: they reach the host,
  # never the forwarded guest.
  echo_server host 80 host80
  # The host's own loopback services keep their ports: the output-hook DNAT
  # leaves 127.0.0.0/8 alone.
  expect_answer "the host's own service on 127.0.0.1:80 is not forwarded" "host80 127.0.0.1" "$(ask host 127.0.0.1 80)"
  # An isolated network hands out no router; the guest routes to the host's
  # uplink address itself.
  on lab1 ip route replace 203.0.113.0/24 via 192.168.12.1
  expect_answer "isolated lab at the host's uplink address gets the host, not the forward" "host80 $lab" "$(ask lab1 203.0.113.10 80)"
  expect_answer "isolated lab at its own gateway gets the host, not the forward" "host80 $lab" "$(ask lab1 192.168.12.1 80)"
  expect_answer "the forward still wins from upstream" "www80 203.0.113.1" "$(ask upstream 203.0.113.10 80)"
  expect_no_answer "web reaching the isolated lab" "$(ask www "$lab" 7000)"
  expect_no_answer "backend reaching upstream" "$(ask db 203.0.113.1 80)"
  expect_only_netc_table
}

# ufw_host CMD...: run a ufw command in the host namespace, with a private
# copy of /etc/ufw, a sysctl file of none and a private /run: ufw's rules
# land in the host namespace's iptables only.
ufw_host() {
  # FIREWALL_ROOT: another release's ufw and iptables, chrooted there.
  local r=${FIREWALL_ROOT:-}
  if [ ! -d "$WORK/ufw/etc" ]; then
    mkdir -p "$WORK/ufw"
    cp -a "$r/etc/ufw" "$WORK/ufw/etc"
    sed 's|^IPT_SYSCTL=.*|IPT_SYSCTL=/dev/null|' "$r/etc/default/ufw" >"$WORK/ufw/default"
  fi
  on host unshare -m --propagation private sh -c '
    r=$3
    mount --bind "$1" "$r/etc/ufw"; mount --bind "$2" "$r/etc/default/ufw"; mount -t tmpfs tmpfs "$r/run"
    shift 3
    if [ -n "$r" ]; then
      mount -t proc proc "$r/proc"; mount --bind /dev "$r/dev"
      exec chroot "$r" "$@"
    fi
    exec "$@"' sh "$WORK/ufw/etc" "$WORK/ufw/default" "$r" "$@"
}

# try_lease GUEST: whether GUEST gets a DHCP lease within a few seconds.
try_lease() { on "$1" busybox udhcpc -i eth0 -n -q -t 3 -T 1 -s /bin/true >/dev/null 2>&1; }

# guest_works_behind FIREWALL: with the openings in place, guest g1 of
# examples/nat leases, resolves and goes out, while netc's policy still
# refuses inbound connections and FIREWALL keeps the host's other ports closed.
guest_works_behind() {
  lease g1 100 254 || return
  local ip=$LEASED answer
  answer=$(resolve g1 "$(offered g1 dns)" www.example.net)
  if [ "$answer" = 198.51.100.80 ]; then pass "DNS through the resolver the guest was handed"; else fail "DNS with $1: '$answer'"; fi
  echo_server upstream 8080 up
  expect_answer "the guest goes out masqueraded" "up 203.0.113.10" "$(ask g1 203.0.113.1 8080)"
  echo_server g1 8081 guest
  expect_no_answer "upstream opening a connection to the guest (netc's policy still holds)" "$(ask upstream "$ip" 8081)"
  echo_server host 8088 host
  expect_no_answer "the guest reaching another port of the host ($1 keeps it closed)" "$(ask g1 192.168.122.1 8088)"
}

# nat_host_with_resolver: examples/nat's host up, with an upstream resolver
# (203.0.113.53 answers www.example.net) and virbr0 at its gateway.
nat_host_with_resolver() {
  upstream_eth0
  on upstream ip addr add 203.0.113.53/24 dev up0
  dns_server upstream 203.0.113.53 www.example.net 198.51.100.80
  start_uplinked_host || return
  wait_for "gateway on virbr0" has_addr host virbr0 192.168.122.1/24
}

scenario_ufw() {   # examples/nat, on a host where ufw is enabled
  nat_host_with_resolver || return
  ufw_host ufw --force enable >/dev/null || { fail "ufw did not enable"; return; }
  pass "$(ufw_host ufw version | head -n1) is enabled, over $(ufw_host iptables --version)"
  guest g1 "$OUT" default 52:54:00:00:01:01
  # ufw's defaults cut the guests off: that is what the openings are for.
  if try_lease g1; then fail "with ufw's defaults alone a guest still leased: this scenario would prove nothing"
  else pass "with ufw's defaults alone a guest gets no lease"; fi
  # The openings docs/install.md gives, exactly as written there.
  local line count=0
  while read -r line; do
    eval "ufw_host $line" >/dev/null || fail "docs/install.md: '$line' failed"
    count=$((count + 1))
  done < <(sed -n '/^- \*\*ufw\*\*/,/^- \*\*firewalld/p' "$here/../../docs/install.md" | sed -n 's/^ *\(ufw .*\)$/\1/p')
  ((count >= 4)) && pass "applied the $count ufw commands of docs/install.md" || fail "found $count ufw commands in docs/install.md"
  guest_works_behind "ufw"
}

# firewalld_host: firewalld in the host namespace, on a private system bus
# (a dbus-daemon socket in the test's folder) with a private copy of
# /etc/firewalld and its own /run: its rules land in that namespace only.
# fwcmd ARGS...: firewall-cmd against it.
firewalld_host() {
  # FIREWALL_ROOT: another release's firewalld, firewall-cmd and
  # dbus-daemon, chrooted there (with /tmp, where the bus is, mounted in).
  local r=${FIREWALL_ROOT:-}
  [ -z "$r" ] || stack_tool firewall-cmd "$r"   # fwcmd's
  chmod 755 "$WORK"
  cp -a "$r/etc/firewalld" "$WORK/firewalld"
  mkdir -p "$WORK/fwrun"
  in_firewall_root() {
    local ns=$1; shift
    if [ -n "$r" ]; then
      on "$ns" env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$WORK/fwbus" unshare -m --propagation private -- sh -c '
        r=$1; shift
        mount --bind /tmp "$r/tmp"; mount --bind "'"$WORK/firewalld"'" "$r/etc/firewalld"; mount --bind "'"$WORK/fwrun"'" "$r/run"
        mount -t proc proc "$r/proc"; mount --bind /dev "$r/dev"
        exec chroot "$r" "$@"' sh "$r" "$@"
    else
      on "$ns" env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$WORK/fwbus" unshare -m --propagation private -- sh -c '
        mount --bind "'"$WORK/firewalld"'" /etc/firewalld; mount --bind "'"$WORK/fwrun"'" /run; exec "$@"' sh "$@"
    fi
  }
  in_firewall_root host dbus-daemon --system --address="unix:path=$WORK/fwbus" --nofork --nopidfile >"$WORK/fwdbus.log" 2>&1 &
  for _ in $(seq 50); do [ -S "$WORK/fwbus" ] && break; sleep 0.1; done
  in_firewall_root host firewalld --nofork --nopid >"$WORK/firewalld.log" 2>&1 &
  wait_for "firewalld" fwcmd --state || return
  pass "firewalld $(fwcmd --version) runs"
}
fwcmd() { on host env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$WORK/fwbus" firewall-cmd "$@"; }

scenario_firewalld() {   # examples/nat, on a host where firewalld runs
  nat_host_with_resolver || return
  firewalld_host || return
  guest g1 "$OUT" default 52:54:00:00:01:01
  # firewalld's default zone cuts the guests off: that is what the zone is for.
  if try_lease g1; then fail "with firewalld's defaults alone a guest still leased: this scenario would prove nothing"
  else pass "with firewalld's defaults alone a guest gets no lease"; fi
  # The zone and the commands docs/install.md gives, exactly as written there.
  local doc="$here/../../docs/install.md" line count=0
  sed -n '/^- \*\*firewalld\*\*/,/^- \*\*Docker/p' "$doc" | sed -n '/^  ```xml/,/^  ```$/p' | sed '1d;$d' | sed 's/^  //' \
    >"$WORK/firewalld/zones/netc.xml"
  grep -q '<zone target="ACCEPT">' "$WORK/firewalld/zones/netc.xml" && pass "the zone of docs/install.md is in /etc/firewalld/zones/netc.xml" \
    || fail "no zone found in docs/install.md"
  while read -r line; do
    eval "fwcmd ${line#firewall-cmd }" >/dev/null || fail "docs/install.md: '$line' failed"
    count=$((count + 1))
  done < <(sed -n '/^- \*\*firewalld\*\*/,/^- \*\*Docker/p' "$doc" | grep -o 'firewall-cmd [^`]*')
  ((count >= 3)) && pass "ran the $count firewall-cmd commands of docs/install.md" || fail "found $count firewall-cmd commands"
  [ "$(fwcmd --get-zone-of-interface=virbr0)" = netc ] && pass "virbr0 is in zone netc" || fail "virbr0 is in zone '$(fwcmd --get-zone-of-interface=virbr0)'"
  guest_works_behind "firewalld's zone"
}

scenario_reload() {   # examples/nat: the ruleset reloads idempotently
  netns host
  on host nft -f - <<'NFT'
table inet other {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 1234 counter accept
	}
}
NFT
  local other before after
  other=$(on host nft list table inet other)
  if on host nft -f "$OUT/nftables/netc.nft"; then pass "first load on a host without the table"; else fail "first load failed"; fi
  before=$(on host nft list table inet netc)
  if on host nft -f "$OUT/nftables/netc.nft"; then pass "second load"; else fail "second load failed"; fi
  after=$(on host nft list table inet netc)
  [ "$before" = "$after" ] && pass "table inet netc identical after reload" || fail "table inet netc changed on reload"
  [ "$other" = "$(on host nft list table inet other)" ] && pass "another application's table untouched" || fail "table inet other changed"
}

scenario_macvtap() {   # examples/macvtap, and Tests/import/macvtap.xml imported
  # The guests' LAN behind the host's eth1; a macvlan in each guest's
  # namespace stands for libvirt's macvtap (the same driver: macvtap is a
  # macvlan whose packets go to QEMU through a character device).
  netns host
  netns lan
  link host eth1 lan up0
  on lan ip addr add 192.0.2.1/24 dev up0
  start_host "$OUT"
  local xml="$OUT/libvirt/direct.xml" dev mode g
  dev=$(sed -n "s/.*<interface dev='\([^']*\)'.*/\1/p" "$xml")
  mode=$(sed -n "s/.*<forward mode='\([^']*\)'>.*/\1/p" "$xml")
  [ "$dev" = eth1 ] && [ "$mode" = bridge ] || { fail "direct.xml: dev '$dev' mode '$mode', expected eth1 bridge"; return; }
  wait_for "eth1 up under networkd" sh -c "ip netns exec $PREFIX-host ip -o link show eth1 | grep -q LOWER_UP" || return
  for g in 1 2; do
    netns "g$g"
    on host ip link add link "$dev" name "mv$g" address "52:54:00:00:04:0$g" type macvlan mode "$mode"
    on host ip link set "mv$g" netns "$PREFIX-g$g"
    on "g$g" ip link set "mv$g" name eth0
    on "g$g" ip addr add "192.0.2.5$g/24" dev eth0
    on "g$g" ip link set eth0 up
  done
  if on host ip -o -4 addr show dev eth1 | grep -q inet; then fail "eth1 has an IPv4 address"; else pass "eth1 carries no IPv4 address of the host"; fi
  echo_server lan 8080 lan
  echo_server g1 8081 guest
  expect_answer "a guest reaches the LAN with its own address" "lan 192.0.2.51" "$(ask g1 192.0.2.1 8080)"
  expect_answer "the LAN reaches the guest" "guest 192.0.2.1" "$(ask lan 192.0.2.51 8081)"
  expect_answer "guests of the network reach each other (mode bridge)" "guest 192.0.2.52" "$(ask g2 192.0.2.51 8081)"
  expect_only_netc_table
}

# import_host_eth0: the host's eth0 addressed outside netc (the imported
# default network names no uplink, so the topology declares none).
import_host_eth0() {
  upstream_eth0
  on host ip addr add 203.0.113.10/24 dev eth0
  on host ip link set eth0 up
  on host ip route add default via 203.0.113.1
}

scenario_import_default() {   # Tests/import/default.xml imported: libvirt's classic NAT network
  import_host_eth0
  # Even with a route to the guests' subnet, upstream must not get in.
  on upstream ip route add 192.168.122.0/24 via 203.0.113.10
  on upstream ip addr add 203.0.113.53/24 dev up0
  dns_server upstream 203.0.113.53 www.example.net 198.51.100.80
  start_host "$OUT"
  wait_for "gateway on virbr0" has_addr host virbr0 192.168.122.1/24 || return
  guest g1 "$OUT" default 52:54:00:00:01:01
  lease g1 2 254 || return
  local ip=$LEASED
  expect_offered g1 router 192.168.122.1
  expect_offered g1 dns 192.168.122.1
  local answer
  answer=$(resolve g1 192.168.122.1 www.example.net)
  if [ "$answer" = 198.51.100.80 ]; then pass "names resolve through the gateway"; else fail "www.example.net through the gateway: '$answer'"; fi
  expect_ping g1 192.168.122.1
  echo_server upstream 8080 up
  expect_answer "upstream sees the host's address (masqueraded)" "up 203.0.113.10" "$(ask g1 203.0.113.1 8080)"
  echo_server g1 8081 guest
  expect_no_answer "upstream opening a connection to a NAT guest" "$(ask upstream "$ip" 8081)"
  expect_no_ping upstream "$ip"
  expect_only_netc_table
}

scenario_import_routed() {   # Tests/import/routed.xml imported, eth0's addresses added
  upstream_eth0
  on upstream ip addr add 2001:db8::1/64 dev up0
  on upstream ip route add 198.51.100.0/24 via 203.0.113.10
  on upstream ip route add 2001:db8:2::/64 via 2001:db8::10
  start_uplinked_host || return
  wait_for "host IPv6 uplink address" has_addr host eth0 2001:db8::10/64 || return
  wait_for "gateway on virbr2" has_addr host virbr2 198.51.100.1/24 || return
  wait_for "IPv6 gateway on virbr2" has_addr host virbr2 2001:db8:2::1/64 || return
  guest g1 "$OUT" public 52:54:00:00:02:01
  lease g1 50 99 || return
  local ip=$LEASED a6
  a6=$(slaac g1 2001:db8:2:) || return
  wait_for "IPv6 default route of g1" sh -c "ip netns exec $PREFIX-g1 ip -6 route show default | grep -q via"
  guest www "$OUT" public 52:54:00:00:02:10
  local reserved
  reserved=$(dhcp www) || return
  if [ "$reserved" = 198.51.100.10 ]; then pass "the reserved MAC got the reserved address"; else fail "reservation: got '$reserved', expected 198.51.100.10"; fi
  local name
  name=$(resolve g1 198.51.100.1 www.public.example)
  if [ "$name" = 198.51.100.10 ]; then pass "www.public.example resolves at the gateway"; else fail "www.public.example at the gateway: '$name'"; fi
  echo_server upstream 8080 up
  echo_server g1 8081 guest
  expect_answer "upstream sees the guest's own address" "up $ip" "$(ask g1 203.0.113.1 8080)"
  expect_answer "upstream reaches the guest" "guest 203.0.113.1" "$(ask upstream "$ip" 8081)"
  expect_answer "IPv6: upstream sees the guest's own address" "up $a6" "$(ask g1 2001:db8::1 8080)"
  expect_answer "IPv6: upstream reaches the guest" "guest 2001:db8::1" "$(ask upstream "$a6" 8081)"
  expect_only_netc_table
}

# craft NS ARGS...: Tests/e2e/packet.py in a namespace (raw packets, UDP flows).
craft() { local ns=$1; shift; on "$ns" python3 "$here/packet.py" "$@"; }

# rp_filter VALUE: the host's reverse-path filter on every link (0 off,
# 1 strict, 2 loose: systemd's default).
rp_filter() {
  local l
  for l in all default $(on host ls /sys/class/net); do on host sysctl -qw "net.ipv4.conf.$l.rp_filter=$1" 2>/dev/null || true; done
}

scenario_spoofing() {   # examples/port-forwards: web (nat, peered with backend), backend, lab (isolated)
  local bg=
  upstream_eth0
  on upstream ip route add 192.168.0.0/16 via 203.0.113.10
  start_port_forwards_host || return
  guest www "$OUT" web 52:54:00:10:00:10
  guest db "$OUT" backend 52:54:00:11:00:10
  guest lab1 "$OUT" lab 52:54:00:12:01:01
  local w db lab
  w=$(dhcp www) && db=$(dhcp db) && lab=$(dhcp lab1) || return
  # The attacker in lab routes through the host, as a guest may.
  on lab1 ip route add default via 192.168.12.1
  local rp
  for rp in 0 1 2; do
    rp_filter $rp
    # 1. web talks UDP to its peer db; an outsider, spoofing db's address,
    #    injects into that flow from the uplink.
    craft db udp-echo 6000 4 >"$WORK/db-echo-$rp" 2>&1 &
    bg="$bg $!"
    sleep 0.3
    craft www udp-flow 5000 "$db" 6000 3 >"$WORK/flow1-$rp" 2>&1 &
    bg="$bg $!"
    sleep 1
    craft upstream udp "$db" 6000 "$w" 5000 INJECTED-FROM-OUTSIDE
    wait $bg; bg=
    if grep -q "echo hello" "$WORK/flow1-$rp"; then pass "rp_filter $rp: the peered flow works (db answered www)"
    else fail "rp_filter $rp: the peered flow did not work: $(cat "$WORK/flow1-$rp")"; fi
    if grep -q INJECTED "$WORK/flow1-$rp"; then fail "rp_filter $rp: an outsider spoofing the peer's address injected into the flow"
    else pass "rp_filter $rp: an outsider spoofing the peer's address does not reach the flow"; fi
    # 2. web talks UDP to upstream, masqueraded; the isolated lab guest,
    #    spoofing upstream's address, aims at the masqueraded port.
    craft upstream udp-echo 7000 4 >"$WORK/up-echo-$rp" 2>&1 &
    bg="$bg $!"
    sleep 0.3
    craft www udp-flow 5001 203.0.113.1 7000 3 >"$WORK/flow2-$rp" 2>&1 &
    bg="$bg $!"
    sleep 1
    local port
    port=$(awk '/hello/ {print $2; exit}' "$WORK/up-echo-$rp")
    if [ -n "$port" ]; then
      craft lab1 udp 203.0.113.1 7000 203.0.113.10 "$port" INJECTED-FROM-LAB
    else fail "rp_filter $rp: upstream saw no masqueraded flow"; fi
    wait $bg; bg=
    if grep -q "echo hello" "$WORK/flow2-$rp"; then pass "rp_filter $rp: the masqueraded flow works"
    else fail "rp_filter $rp: the masqueraded flow did not work: $(cat "$WORK/flow2-$rp")"; fi
    if grep -q INJECTED "$WORK/flow2-$rp"; then fail "rp_filter $rp: an isolated guest spoofing upstream injected into another network's flow"
    else pass "rp_filter $rp: an isolated guest spoofing upstream does not reach another network's flow"; fi
  done
  # 3. A guest spoofing another address on its own subnet's way out.
  on upstream timeout 4 tcpdump -n -l -i up0 udp port 7100 >"$WORK/spoof-out" 2>/dev/null &
  bg="$bg $!"
  sleep 1
  craft www udp 192.168.11.10 5555 203.0.113.1 7100 SPOOFED-PEER
  craft www udp 198.51.100.77 5555 203.0.113.1 7100 SPOOFED-OUTSIDE
  craft www udp "$w" 5555 203.0.113.1 7100 OWN
  wait $bg; bg=
  if grep -q "203.0.113.10.* > 203.0.113.1.7100" "$WORK/spoof-out"; then pass "a guest's own datagram leaves, masqueraded"
  else fail "the guest's own datagram did not leave: $(cat "$WORK/spoof-out")"; fi
  if [ "$(grep -c " > 203.0.113.1.7100" "$WORK/spoof-out")" = 1 ]; then pass "datagrams with another network's or an outside source address do not leave"
  else fail "spoofed datagrams left: $(cat "$WORK/spoof-out")"; fi
}

# claim NS ADDRESS SECONDS: the guest answers for ADDRESS (on its eth0) and
# announces it as its own, gratuitous ARP every 0.2 s, in the background.
claim() {
  local ns=$1 addr=$2 seconds=$3
  on "$ns" ip addr add "$addr/32" dev eth0 2>/dev/null || true
  on "$ns" sh -c "end=\$((\$(date +%s) + $seconds)); while [ \$(date +%s) -lt \$end ]; do
      busybox arping -U -c 1 -w 1 -I eth0 -s $addr $addr >/dev/null 2>&1; busybox arping -A -c 1 -w 1 -I eth0 -s $addr $addr >/dev/null 2>&1
      sleep 0.2; done" &
}

scenario_port_security() {   # examples/port-forwards: web's reservations www (.10, forwarded) and game (.11)
  local bg=
  upstream_eth0
  start_port_forwards_host || return
  guest www "$OUT" web 52:54:00:10:00:10
  guest game "$OUT" web 52:54:00:10:00:11
  guest evil "$OUT" web 52:54:00:10:00:66
  dhcp www >/dev/null && dhcp game >/dev/null && dhcp evil >/dev/null || return
  echo_server www 80 www
  expect_answer "upstream reaches www through the forward" "www" "$(ask upstream 203.0.113.10 80 | cut -d" " -f1)"
  expect_ping game 192.168.10.1
  local gwmac locked
  gwmac=$(on host cat /sys/class/net/virbr10/address)
  grep -q '192.168.10.10 . 52:54:00:10:00:10' "$OUT/nftables/netc.nft" && locked=yes || locked=no
  # 1. evil claims www's reserved address (and answers on port 80), and
  #    the gateway's: gratuitous ARP, again and again.
  echo_server evil 80 EVIL
  claim evil 192.168.10.10 8; bg="$bg $!"
  claim evil 192.168.10.1 8; bg="$bg $!"
  sleep 2
  local answer
  answer=$(ask upstream 203.0.113.10 80 | cut -d' ' -f1)
  on game ping -c1 -W1 192.168.10.1 >/dev/null 2>&1 || true
  local seen
  seen=$(on game ip neigh show 192.168.10.1 | sed -n 's/.* lladdr \([0-9a-f:]*\).*/\1/p')
  if [ "$locked" = yes ]; then
    [ "$answer" = www ] && pass "a guest claiming a reserved address (ARP) does not take over its forward: www answers" \
      || fail "a guest claiming www's address took its forward over: '$answer' answered"
  else
    [ "$answer" = EVIL ] && pass "with lock_reservations: false the claim works again (EVIL answered): the key does something" \
      || fail "lock_reservations: false, yet the claim did not take the forward over: '$answer' answered"
  fi
  [ "$seen" = "$gwmac" ] && pass "a guest claiming the gateway's address does not poison its neighbours (game still has $gwmac)" \
    || fail "a guest claiming the gateway's address poisoned game's neighbour entry: $seen (the gateway is $gwmac)"
  # 2. evil sends as www (its address, evil's MAC): nothing leaves.
  if [ "$locked" = yes ]; then
    on upstream timeout 3 tcpdump -n -l -i up0 udp port 7200 >"$WORK/as-www" 2>/dev/null &
    bg="$bg $!"
    sleep 1
    craft evil udp 192.168.10.10 5555 203.0.113.1 7200 AS-WWW
    craft www udp 192.168.10.10 5555 203.0.113.1 7200 REAL-WWW
    sleep 2
    [ "$(grep -c " > 203.0.113.1.7200" "$WORK/as-www")" = 1 ] && pass "a guest's datagram with a reserved guest's address does not leave; the real guest's does" \
      || fail "datagrams as www: $(cat "$WORK/as-www")"
  fi
  wait $bg
}

scenario_isolated_guests() {   # examples/nat: two guests of default; isolated from each other when the network says so
  upstream_eth0
  start_uplinked_host || return
  wait_for "gateway on virbr0" has_addr host virbr0 192.168.122.1/24 || return
  guest g1 "$OUT" default 52:54:00:00:01:01
  guest g2 "$OUT" default 52:54:00:00:01:02
  local a1 a2
  a1=$(dhcp g1) && a2=$(dhcp g2) || return
  expect_ping g1 192.168.122.1
  expect_ping g2 192.168.122.1
  echo_server upstream 8080 up
  expect_answer "g1 reaches upstream" "up" "$(ask g1 203.0.113.1 8080 | cut -d' ' -f1)"
  if grep -q "<port isolated='yes'/>" "$OUT/libvirt/default.xml"; then
    expect_no_ping g1 "$a2"
    expect_no_ping g2 "$a1"
  else
    expect_ping g1 "$a2"
  fi
}

scenario_host_links() {   # examples/nat with a second host LAN eth1 at 198.51.100.10/24 (the test's edit)
  upstream_eth0
  netns lan2
  link host eth1 lan2 lan0
  on lan2 ip addr add 198.51.100.1/24 dev lan0
  on lan2 ip route add default via 198.51.100.10
  on upstream ip route add 198.51.100.0/24 via 203.0.113.10
  start_uplinked_host || return
  wait_for "eth1's address" has_addr host eth1 198.51.100.10/24 || return
  expect_ping lan2 198.51.100.10
  if grep -q '"eth1",' "$OUT/nftables/netc.nft"; then
    expect_no_ping lan2 203.0.113.1
    expect_no_ping upstream 198.51.100.1
  else
    expect_ping lan2 203.0.113.1
  fi
}

scenario_untranslated() {   # examples/nat: nothing leaves with a guest's own address
  local bg=
  upstream_eth0
  start_uplinked_host || return
  wait_for "gateway on virbr0" has_addr host virbr0 192.168.122.1/24 || return
  guest g1 "$OUT" default 52:54:00:00:01:01
  lease g1 100 254 || return
  local ip=$LEASED
  on upstream timeout 6 tcpdump -n -l -i up0 "not arp and not icmp6" >"$WORK/up0" 2>/dev/null &
  bg="$bg $!"
  sleep 1
  craft g1 tcp "$ip" 40001 203.0.113.1 80 SF        # SYN+FIN: conntrack marks it invalid
  craft g1 tcp "$ip" 40002 203.0.113.1 80 R         # a bare RST
  craft g1 tcp "$ip" 40003 203.0.113.1 80 A         # a stray ACK
  craft g1 udp "$ip" 40004 203.0.113.1 53 BAD --bad-checksum
  craft g1 udp "$ip" 40005 203.0.113.1 53 LITE --lite
  craft g1 udp "$ip" 40006 203.0.113.1 53 GOOD
  wait $bg; bg=
  if grep -q "^.* IP 192.168.122\." "$WORK/up0"; then fail "packets left with the guest's own address: $(grep " IP 192.168.122\." "$WORK/up0")"
  else pass "no packet left with the guest's own address (SYN+FIN, RST, stray ACK, bad UDP checksum, UDP-Lite)"; fi
  if grep -q "IP 203.0.113.10.* > 203.0.113.1.53: .*" "$WORK/up0"; then pass "a valid datagram leaves, masqueraded"
  else fail "the valid datagram did not leave: $(cat "$WORK/up0")"; fi
}

scenario_ports() {   # examples/port-forwards: every masquerade gives unprivileged source ports
  local bg=
  upstream_eth0
  on upstream ip route add 192.168.10.0/24 via 203.0.113.10
  start_uplinked_host || return
  wait_for "gateway on virbr10" has_addr host virbr10 192.168.10.1/24 || return
  guest www "$OUT" web 52:54:00:10:00:10
  guest g2 "$OUT" web 52:54:00:10:01:02
  local w g
  w=$(dhcp www) && g=$(dhcp g2) || return
  on www socat TCP4-LISTEN:80,reuseaddr,fork SYSTEM:'echo $SOCAT_PEERADDR $SOCAT_PEERPORT' >/dev/null 2>&1 &
  on upstream socat TCP4-LISTEN:8090,reuseaddr,fork SYSTEM:'echo $SOCAT_PEERADDR $SOCAT_PEERPORT' >/dev/null 2>&1 &
  sleep 0.5
  local seen
  # Hairpin: a guest of the network reaches the forward at the host's address.
  seen=$(source_port g2 203.0.113.10 80 700)
  if [ "${seen%% *}" = 192.168.10.1 ] && ((${seen##* } >= 1024)); then pass "hairpin from source port 700 arrives from $seen"
  else fail "hairpin from source port 700 arrived as '$seen'"; fi
  # SCTP: upstream sees the INIT from the host's address and an unprivileged port.
  on upstream timeout 4 tcpdump -n -l -i up0 sctp >"$WORK/sctp" 2>/dev/null &
  bg="$bg $!"
  sleep 1
  craft g2 sctp-init "$g" 700 203.0.113.1 9899
  wait $bg; bg=
  local sport
  sport=$(sed -n 's/.*IP 203\.0\.113\.10\.\([0-9]*\) > 203\.0\.113\.1\.9899.*/\1/p' "$WORK/sctp" | head -n1)
  if [ -n "$sport" ] && ((sport >= 1024)); then pass "SCTP from source port 700 leaves masqueraded from port $sport"
  else fail "SCTP from source port 700: $(cat "$WORK/sctp")"; fi
  # Another table's masquerade, loaded after netc's at the usual priority,
  # does not take netc's connections over.
  on host nft -f - <<'NFT'
table ip other {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth0" masquerade
	}
}
NFT
  seen=$(source_port g2 203.0.113.1 8090 701)
  if [ "${seen%% *}" = 203.0.113.10 ] && ((${seen##* } >= 1024)); then pass "with another table's masquerade loaded later, source port 701 still leaves as $seen"
  else fail "with another table's masquerade loaded later, source port 701 left as '$seen'"; fi
  on host nft delete table ip other
}

scenario_host_services() {   # examples/host-only with host_services: [tcp 22, udp 5000-5001]
  netns host
  start_host "$OUT"
  wait_for "gateway on virbr1" has_addr host virbr1 10.10.0.1/24 || return
  guest g1 "$OUT" lab 52:54:00:00:03:01
  lease g1 100 200 || return
  local ip=$LEASED
  pass "DHCP still answers"
  local a6
  a6=$(slaac g1 fd00:10:) && pass "router advertisements still reach the guest: $a6"
  expect_ping g1 10.10.0.1
  if served_by_libvirt lab; then
    guest web1 "$OUT" lab 52:54:00:00:03:10
    dhcp web1 >/dev/null
    local name
    name=$(resolve g1 10.10.0.1 web1.lab.example)
    if [ "$name" = 10.10.0.10 ]; then pass "DNS at the gateway still answers"; else fail "web1.lab.example at the gateway: '$name'"; fi
  fi
  echo_server host 22 ssh
  echo_server host 8080 other
  echo_server host 5001 udp5001 udp
  expect_answer "a listed TCP service of the host" "ssh $ip" "$(ask g1 10.10.0.1 22)"
  expect_answer "a listed UDP service of the host" "udp5001 $ip" "$(ask g1 10.10.0.1 5001 udp)"
  expect_no_answer "a service of the host the network does not list" "$(ask g1 10.10.0.1 8080)"
}

scenario_routes() {   # examples/host-routes
  # eth0's LAN is a switch (a bridge in upstream's namespace) with two
  # routers on it: upstream at 203.0.113.1 (the default route, which knows
  # nothing of 198.51.100.0/24 or 192.0.2.0/26) and router2 at
  # 203.0.113.254, in front of "far" (198.51.100.1 and 192.0.2.1). eth1's
  # LAN has the storage router 10.20.0.1 in front of the NAS 10.30.0.5.
  upstream eth0
  on upstream ip link add lan type bridge
  on upstream ip link set up0 master lan
  on upstream ip link set lan up
  on upstream ip addr add 203.0.113.1/24 dev lan
  netns router2
  link router2 eth0 upstream r2
  on upstream ip link set r2 master lan
  on router2 ip addr add 203.0.113.254/24 dev eth0
  on router2 ip link set eth0 up
  on router2 sysctl -qw net.ipv4.ip_forward=1
  netns far
  link far eth0 router2 eth1
  on router2 ip addr add 198.51.100.254/24 dev eth1
  on router2 ip addr add 192.0.2.62/26 dev eth1
  on far ip addr add 198.51.100.1/24 dev eth0
  on far ip addr add 192.0.2.1/26 dev eth0
  on far ip link set eth0 up
  on far ip route add default via 198.51.100.254
  netns storage
  link host eth1 storage s0
  on storage ip addr add 10.20.0.1/24 dev s0
  on storage sysctl -qw net.ipv4.ip_forward=1
  netns nas
  link nas eth0 storage s1
  on storage ip addr add 10.30.0.1/16 dev s1
  on nas ip addr add 10.30.0.5/16 dev eth0
  on nas ip link set eth0 up
  on nas ip route add default via 10.30.0.1
  start_uplinked_host || return
  wait_for "the second address on eth0" has_addr host eth0 203.0.113.11/24 || return
  wait_for "eth1's address" has_addr host eth1 10.20.0.10/24 || return
  wait_for "the route to 198.51.100.0/24" sh -c "ip -n $PREFIX-host route show 198.51.100.0/24 | grep -q 'via 203.0.113.254'" || return
  expect_ping upstream 203.0.113.11
  echo_server upstream 8080 up
  expect_answer "the host's connections leave from the primary address" "up 203.0.113.10" "$(ask host 203.0.113.1 8080)"
  echo_server far 80 far
  expect_answer "198.51.100.0/24 through router2 (the static route)" "far 203.0.113.10" "$(ask host 198.51.100.1 80)"
  local t100
  t100=$(on host ip route show table 100)
  grep -q "^192.0.2.0/26 via 203.0.113.254 dev eth0 proto static metric 50" <<<"$t100" \
    && pass "table 100 holds the route to 192.0.2.0/26, metric 50" || fail "table 100: '$t100'"
  on host ip route show table main | grep -q "^192.0.2.0/26" && fail "the table-100 route is in main too" || pass "the table-100 route is not in main"
  expect_no_answer "192.0.2.0/26 from the main table: through upstream, which has no route there" "$(ask host 192.0.2.1 80)"
  echo_server nas 2049 nas
  expect_answer "the NAS behind the storage router (eth1's route)" "nas 10.20.0.10" "$(ask host 10.30.0.5 2049)"
  # Search domains, as networkd keeps them for resolved (its state file).
  local state
  state=$(cat "/proc/$NETWORKD_PID/root/run/systemd/netif/links/$(on host cat /sys/class/net/eth0/ifindex)" 2>/dev/null \
    || ip netns pids "$PREFIX-host" | while read -r p; do cat "/proc/$p/root/run/systemd/netif/links/$(on host cat /sys/class/net/eth0/ifindex)" 2>/dev/null && break; done)
  grep -qx "DOMAINS=example.net lab.example.net" <<<"$state" && pass "eth0's search domains: example.net lab.example.net" \
    || fail "eth0's search domains, networkd's state: '$state'"
  # The guests still leave masqueraded to the primary address.
  guest g1 "$OUT" default 52:54:00:00:01:01
  lease g1 100 254 || return
  local o=${LEASED##*.} ranges
  ((o <= 149 || o >= 200)) && pass "the lease $LEASED is in one of the two pools" || fail "the lease $LEASED is between the pools"
  ranges=$(grep -c '^dhcp-range=192.168.122.\(100,192.168.122.149\|200,192.168.122.254\)' "$WORK/libvirt/varlib/libvirt/dnsmasq/default.conf")
  [ "$ranges" = 2 ] && pass "dnsmasq serves both DHCP ranges" || fail "dnsmasq's dhcp-range lines: $(grep dhcp-range "$WORK/libvirt/varlib/libvirt/dnsmasq/default.conf")"
  expect_answer "a NAT guest is masqueraded to the primary address" "up 203.0.113.10" "$(ask g1 203.0.113.1 8080)"
  # dns_hosts: records the gateway answers, and the guest reaches the NAS by
  # name (through eth1's route).
  local nas backup
  nas=$(resolve g1 192.168.122.1 nas)
  [ "$nas" = 10.30.0.5 ] && pass "dns_hosts: nas resolves to 10.30.0.5 at the gateway" || fail "dns_hosts: nas resolved to '$nas'"
  backup=$(on g1 dig +short +time=2 +tries=2 @192.168.122.1 backup A 2>/dev/null | sort | xargs)
  [ "$backup" = "10.30.0.6 10.30.0.7" ] && pass "dns_hosts: backup resolves to both its addresses" || fail "dns_hosts: backup resolved to '$backup'"
  expect_answer "a NAT guest reaches the NAS it resolved, through eth1 (no uplink: any egress), masqueraded" "nas 10.20.0.10" "$(ask g1 "$nas" 2049)"
}

fn="scenario_${scenario//-/_}"
declare -F "$fn" >/dev/null || { echo "unknown scenario $scenario" >&2; exit 2; }
log "scenario $scenario on $OUT"
"$fn" || true
finish
