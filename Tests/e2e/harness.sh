# Namespace harness for netc's end-to-end tests. Sourced by scenarios.sh.
#
# A scenario builds a little world out of network namespaces:
#   host      applies OUT/sysctl/60-netc.conf, runs the real
#             systemd-networkd on OUT/networkd and the real libvirtd (network
#             driver only) for the networks OUT/libvirt says libvirt serves,
#             and loads OUT/nftables/netc.nft with nft -f
#   upstream  the router and internet behind the host's uplink NIC
#   guests    one namespace per guest, its eth0 a veth whose other end is a
#             port of the bridge named in OUT/libvirt/NET.xml (as libvirt's
#             tap would be)
# Everything created here is named netc-e2e-PID-* and is removed on exit,
# also on failure. Nothing outside these namespaces is touched. Addresses are
# documentation (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32)
# and private ranges, used only inside the namespaces.

set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/networkd.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/libvirt.sh"

PREFIX="netc-e2e-$$"
WORK=$(mktemp -d)
# Another Debian release's programs (Tests/stacks/build.sh builds its
# root): with NFT_ROOT every nft the scenarios (and netc) run is that
# release's; with NETWORKD_ROOT, networkctl too (its networkd is
# start_networkd's); with LIBVIRT_ROOT, virsh (its libvirtd is
# start_libvirtd's); scenarios.sh's firewalld_host adds firewall-cmd for
# FIREWALL_ROOT. Each runs chrooted, with /tmp (where OUT and the
# test's files, sockets and buses are) mounted into the root, and
# SYSTEMD_IGNORE_CHROOT=1 (else networkctl sees the chroot, says "Running in
# chroot, ignoring command" and exits 0 having done nothing).
stack_tool() {
  local tool=$1 root=$2 path=""
  for d in usr/sbin usr/bin sbin bin; do [ -x "$root/$d/$tool" ] && { path=/$d/$tool; break; }; done
  [ -n "$path" ] || { echo "harness: $root has no $tool"; exit 1; }
  mkdir -p "$WORK/bin"
  cat >"$WORK/bin/$tool" <<TOOL
#!/bin/sh
export SYSTEMD_IGNORE_CHROOT=1
exec unshare -m --propagation private -- sh -c 'mount --bind /tmp "\$0/tmp" && exec chroot "\$0" $path "\$@"' "$root" "\$@"
TOOL
  chmod 755 "$WORK/bin/$tool"
  case ":$PATH:" in *":$WORK/bin:"*) ;; *) export PATH="$WORK/bin:$PATH" ;; esac
}
[ -z "${NFT_ROOT:-}" ] || stack_tool nft "$NFT_ROOT"
[ -z "${NETWORKD_ROOT:-}" ] || stack_tool networkctl "$NETWORKD_ROOT"
[ -z "${LIBVIRT_ROOT:-}" ] || stack_tool virsh "$LIBVIRT_ROOT"
NAMESPACES=()

log() { printf '%s\n' "$*"; }

