#!/usr/bin/env bash
# make bench: a no-op `netc apply` on a host with N libvirt networks
# (bench/noop-apply.sh NETC OUT RUNS [RESULT]): OUT is applied once for real (the
# real networkd over a private bus, libvirtd with its network driver, nft,
# all in throwaway namespaces, files under a root folder of the script's),
# then applied again RUNS times; prints the median wall time of those in
# seconds on the last line (and into RESULT), and exits 1 if any of them ran a command that
# changes the host (NETC_COMMAND_LOG) or did not say "nothing to do".
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../Tests/e2e/harness.sh"
NETC=$1 OUT=$(readlink -f "$2") RUNS=${3:-3} RESULT=${4:-/dev/null}
chmod 755 "$WORK"
ROOT=$WORK/root
BUS="unix:path=$WORK/bus"
netns host
netns upstream
link host eth0 upstream up0
mkdir -p "$ROOT/etc/systemd/network"
on host dbus-daemon --system --address="$BUS" --nofork --nopidfile >"$WORK/dbus.log" 2>&1 &
for _ in $(seq 50); do [ -S "$WORK/bus" ] && break; sleep 0.1; done
NETWORKD_BUS=$BUS start_networkd "$PREFIX-host" "$ROOT/etc/systemd/network" "$WORK/networkd.log"
echo "nameserver 203.0.113.53" >"$WORK/resolv.conf"
start_libvirtd "$PREFIX-host" "$WORK/libvirt" "$WORK/resolv.conf" || { echo "libvirtd did not start"; exit 1; }
apply() { on host env DBUS_SYSTEM_BUS_ADDRESS="$BUS" "$@" "$NETC" apply "$OUT" --root "$ROOT" --connect "$LIBVIRT_URI"; }
start=$(date +%s.%N)
apply env >"$WORK/first.log" 2>&1 || { echo "the first apply failed:"; tail -n 20 "$WORK/first.log"; exit 1; }
echo "first apply (from nothing): $(awk "BEGIN { printf \"%.3f\", $(date +%s.%N) - $start }") s, $(virsh -q -c "$LIBVIRT_URI" net-list --name | grep -c .) networks active"
times=()
for i in $(seq "$RUNS"); do
  : >"$WORK/commands.log"
  start=$(date +%s.%N)
  apply env NETC_COMMAND_LOG="$WORK/commands.log" >"$WORK/noop.log" 2>&1 || { echo "a no-op apply failed:"; cat "$WORK/noop.log"; exit 1; }
  times+=("$(awk "BEGIN { printf \"%.3f\", $(date +%s.%N) - $start }")")
  grep -q "nothing to do" "$WORK/noop.log" || { echo "the apply was not a no-op:"; cat "$WORK/noop.log"; exit 1; }
  mutating=$(grep -vE '^(virsh (-c [^ ]+ )?(-q net-list|net-dumpxml|net-info|echo @@netc)|nft -j -s list ruleset|ip -j addr show)' "$WORK/commands.log" || true)
  [ -z "$mutating" ] || { echo "a no-op apply ran: $mutating"; exit 1; }
  echo "no-op apply $i: ${times[-1]} s, $(wc -l <"$WORK/commands.log") commands, all reads"
done
printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p" | tee "$RESULT"
