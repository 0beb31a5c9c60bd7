#!/usr/bin/env bash
# make bench: ping RTT through the host for a guest of the first and of the
# last of N nat networks, with netc's ruleset loaded (bench/rtt.sh NFT N).
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
    ip -n "$host" link add "t$i" type veth peer name eth0 netns "$p-g$g"
    ip -n "$host" link set "t$i" master "vb$i" up
    ip -n "$p-g$g" addr add "$net.10/24" dev eth0; ip -n "$p-g$g" link set eth0 up
    ip -n "$p-g$g" route add default via "$net.1"
    g=$((g + 1))
done
ip netns exec "$host" nft -f "$nft_file"
# Per-packet RTTs, in bursts that alternate between the two guests so that
# the machine's drift touches both alike. A VM's scheduler adds noise of the
# size of the RTT itself, upwards only: the lower quartile of each guest's
# packets is what the path costs.
rtts() { ip netns exec "$1" ping -c 100 -i 0.001 203.0.113.1 | sed -n 's/.*time=\([0-9.]*\) ms/\1/p'; }
for g in 0 1; do ip netns exec "$p-g$g" ping -q -c 50 -i 0.002 203.0.113.1 >/dev/null; done
: > "/tmp/$p-0"; : > "/tmp/$p-1"
trap 'cleanup; rm -f "/tmp/$p-0" "/tmp/$p-1"' EXIT
for r in $(seq 30); do rtts "$p-g0" >> "/tmp/$p-0"; rtts "$p-g1" >> "/tmp/$p-1"; done
python3 - "/tmp/$p-0" "/tmp/$p-1" <<'PY'
import statistics, sys
first = [float(x) for x in open(sys.argv[1])]
last = [float(x) for x in open(sys.argv[2])]
a, b = statistics.quantiles(first, n=4)[0], statistics.quantiles(last, n=4)[0]
print(f"  ping RTT through the host, lower quartile of {len(first)} and {len(last)} packets: "
      f"first network {a * 1000:.1f} us, last network {b * 1000:.1f} us, difference {abs(b - a) / a * 100:.1f}%")
sys.exit(0 if abs(b - a) <= 0.10 * a else 1)
PY