cleanup() {
  local ns
  for ns in "${NAMESPACES[@]}"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
  done
  sleep 0.2
  for ns in "${NAMESPACES[@]}"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

# A failure is kept in a file, so that one in a subshell (a check inside
# $(...), such as dhcp's) counts too, and said on standard error, which a
# $(...) does not capture.
fail() { log "FAIL: $*" >&2; echo "$*" >>"$WORK/failures"; }
# failed: whether any check has failed so far (subshells' included).
failed() { [ -s "$WORK/failures" ]; }
pass() { log "ok: $*"; }

# on NS CMD...: run a command inside a namespace.
on() { local ns=$1; shift; ip netns exec "$PREFIX-$ns" "$@"; }

# netns NAME: a new namespace with loopback up and forwarding off, as on a
# host just booted (a new namespace takes IPv4's settings from the
# machine's, whose forwarding may be on: then a sysctl file without
# ip_forward would still pass).
netns() {
  ip netns add "$PREFIX-$1"
  NAMESPACES+=("$PREFIX-$1")
  on "$1" ip link set lo up
  on "$1" sysctl -qw net.ipv4.ip_forward=0
  on "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  # Guests ask for router advertisements every second, not every 4 s.
  on "$1" sysctl -qw net.ipv6.conf.default.router_solicitation_interval=1 net.ipv6.conf.default.router_solicitations=20
}

# link NS1 IF1 NS2 IF2 [MAC1]: a veth pair between two namespaces, created
# inside them (never in the machine's own namespace).
link() {
  ip -n "$PREFIX-$1" link add "$2" ${5:+address $5} type veth peer name "$4" netns "$PREFIX-$3"
  on "$3" ip link set "$4" up
}

# start_host OUT: on the host namespace, OUT as a host would take it: the
# sysctl file, networkd on OUT/networkd (prepared for veths, see
# copy_for_veths), libvirtd defining and starting each network it serves
# (its dnsmasq forwards to the resolvers in $WORK/resolv.conf, by default
# 203.0.113.53), then the ruleset. Scenarios wait for the addresses they
# need with wait_for.
start_host() {
  local out=$1 xml
  [ -n "${NO_SYSCTL:-}" ] || { [ -f "$out/sysctl/60-netc.conf" ] && on host sysctl -q -p "$out/sysctl/60-netc.conf"; }
  if compgen -G "$out/networkd/*" >/dev/null; then
    copy_for_veths "$out/networkd" "$WORK/networkd"
    start_networkd "$PREFIX-host" "$WORK/networkd" "$WORK/networkd.log"
  fi
  for xml in "$out"/libvirt/*.xml; do
    libvirt_serves "$xml" || continue
    if [ -z "${LIBVIRT_URI:-}" ]; then
      [ -f "$WORK/resolv.conf" ] || echo "nameserver 203.0.113.53" >"$WORK/resolv.conf"
      start_libvirtd "$PREFIX-host" "$WORK/libvirt" "$WORK/resolv.conf" || { fail "libvirtd did not start"; return 1; }
    fi
    virsh -q -c "$LIBVIRT_URI" net-define "$xml" >/dev/null \
      && virsh -q -c "$LIBVIRT_URI" net-start "$(basename "$xml" .xml)" >/dev/null \
      || { fail "libvirt did not define and start $(basename "$xml")"; tail -n 20 "$WORK/libvirt/libvirtd.log"; return 1; }
  done
  on host nft -f "$out/nftables/netc.nft"
}

# served_by_libvirt NETWORK: whether libvirt serves NETWORK in $OUT.
served_by_libvirt() { libvirt_serves "$OUT/libvirt/$1.xml"; }

# expect_only_netc_table: libvirt and networkd added no firewall rule of
# their own: the host's ruleset is netc's table and nothing else.
expect_only_netc_table() {
  local tables
  tables=$(on host nft list tables | tr '\n' ' ')
  if [ "$tables" = "table inet netc " ] || [ "$tables" = "table inet netc table bridge netc " ]; then pass "the host's ruleset holds only netc's tables"
  else fail "the host's ruleset holds: $tables"; fi
}

# dns_server NS ADDRESS NAME ANSWER: a DNS server (dnsmasq) on ADDRESS in NS
# that answers NAME with ANSWER and refuses the rest.
dns_server() {
  on "$1" dnsmasq --conf-file=/dev/null --no-resolv --no-hosts --bind-interfaces --listen-address="$2" \
    --except-interface=lo --user=root --pid-file="$WORK/dns-$1.pid" --address="/$3/$4" >/dev/null 2>&1 \
    || fail "DNS server on $1 $2 did not start"
}

# resolve NS SERVER NAME: the A record SERVER gives for NAME ("" if none).
resolve() { on "$1" dig +short +time=2 +tries=2 "@$2" "$3" A 2>/dev/null | grep -E '^[0-9.]+$' | head -n1 || true; }

# The commands in a NETC_COMMAND_LOG file that are not reads (what
# netc status, a dry run and a no-op apply run): empty when netc only read.
not_reads() { grep -vE '^(virsh (-c [^ ]+ )?(-q net-list|net-dumpxml|net-info|echo @@netc|net-port-list|net-port-dumpxml)|nft -j -s list ruleset|nft -j list chains|ip -j addr show)' "$1" || true; }

# wait_for DESCRIPTION CMD...: retry CMD for up to 20 s.
wait_for() {
  local what=$1; shift
  local deadline=$((SECONDS + 20))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      fail "timed out waiting for $what"
      log "--- networkd log"; tail -n 40 "$WORK/networkd.log" || true
      return 1
    fi
    sleep 0.2
  done
}

# (The output is read whole first: with pipefail, grep -q leaving early
# could fail the pipeline through ip's SIGPIPE.)
has_addr() { local a; a=$(on "$1" ip -o addr show dev "$2" 2>/dev/null) && grep -qE "inet6? $3 " <<<"$a"; }

# bridge_of OUT NETWORK: the bridge named in the generated libvirt XML.
bridge_of() { sed -n "s/.*<bridge name='\([^']*\)'.*/\1/p" "$1/libvirt/$2.xml"; }

# guest NAME OUT NETWORK MAC: a guest namespace attached to the network's bridge.
guest() {
  local name=$1 out=$2 net=$3 mac=$4 br
  br=$(bridge_of "$out" "$net")
  [ -n "$br" ] || { fail "no bridge in $out/libvirt/$net.xml"; return 1; }
  netns "$name"
  link "$name" eth0 host "v-$name" "$mac"
  on host ip link set "v-$name" master "$br"
  # As libvirt plugs a tap into a network with <port isolated='yes'/>.
  if grep -q "<port isolated='yes'/>" "$out/libvirt/$net.xml"; then on host ip link set "v-$name" type bridge_slave isolated on; fi
  on host ip link set "v-$name" up
  on "$name" ip link set eth0 up
}

# dhcp GUEST [duid]: take a lease with busybox udhcpc, asking for the MTU
# and domain options too; prints the leased address. The client identifier
# is busybox's default 01:MAC, or with `duid` an RFC 4361 DUID (what
# systemd-networkd and netplan guests send). What the server handed out is
# kept for offered (router, dns, mtu, domain).
dhcp() {
  local clientid=()
  if [ "${2:-}" = duid ]; then
    local mac
    mac=$(on "$1" cat /sys/class/net/eth0/address | tr -d ':')
    # type ff, IAID 1, DUID-LL (type 3, hardware type 1, the MAC)
    clientid=(-x "0x3d:ff""00000001""0003""0001""$mac")
  fi
  cat >"$WORK/udhcpc.sh" <<'SCRIPT'
#!/bin/sh
case "$1" in
  bound|renew)
    ip -4 addr flush dev "$interface" scope global
    ip addr add "$ip/$mask" dev "$interface"
    [ -n "$router" ] && ip route replace default via "${router%% *}" dev "$interface"
    printf 'router=%s\ndns=%s\nmtu=%s\ndomain=%s\nboot_file=%s\nsiaddr=%s\n' "$router" "$dns" "$mtu" "$domain" "${boot_file:-${bootfile:-}}" "${siaddr:-}" >"$OFFERED"
    ;;
esac
exit 0
SCRIPT
  chmod +x "$WORK/udhcpc.sh"
  on "$1" env OFFERED="$WORK/offered-$1" busybox udhcpc -i eth0 -n -q -t 10 -T 1 -O mtu -O domain -O bootfile "${clientid[@]}" \
    -s "$WORK/udhcpc.sh" >"$WORK/udhcpc-$1.log" 2>&1 \
    || { fail "guest $1 got no DHCP lease"; cat "$WORK/udhcpc-$1.log"; return 1; }
  on "$1" ip -4 -o addr show dev eth0 scope global | awk '{print $4}' | cut -d/ -f1 | head -n1
}

# dhcp6 GUEST: a stateful DHCPv6 lease by ISC dhclient (once, its script
# ours: it only adds the leased address, nothing of the machine's is
# touched); prints the address.
dhcp6() {
  cat >"$WORK/dhclient6.sh" <<'SCRIPT'
#!/bin/sh
case "$reason" in
  BOUND6|RENEW6|REBIND6|REBOOT6)
    [ -z "$new_ip6_address" ] || ip -6 addr replace "$new_ip6_address/${new_ip6_prefixlen:-128}" dev "$interface" nodad
    ;;
esac
exit 0
SCRIPT
  chmod +x "$WORK/dhclient6.sh"
  # dhclient binds to the link-local address: wait out its DAD.
  wait_for "a usable link-local address on $1" sh -c "ip netns exec $PREFIX-$1 ip -6 addr show dev eth0 scope link | grep -q inet6 && ! ip netns exec $PREFIX-$1 ip -6 addr show dev eth0 tentative | grep -q inet6" || return 1
  on "$1" timeout 30 dhclient -6 -1 -v -sf "$WORK/dhclient6.sh" -lf "$WORK/dhclient6-$1.leases" -pf "$WORK/dhclient6-$1.pid" eth0 \
    >"$WORK/dhclient6-$1.log" 2>&1 || { fail "guest $1 got no DHCPv6 lease"; cat "$WORK/dhclient6-$1.log" >&2; return 1; }
  on "$1" ip -6 -o addr show dev eth0 scope global | awk '{print $4}' | cut -d/ -f1 | head -n1
}

