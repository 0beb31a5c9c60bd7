# Namespace harness for netc's end-to-end tests. Sourced by scenarios.sh.
#
# A scenario builds a little world out of network namespaces:
#   host      runs the real systemd-networkd on OUT/networkd and loads
#             OUT/nftables/netc.nft with nft -f
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

PREFIX="netc-e2e-$$"
WORK=$(mktemp -d)
NAMESPACES=()
FAILURES=0

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

fail() { log "FAIL: $*"; FAILURES=$((FAILURES + 1)); }
pass() { log "ok: $*"; }

# on NS CMD...: run a command inside a namespace.
on() { local ns=$1; shift; ip netns exec "$PREFIX-$ns" "$@"; }

# netns NAME: a new namespace with loopback up.
netns() {
  ip netns add "$PREFIX-$1"
  NAMESPACES+=("$PREFIX-$1")
  on "$1" ip link set lo up
  on "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
}

# link NS1 IF1 NS2 IF2 [MAC1]: a veth pair between two namespaces, created
# inside them (never in the machine's own namespace).
link() {
  ip -n "$PREFIX-$1" link add "$2" ${5:+address $5} type veth peer name "$4" netns "$PREFIX-$3"
  on "$3" ip link set "$4" up
}

# start_host OUT: networkd on OUT/networkd in the host namespace (prepared
# for veths, see copy_for_veths), then the ruleset. Scenarios wait for the
# addresses they need with wait_for.
start_host() {
  local out=$1
  copy_for_veths "$out/networkd" "$WORK/networkd"
  start_networkd "$PREFIX-host" "$WORK/networkd" "$WORK/networkd.log"
  on host nft -f "$out/nftables/netc.nft"
}

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

has_addr() { on "$1" ip -o addr show dev "$2" | grep -qE "inet6? $3 "; }

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
  on host ip link set "v-$name" up
  on "$name" ip link set eth0 up
}

# dhcp GUEST: take a lease with busybox udhcpc; prints the leased address.
dhcp() {
  cat >"$WORK/udhcpc.sh" <<'SCRIPT'
#!/bin/sh
case "$1" in
  bound|renew)
    ip addr flush dev "$interface" scope global
    ip addr add "$ip/$mask" dev "$interface"
    [ -n "$router" ] && ip route replace default via "${router%% *}" dev "$interface"
    echo "$ip" > "/tmp/lease-$interface-$$"
    ;;
esac
exit 0
SCRIPT
  chmod +x "$WORK/udhcpc.sh"
  on "$1" busybox udhcpc -i eth0 -n -q -t 10 -T 1 -s "$WORK/udhcpc.sh" >"$WORK/udhcpc-$1.log" 2>&1 \
    || { fail "guest $1 got no DHCP lease"; cat "$WORK/udhcpc-$1.log"; return 1; }
  on "$1" ip -4 -o addr show dev eth0 scope global | awk '{print $4}' | cut -d/ -f1 | head -n1
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
    echo x | on "$ns" timeout 4 socat -T2 - UDP:"$addr":"$port" 2>/dev/null || true
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
  if ((FAILURES)); then
    log "$FAILURES check(s) failed"
    log "--- networkd log (tail)"; tail -n 30 "$WORK/networkd.log" 2>/dev/null || true
    log "--- host ruleset"; on host nft list ruleset 2>/dev/null | head -n 80 || true
    exit 1
  fi
  log "all checks passed"
}
