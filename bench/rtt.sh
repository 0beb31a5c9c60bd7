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
avg() { ip netns exec "$1" ping -q -c 300 -i 0.001 203.0.113.1 | sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p'; }
for g in 0 1; do ip netns exec "$p-g$g" ping -q -c 20 -i 0.01 203.0.113.1 >/dev/null; done
first=() last=()
for r in 1 2 3 4 5; do first+=("$(avg "$p-g0")"); last+=("$(avg "$p-g1")"); done
python3 - "${first[@]}" "${last[@]}" <<'PY'
import statistics, sys
v = [float(x) for x in sys.argv[1:]]
first, last = statistics.median(v[:5]), statistics.median(v[5:])
print(f"  ping RTT through the host, median of 5 x 300: first network {first:.3f} ms, last network {last:.3f} ms, "
      f"difference {abs(last - first) / first * 100:.1f}%")
sys.exit(0 if abs(last - first) <= 0.10 * first else 1)
PY
