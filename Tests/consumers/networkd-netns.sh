#!/usr/bin/env bash
# Runs the real systemd-networkd on a generated networkd/ folder inside a
# throwaway network namespace, and checks what it did.
#
#   networkd-netns.sh NETWORKD_DIR [--nic NAME [MAC]]... [--link NAME]...
#                     [--addr NAME CIDR]... [--master PORT MASTER]...
#                     [--same-mac A B]... [--sys NAME ATTR VALUE]... [--no-carrier]
#
# --nic     creates a veth named NAME (with MAC if given) standing in for a NIC;
#           its peer stays unconfigured
# --link    NAME must exist once networkd is done
# --addr    NAME must carry CIDR
# --master  PORT must be enslaved to MASTER
# --same-mac  A must have B's MAC
# --sys     /sys/class/net/NAME/ATTR must read VALUE
# --no-carrier  the NICs' peers stay down: the NICs have no carrier
#
# Two runs: first networkd loads the files exactly as generated and must log
# no complaint about any line (unknown key or section, unparsable value).
# Then, because a veth has no permanent MAC, the files are copied with each
# `PermanentMACAddress=` match turned into `MACAddress=` (the veth gets that
# MAC), and networkd must bring up every expected link and address.
# Exit 0 when all holds; otherwise prints networkd's log and exits 1. Touches
# only the namespace it creates, removed on every exit path.
set -euo pipefail
source "$(dirname "$0")/../lib/networkd.sh"
src=$(readlink -f "$1"); shift
nics=(); links=(); addrs=(); masters=(); macs=(); sysattrs=(); carrier=up
while (($#)); do
  case $1 in
    --nic)
      if [[ ${3:-} =~ ^[0-9a-f]{2}(:[0-9a-f]{2}){5}$ ]]; then nics+=("$2 $3"); shift 3; else nics+=("$2"); shift 2; fi ;;
    --link) links+=("$2"); shift 2 ;;
    --addr) addrs+=("$2 $3"); shift 3 ;;
    --master) masters+=("$2 $3"); shift 3 ;;
    --same-mac) macs+=("$2 $3"); shift 3 ;;
    --sys) sysattrs+=("$2 $3 $4"); shift 4 ;;
    --no-carrier) carrier=down; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

ns=""; pid=""
work=$(mktemp -d)
log="$work/networkd.log"
stop() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi
  if [ -n "$ns" ]; then ip netns del "$ns" 2>/dev/null || true; ns=""; fi
}
trap 'stop; rm -rf "$work"' EXIT

# start DIR: a new namespace with the NICs, networkd on DIR in it.
start() {
  local dir=$1
  ns="netc-nd-$$-$RANDOM"
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  local i=0
  local name mac
  for n in "${nics[@]}"; do
    read -r name mac <<<"$n"
    ip -n "$ns" link add "$name" ${mac:+address $mac} type veth peer name "netcpeer$i"
    ip -n "$ns" link set "netcpeer$i" "$carrier"
    i=$((i + 1))
  done
  start_networkd "$ns" "$dir" "$log" debug
  pid=$NETWORKD_PID
}

# Phase 1: the files as generated; every message about a line of a file is a
# complaint.
start "$src"
deadline=$((SECONDS + 15))
until grep -q "Enumeration completed" "$log"; do
  if ((SECONDS > deadline)) || ! kill -0 "$pid" 2>/dev/null; then
    echo "networkd did not start:"; cat "$log"; exit 1
  fi
  sleep 0.1
done
sleep 0.5
bad=$(grep -E "^/etc/systemd/network/[^:]+:[0-9]+:|Failed to (load|parse)" "$log" || true)
if [ -n "$bad" ]; then
  echo "networkd complained about the generated files:"; echo "$bad"
  exit 1
fi
stop

# Phase 2: the device-level result.
copy_for_veths "$src" "$work/network"
start "$work/network"

check() {
  local ok=0
  for l in "${links[@]}"; do ip -n "$ns" link show "$l" >/dev/null 2>&1 || { ok=1; echo "missing link $l"; }; done
  for a in "${addrs[@]}"; do
    set -- $a
    ip -n "$ns" -o addr show dev "$1" 2>/dev/null | grep -qE "inet6? $2 " || { ok=1; echo "missing address $2 on $1"; }
  done
  for m in "${masters[@]}"; do
    set -- $m
    ip -n "$ns" -o link show "$1" 2>/dev/null | grep -q "master $2 " || { ok=1; echo "$1 is not enslaved to $2"; }
  done
  for m in "${macs[@]}"; do
    set -- $m
    local a b
    a=$(ip netns exec "$ns" cat "/sys/class/net/$1/address" 2>/dev/null) || a="(none)"
    b=$(ip netns exec "$ns" cat "/sys/class/net/$2/address" 2>/dev/null) || b="(none)"
    [ "$a" = "$b" ] || { ok=1; echo "$1 has MAC $a, not $2's $b"; }
  done
  for m in "${sysattrs[@]}"; do
    set -- $m
    local v
    v=$(ip netns exec "$ns" cat "/sys/class/net/$1/$2" 2>/dev/null) || v="(none)"
    [ "$v" = "$3" ] || { ok=1; echo "$1 $2 is $v, not $3"; }
  done
  return $ok
}

deadline=$((SECONDS + 30))
until check >/dev/null; do
  if ((SECONDS > deadline)) || ! kill -0 "$pid" 2>/dev/null; then
    echo "networkd did not reach the expected state:"; check || true
    echo "--- ip addr"; ip -n "$ns" addr
    echo "--- networkd log"; cat "$log"
    exit 1
  fi
  sleep 0.2
done
echo "networkd: all expectations hold"
grep -E "could not be created" "$log" | sed 's/^/note: /' || true