# offered GUEST KEY: what the DHCP server handed GUEST (router, dns, mtu,
# domain, boot_file and siaddr for PXE: the boot file from BOOTP's file
# field, which dnsmasq fills, or option 67, which networkd sends; "" when it
# sent none).
offered() { sed -n "s/^$2=//p" "$WORK/offered-$1" | sed 's/ *$//'; }

# expect_offered GUEST KEY VALUE
expect_offered() {
  local got
  got=$(offered "$1" "$2")
  if [ "$got" = "$3" ]; then pass "guest $1 was offered $2 '${3}'"; else fail "guest $1 was offered $2 '$got', expected '$3'"; fi
}

# slaac GUEST PREFIX: wait for an autoconfigured address inside PREFIX (a
# regex such as '2001:db8:20:'); prints it.
slaac() {
  local deadline=$((SECONDS + 20)) a
  while ((SECONDS <= deadline)); do
    a=$(on "$1" ip -6 -o addr show dev eth0 scope global | awk '{print $4}' | cut -d/ -f1 | grep "^$2" | head -n1 || true)
    if [ -n "$a" ]; then echo "$a"; return 0; fi
    sleep 0.2
  done
  fail "guest $1 got no SLAAC address in $2"
  return 1
}

# echo_server NS PORT [LABEL] [udp]: answers each connection with
# "LABEL PEER-ADDRESS" (what this end sees as the source).
echo_server() {
  local ns=$1 port=$2 label=${3:-echo} proto=${4:-tcp}
  if [ "$proto" = udp ]; then
    on "$ns" socat UDP6-RECVFROM:"$port",ipv6only=0,fork SYSTEM:"echo $label \$SOCAT_PEERADDR" >/dev/null 2>&1 &
  else
    on "$ns" socat TCP6-LISTEN:"$port",ipv6only=0,reuseaddr,fork SYSTEM:"echo $label \$SOCAT_PEERADDR" >/dev/null 2>&1 &
  fi
  local deadline=$((SECONDS + 5))
  until on "$ns" ss -lntu | grep -q ":$port "; do
    ((SECONDS > deadline)) && { fail "echo server on $ns:$port did not start"; return 1; }
    sleep 0.05
  done
}

