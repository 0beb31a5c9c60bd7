#!/usr/bin/env bash
# Moving a libvirt network to netc (docs/import.md), against the real
# libvirtd in a throwaway namespace:
#
#   adopt.sh NETC XML NAME
#
# libvirt runs network NAME from XML (as a host did before netc); netc
# imports it and builds the import. Checks: `netc apply` refuses to replace
# the network; `--adopt NAME --confirm` without confirmation puts the
# original back (its own XML, UUID, active and autostart); `--adopt NAME`
# replaces it with netc's, keeping its UUID, and a guest leases from it.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/harness.sh"
NETC=$1 NAME=$3
ROOT=$WORK/root OUT=$WORK/out
# A copy under the test's folder, which another release's virsh (chrooted,
# LIBVIRT_ROOT) sees too.
XML=$WORK/$(basename "$2")
cp "$2" "$XML"

apply() { on host "$NETC" apply "$OUT" --root "$ROOT" --connect "$LIBVIRT_URI" "$@"; }
virsh_() { virsh -q -c "$LIBVIRT_URI" "$@"; }
info() { virsh_ net-info "$NAME" 2>/dev/null | sed -n "s/^$1: *//p"; }
# The network's definition, without what libvirt adds when it runs it.
definition() { virsh_ net-dumpxml --inactive "$NAME" 2>/dev/null; }

netns host
echo "nameserver 203.0.113.53" >"$WORK/resolv.conf"
# libvirt 10.4 and later firewall their own networks with nftables and a tc
# checksum action (act_csum), which the test machines' kernel does not have
# (docs/install.md): the network adopted here keeps libvirt's iptables
# backend. Only libvirt's own network has a firewall of libvirt's; netc's
# networks (forward mode open) have none.
if [ -n "${LIBVIRT_ROOT:-}" ]; then
  mkdir -p "$WORK/libvirt/etc"
  echo 'firewall_backend = "iptables"' >"$WORK/libvirt/etc/network.conf"
fi
start_libvirtd "$PREFIX-host" "$WORK/libvirt" "$WORK/resolv.conf" || { fail "libvirtd did not start"; finish; }
virsh_ net-define "$XML" >/dev/null && virsh_ net-autostart "$NAME" >/dev/null && virsh_ net-start "$NAME" >/dev/null \
  || { fail "libvirt did not run $XML: $(tail -n 5 "$WORK/libvirt/libvirtd.log")"; finish; }
original=$(definition)
uuid=$(virsh_ net-uuid "$NAME")

"$NETC" import libvirt "$XML" -o "$WORK/topology.yaml" 2>"$WORK/import.log" && "$NETC" build "$WORK/topology.yaml" -o "$OUT" \
  || { fail "import and build: $(cat "$WORK/import.log")"; finish; }
pass "imported and built"

# Refused without --adopt, nothing changed.
if apply >"$WORK/apply1.log" 2>&1; then fail "apply replaced a network netc did not create"
elif grep -q "libvirt already has a network '$NAME' that netc did not create: adopt it" "$WORK/apply1.log" && [ "$(definition)" = "$original" ]; then
  pass "apply refuses to replace it and changes nothing"
else fail "apply without --adopt: $(cat "$WORK/apply1.log")"; fi

# Adopted, not confirmed: the original comes back.
status=0
apply --adopt "$NAME" --confirm 2 </dev/null >"$WORK/apply2.log" 2>&1 || status=$?
if ((status == 5)) && [ "$(definition)" = "$original" ] && [ "$(info Active)" = yes ] && [ "$(info Autostart)" = yes ]; then
  pass "adopted without confirmation: rolled back to libvirt's own network (same XML, active, autostart)"
else
  fail "rollback of an adoption (exit $status): $(cat "$WORK/apply2.log")"; log "--- now:"; definition
fi
grep -q "net-define" "$WORK/apply2.log" && pass "netc's network was defined before the rollback" || fail "the adoption defined nothing: $(cat "$WORK/apply2.log")"

# Adopted: netc's network, same UUID, active and autostart, serving guests.
if apply --adopt "$NAME" >"$WORK/apply3.log" 2>&1; then pass "apply --adopt $NAME"; else fail "apply --adopt: $(cat "$WORK/apply3.log")"; fi
definition | grep -q "<netc:network xmlns:netc=.urn:x-netc:network:1./>" && pass "the network is netc's (its metadata)" \
  || fail "the network is not netc's: $(definition)"
[ "$(virsh_ net-uuid "$NAME")" = "$uuid" ] && pass "it kept its UUID $uuid" || fail "UUID $(virsh_ net-uuid "$NAME"), was $uuid"
[ "$(info Active)" = yes ] && [ "$(info Autostart)" = yes ] && pass "active and autostart" \
  || fail "active '$(info Active)', autostart '$(info Autostart)'"
guest g1 "$OUT" "$NAME" 52:54:00:00:01:01
G1=$(dhcp g1) && pass "a guest leases $G1 from netc's network"
again=$(apply 2>&1)
grep -q "nothing to do" <<<"$again" && pass "applying again, without --adopt, does nothing" || fail "second apply: $again"
finish
