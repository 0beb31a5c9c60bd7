#!/usr/bin/env bash
# make bench: ping RTT through the host, and the rules of netc's table one
# ping meets, for a guest of the first and of the last of N nat networks,
# with netc's ruleset loaded (bench/rtt.sh NFT N). Exits 0 when both guests'
# packets meet the same number of rules.
# Only the two bridges are created: the ruleset names the others by name.
# Everything happens in namespaces this script creates and removes; guest
# subnets are private ranges inside them, the uplink is 203.0.113.0/24.
set -euo pipefail
nft_file=$1 n=$2
p=netc-bench-$$
host=$p-host up=$p-up
cleanup() { for ns in "$host" "$up" "$p-g0" "$p-g1"; do ip netns del "$ns" 2>/dev/null || true; done; }
trap cleanup EXIT
for ns in "$host" "$up" "$p-g0" "$p-g1"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip -n "$host" link add eth0 type veth peer name eth0 netns "$up"
ip -n "$host" addr add 203.0.113.10/24 dev eth0; ip -n "$host" link set eth0 up
ip -n "$up" addr add 203.0.113.1/24 dev eth0; ip -n "$up" link set eth0 up
ip netns exec "$host" sysctl -qw net.ipv4.ip_forward=1
g=0
for i in 0 $((n - 1)); do
    net="10.$((i / 256 % 256)).$((i % 256))"
    ip -n "$host" link add "vb$i" type bridge; ip -n "$host" addr add "$net.1/24" dev "vb$i"; ip -n "$host" link set "vb$i" up
    # The guest has its reservation's MAC (Workload.natNetworks): netc's
    # bridge table drops a reserved address from any other.
    mac=$(printf '52:54:00:%02x:%02x:%02x' $((i >> 16 & 255)) $((i >> 8 & 255)) $((i & 255)))
    ip -n "$host" link add "t$i" type veth peer name eth0 address "$mac" netns "$p-g$g"
    ip -n "$host" link set "t$i" master "vb$i" up
    ip -n "$p-g$g" addr add "$net.10/24" dev eth0; ip -n "$p-g$g" link set eth0 up
    ip -n "$p-g$g" route add default via "$net.1"
    g=$((g + 1))
done
ip netns exec "$host" nft -f "$nft_file"
# Per-packet RTTs, in bursts that alternate between the two guests so that
# the machine's drift touches both alike. A VM's scheduler adds noise of the
# size of the RTT itself, upwards only: the faster half of each guest's
# packets is what the path costs. ping prints whole microseconds at this
# size (10% of a 10 us RTT), so the mean of that half is compared, which
# resolves far finer than one sample.
rtts() { ip netns exec "$1" ping -c 100 -i 0.001 203.0.113.1 | sed -n 's/.*time=\([0-9.]*\) ms/\1/p'; }
for g in 0 1; do ip netns exec "$p-g$g" ping -q -c 50 -i 0.002 203.0.113.1 >/dev/null; done
: > "/tmp/$p-0"; : > "/tmp/$p-1"
trap 'cleanup; rm -f "/tmp/$p-0" "/tmp/$p-1" "/tmp/$p-trace" "/tmp/$p-table"' EXIT
for r in $(seq 30); do rtts "$p-g0" >> "/tmp/$p-0"; rtts "$p-g1" >> "/tmp/$p-1"; done
python3 - "/tmp/$p-0" "/tmp/$p-1" <<'PY'
import statistics, sys
first = [float(x) for x in open(sys.argv[1])]
last = [float(x) for x in open(sys.argv[2])]
def faster_half(xs):
    xs = sorted(xs)
    return statistics.fmean(xs[: len(xs) // 2])
a, b = faster_half(first), faster_half(last)
print(f"  ping RTT through the host, mean of the faster half of {len(first)} and {len(last)} packets: "
      f"first network {a * 1000:.2f} us, last network {b * 1000:.2f} us, difference {abs(b - a) / a * 100:.1f}%")
PY
# What the RTT cannot show on a noisy VM, counted exactly: the rules of
# table inet netc that one ping (request and reply) is evaluated against.
# nftables' trace (a table of this script's marks ICMP for tracing) names
# each chain a packet enters and the rule that decided it, by handle: the
# rules up to that one, or the whole chain where its policy decided, are
# what the packet was evaluated against (set and map lookups are hashed).
ip netns exec "$host" nft -f - <<'NFT'
table inet bench_trace {
	chain marks {
		type filter hook prerouting priority -400; policy accept;
		meta l4proto icmp meta nftrace set 1
	}
}
NFT
ip netns exec "$host" nft -a list table inet netc >"/tmp/$p-table"
rules() {
    ip netns exec "$host" nft -a monitor trace >"/tmp/$p-trace" &
    local monitor=$!
    sleep 0.3
    ip netns exec "$1" ping -c 1 -W 2 203.0.113.1 >/dev/null
    sleep 0.3
    kill "$monitor"; wait "$monitor" 2>/dev/null || true
    python3 - "/tmp/$p-table" "/tmp/$p-trace" <<'PY'
import re, sys
chains, chain = {}, None
for line in open(sys.argv[1]):
    m = re.match(r"\s*chain (\S+) \{", line)
    if m:
        chain = chains.setdefault(m.group(1), [])
        continue
    m = re.search(r"# handle (\d+)$", line.rstrip())
    if chain is not None and m and not re.match(r"\s*(type|policy|elements|set|map) ", line):
        chain.append(int(m.group(1)))
total = 0
for line in open(sys.argv[2]):
    m = re.match(r"trace id \S+ inet netc (\S+) (rule|policy) ", line)
    if not m:
        continue
    rules = chains.get(m.group(1), [])
    h = re.search(r"# handle (\d+)", line)
    total += rules.index(int(h.group(1))) + 1 if m.group(2) == "rule" and h else len(rules)
print(total)
PY
}
r0=$(rules "$p-g0") r1=$(rules "$p-g1")
echo "  rules of table inet netc one ping is evaluated against (nft trace): first network $r0, last network $r1"
[ "$r0" -gt 0 ] && [ "$r0" = "$r1" ]