# ask NS ADDRESS PORT [udp]: connect and print the answer ("" if none).
ask() {
  local ns=$1 addr=$2 port=$3 proto=${4:-tcp}
  [[ $addr == *:* ]] && addr="[$addr]"
  if [ "$proto" = udp ]; then
    # A datagram (or its answer) may be lost, or the answer outwait -T2 on
    # a loaded machine: asked twice before "no answer".
    local a
    a=$(echo x | on "$ns" timeout 4 socat -T2 - UDP:"$addr":"$port" 2>/dev/null || true)
    [ -n "$a" ] || a=$(echo x | on "$ns" timeout 4 socat -T2 - UDP:"$addr":"$port" 2>/dev/null || true)
    printf '%s' "$a"
  else
    on "$ns" timeout 4 socat -T2 - TCP:"$addr":"$port",connect-timeout=3 </dev/null 2>/dev/null || true
  fi
}

# normalize "LABEL [ADDRESS]": socat prints peers of an IPv6 socket as
# fully expanded IPv6 in brackets; print "LABEL ADDRESS" in canonical form
# (IPv4-mapped addresses as IPv4).
normalize() {
  python3 -c '
import ipaddress, sys
words = sys.argv[1].split()
out = []
for w in words:
    if w.startswith("[") and w.endswith("]"):
        a = ipaddress.ip_address(w[1:-1])
        w = str(a.ipv4_mapped) if a.version == 6 and a.ipv4_mapped else a.compressed
    out.append(w)
print(" ".join(out))
' "$1"
}

# expect_answer WHAT EXPECTED ANSWER
expect_answer() {
  local what=$1 want=$2 got=$3
  got=$(normalize "$got")
  if [ "$got" = "$want" ]; then pass "$what: $got"; else fail "$what: expected '$want', got '$got'"; fi
}

expect_no_answer() {
  local what=$1 got=$2
  if [ -z "$got" ]; then pass "$what: refused"; else fail "$what: expected no answer, got '$got'"; fi
}

can_ping() { on "$1" ping -c1 -W2 "$2" >/dev/null 2>&1; }

expect_ping() { if can_ping "$1" "$2"; then pass "$1 pings $2"; else fail "$1 cannot ping $2"; fi; }
expect_no_ping() { if can_ping "$1" "$2"; then fail "$1 pings $2 but must not"; else pass "$1 cannot ping $2"; fi; }

finish() {
  local failures=0
  if failed; then failures=$(wc -l <"$WORK/failures"); fi
  if ((failures)); then
    log "$failures check(s) failed"
    log "--- networkd log (tail)"; tail -n 30 "$WORK/networkd.log" 2>/dev/null || true
    log "--- libvirtd log (tail)"; tail -n 30 "$WORK/libvirt/libvirtd.log" 2>/dev/null || true
    log "--- host ruleset"; on host nft list ruleset 2>/dev/null | head -n 80 || true
    exit 1
  fi
  log "all checks passed"
}
