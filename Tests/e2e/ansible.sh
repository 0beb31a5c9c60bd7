#!/usr/bin/env bash
# The netc.kvm Ansible collection over real SSH (docs/config-management.md):
#
#   ansible.sh NETC ANSIBLE_BIN COLLECTION_TARBALL FLEET_DIR DEB
#
# ANSIBLE_BIN: the folder of a pinned ansible-core's ansible-playbook
# (.ci/run installs it); COLLECTION_TARBALL: what ansible-galaxy
# collection build made of ansible/ansible_collections/netc/kvm; FLEET_DIR:
# Tests/e2e/ansible (fleet.yaml, hosts/kvm1.yaml, hosts/kvm2.yaml); DEB:
# netc's Debian package (make deb), which the role installs on each host.
#
# Two managed hosts kvm1 and kvm2, each a network namespace with its private
# system bus, the real networkd and libvirtd (as in apply.sh) and sshd in a
# private mount and PID namespace whose /usr, /etc and /var are overlays
# (upper layers in the test's folder), so that the role's apt install of
# the package changes the host and never the machine; a controller
# namespace (sw) on their
# uplinks' segment, 198.51.100.0/24, reaching them over SSH at
# 198.51.100.11 and .12 with a throwaway key. On each host, the netc the
# modules run is a wrapper of the package's /usr/bin/netc that points it at
# the host's bus and logs every command netc runs (NETC_COMMAND_LOG);
# --root and --connect come from the inventory. The
# controller runs `ansible-playbook -i inventory site.yml`, site.yml being
# the collection's netc.kvm.site (build the fleet, then host by host:
# apply under a rollback timer, reconnect, confirm). Checks:
#   1. first run: the package installed on each host (its netc --version
#      there; the machine's dpkg untouched), both hosts changed, in sync
#      after; a guest on each host leases and reaches upstream;
#   2. second run: changed=0 for both, only reads on the hosts;
#   3. --check --diff after a change to the fleet (a reservation on kvm1, a
#      port forward on kvm2): the diff names exactly the changed files and
#      the actions; nothing on the hosts changes (netc status and the
#      installed files before and after); the real run then applies it;
#   4. a change that moves kvm2's uplink off the controller's segment (and
#      one more reservation on kvm1): kvm1 keeps its change, the play
#      reports kvm2 unreachable, kvm2 rolls back by itself when its timer
#      runs out and is reachable again at its old address.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/harness.sh"
NETC=$(readlink -f "$1") ANSIBLE_BIN=$(readlink -f "$2") TARBALL=$(readlink -f "$3") FLEET_SRC=$(readlink -f "$4") DEB=$(readlink -f "$5")
chmod 755 "$WORK"
TIMER=15   # netc_confirm_timeout: seconds a host waits for the confirmation
[ -z "${NETWORKD_ROOT:-}" ] || stack_tool dbus-daemon "$NETWORKD_ROOT"

netns sw
on sw ip link add br0 type bridge
on sw ip link set br0 up
on sw ip addr add 198.51.100.1/24 dev br0

# A managed host: namespace, uplink, bus, networkd, libvirtd, sshd, netc.
declare -A URI
managed_host() {
  local h=$1 addr=$2 dir=$WORK/$1
  mkdir -p "$dir/root/etc/systemd/network"
  chmod 755 "$dir"
  netns "$h"
  link "$h" eth0 sw "p-$h"
  on sw ip link set "p-$h" master br0
  # The address sshd is reached at before netc's first apply configures it.
  on "$h" ip addr add "$addr/24" dev eth0
  on "$h" ip link set eth0 up
  on "$h" dbus-daemon --system --address="unix:path=$dir/bus" --nofork --nopidfile >>"$dir/dbus.log" 2>&1 &
  for _ in $(seq 50); do [ -S "$dir/bus" ] && break; sleep 0.1; done
  NETWORKD_BUS="unix:path=$dir/bus" start_networkd "$PREFIX-$h" "$dir/root/etc/systemd/network" "$dir/networkd.log"
  echo "nameserver 198.51.100.53" >"$dir/resolv.conf"
  LIBVIRT_URI=
  start_libvirtd "$PREFIX-$h" "$dir/libvirt" "$dir/resolv.conf" || { fail "$h: libvirtd did not start"; return 1; }
  URI[$h]=$LIBVIRT_URI
  cat >"$dir/netc" <<WRAPPER
#!/bin/sh
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$dir/bus NETC_COMMAND_LOG=$dir/commands.log
exec /usr/bin/netc "\$@"
WRAPPER
  chmod 755 "$dir/netc"
  ssh-keygen -q -t ed25519 -N "" -f "$dir/host_key"
  cat >"$dir/sshd_config" <<SSHD
ListenAddress 0.0.0.0
HostKey $dir/host_key
PidFile none
AuthorizedKeysFile $WORK/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
SSHD
  mkdir -p "$dir/overlay"
  on "$h" unshare --mount --pid --fork --kill-child --mount-proc --propagation private sh -c '
    set -e
    for d in usr etc var; do
      mkdir -p "$2/$d.upper" "$2/$d.work"
      mount -t overlay overlay -o "lowerdir=/$d,upperdir=$2/$d.upper,workdir=$2/$d.work" "/$d"
    done
    # (man-db rebuilds its index on every install unless told not to, as in
    # container images: seconds a test does not need.)
    rm -f /var/lib/man-db/auto-update
    mount -t tmpfs -o mode=755 tmpfs /run && mkdir -m 755 /run/sshd && exec /usr/sbin/sshd -D -e -f "$1"' sh "$dir/sshd_config" "$dir/overlay" \
    >"$dir/sshd.log" 2>&1 &
}
ssh-keygen -q -t ed25519 -N "" -f "$WORK/id"
cp "$WORK/id.pub" "$WORK/authorized_keys"
managed_host kvm1 198.51.100.11 || finish
managed_host kvm2 198.51.100.12 || finish
echo_server sw 8080 up

# The controller: the collection installed from its tarball, an inventory,
# a site.yml that is the collection's playbook, the fleet.
C=$WORK/controller
mkdir -p "$C" "$WORK/ansible-home"
cp -r "$FLEET_SRC" "$C/fleet"
export ANSIBLE_HOME=$WORK/ansible-home ANSIBLE_CONFIG=$C/ansible.cfg PYTHONWARNINGS=ignore
cat >"$C/ansible.cfg" <<CFG
[defaults]
collections_path = $C/collections
host_key_checking = False
timeout = 5
forks = 2
local_tmp = $WORK/ansible-home/tmp
remote_tmp = $WORK/remote-tmp
interpreter_python = /usr/bin/python3
retry_files_enabled = False

[ssh_connection]
control_path_dir = $WORK/cp
pipelining = True
ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o ServerAliveInterval=2 -o ServerAliveCountMax=3
CFG
"$ANSIBLE_BIN/ansible-galaxy" collection install -p "$C/collections" "$TARBALL" >"$WORK/galaxy.log" 2>&1 \
  && pass "the collection installs from its tarball" || { fail "ansible-galaxy: $(cat "$WORK/galaxy.log")"; finish; }
inventory() {
  cat >"$C/inventory" <<INV
[kvm_hosts]
kvm1 ansible_host=198.51.100.11 netc_executable=$WORK/kvm1/netc netc_root=$WORK/kvm1/root netc_state_dir=$WORK/kvm1/state netc_connect=${URI[kvm1]}
kvm2 ansible_host=198.51.100.12 netc_executable=$WORK/kvm2/netc netc_root=$WORK/kvm2/root netc_state_dir=$WORK/kvm2/state netc_connect=${URI[kvm2]}

[all:vars]
ansible_user=root
ansible_ssh_private_key_file=$WORK/id
netc_fleet=$C/fleet/fleet.yaml
netc_out=$C/out
netc_build_executable=$NETC
netc_confirm_timeout=$TIMER
netc_package=$DEB
INV
}
inventory
echo "- import_playbook: netc.kvm.site" >"$C/site.yml"
# ansible-playbook as a user runs it, from the controller's namespace.
play() { (cd "$C" && on sw "$ANSIBLE_BIN/ansible-playbook" -i inventory site.yml "$@"); }
recap() { sed -n "s/^$2 *: //p" "$1" | tr -s ' '; }
count() { recap "$1" "$2" | grep -o "$3=[0-9]*" | cut -d= -f2; }
# netc status on a host from the test (outside sshd's mount namespace,
# where the package is not installed: the netc under test).
status_of() { on "$1" env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$WORK/$1/bus" "$NETC" status "$2" --root "$WORK/$1/root" --connect "${URI[$1]}" 2>&1; }
ssh_to() { on sw ssh -q -o BatchMode=yes -o ConnectTimeout=2 -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -i "$WORK/id" "root@$1" "${@:2}"; }
installed() { (cd "$WORK/$1/root" && find . \( -type f -exec md5sum {} + \) -o \( -type l -printf '%p -> %l\n' \) | sort); }
for h in kvm1 kvm2; do
  wait_for "sshd on $h" ssh_to "198.51.100.1${h#kvm}" true \
    || { cat "$WORK/$h/sshd.log"; finish; }
done

# 1. First run: the package installed, both hosts changed; a guest on each reaches upstream.
machine_dpkg=$(dpkg-query -W netc 2>&1 || true)
version=$(dpkg-deb -f "$DEB" Version)
if play >"$WORK/play1.log" 2>&1; then pass "first run: ansible-playbook -i inventory site.yml"; else fail "first run failed:\n$(cat "$WORK/play1.log")"; finish; fi
[ "$(grep -cE '^changed: \[kvm[12]\]' <(sed -n '/Install netc from its Debian package/,/^$/p' "$WORK/play1.log"))" = 2 ] \
  && pass "first run: the role installed the package on both hosts" || fail "the package was not installed:\n$(cat "$WORK/play1.log")"
for n in 1 2; do
  v=$(ssh_to 198.51.100.1$n netc --version 2>&1) w=$(ssh_to 198.51.100.1$n dpkg-query -W -f '\${Version}' netc 2>&1)
  [ "$v" = "$version" ] && [ "$w" = "$version" ] && pass "kvm$n runs the package's netc $v" || fail "kvm$n: netc --version '$v', dpkg says '$w', the package is $version"
done
[ "$(dpkg-query -W netc 2>&1 || true)" = "$machine_dpkg" ] && pass "the machine's own dpkg is untouched (the hosts' /usr, /etc, /var are overlays)" \
  || fail "the machine's dpkg changed: $(dpkg-query -W netc 2>&1)"
for h in kvm1 kvm2; do
  c=$(count "$WORK/play1.log" $h changed)
  [ "${c:-0}" -ge 1 ] && [ "$(count "$WORK/play1.log" $h failed)" = 0 ] && pass "first run: $h changed ($(recap "$WORK/play1.log" $h))" \
    || fail "first run: $h: $(recap "$WORK/play1.log" $h)"
  s=$(status_of $h "$C/out/$h")
  [ "$s" = "in sync: the host matches $C/out/$h" ] && pass "$h is in sync with its folder" || fail "$h: $s"
done
n=0
for h in kvm1 kvm2; do
  n=$((n + 1)) g=g$n
  wait_for "$h's virbr0" on $h ip link show virbr0 || finish
  netns $g
  link $g eth0 $h "v-$g" "52:54:00:00:0$n:01"
  on $h ip link set "v-$g" master virbr0
  on $h ip link set "v-$g" up
  on $g ip link set eth0 up
  a=$(dhcp $g) && pass "guest $g on $h leased $a"
  expect_answer "guest $g on $h reaches upstream, masqueraded" "up 198.51.100.1$n" "$(ask $g 198.51.100.1 8080)"
done
if failed; then cat "$WORK/play1.log"; finish; fi

# 2. Second run: nothing to do, and only reads on the hosts.
: >"$WORK/kvm1/commands.log"; : >"$WORK/kvm2/commands.log"
play >"$WORK/play2.log" 2>&1 || fail "second run failed:\n$(cat "$WORK/play2.log")"
for h in kvm1 kvm2; do
  [ "$(count "$WORK/play2.log" $h changed)" = 0 ] && [ "$(count "$WORK/play2.log" $h failed)" = 0 ] \
    && pass "second run: $h changed=0 ($(recap "$WORK/play2.log" $h))" || fail "second run: $h: $(recap "$WORK/play2.log" $h)"
  mutating=$(not_reads "$WORK/$h/commands.log")
  [ -s "$WORK/$h/commands.log" ] && [ -z "$mutating" ] && pass "second run: netc ran only reads on $h ($(wc -l <"$WORK/$h/commands.log") commands)" \
    || fail "second run: netc ran on $h: $mutating"
done

# The facts module: netc status as data, against the folder applied.
# A line per host: HOST applied=.. in_sync=.. differences=N, then the differences.
facts() {
  (cd "$C" && on sw "$ANSIBLE_BIN/ansible" -i inventory "$1" -m netc.kvm.status \
    -a 'state_dir={{ netc_state_dir }} root={{ netc_root }} connect={{ netc_connect }} executable={{ netc_executable }}' 2>&1 || true) \
    | python3 -c '
import json, re, sys
text = sys.stdin.read()
for m in re.finditer(r"^(\S+) \| (\w+) => ({.*?^})", text, re.M | re.S):
    s = json.loads(m.group(3)).get("ansible_facts", {}).get("netc_status", {})
    print(m.group(1), m.group(2), "applied=%s in_sync=%s differences=%d" % (s.get("applied"), s.get("in_sync"), len(s.get("differences", []))),
          *s.get("differences", []))
print(text, file=sys.stderr)'
}
f=$(facts kvm_hosts 2>"$WORK/facts1.log")
for h in kvm1 kvm2; do
  grep -q "^$h SUCCESS applied=True in_sync=True differences=0" <<<"$f" && pass "netc.kvm.status on $h: applied and in sync" || fail "netc.kvm.status on $h: $f"
done

# 3. --check --diff after a change: the diff, and nothing changes on the hosts.
sed -i 's/^        web1: .*/&\n        db1: { mac: "52:54:00:00:00:12", ip: 192.168.122.12 }/' "$C/fleet/hosts/kvm1.yaml"
sed -i 's/^        web1: .*/&\n    forwards:\n      - { proto: tcp, port: 2222, to: web1, to_port: 22 }/' "$C/fleet/hosts/kvm2.yaml"
for h in kvm1 kvm2; do eval "before_$h=\$(status_of $h $WORK/$h/state/out; installed $h)"; done
: >"$WORK/kvm1/commands.log"; : >"$WORK/kvm2/commands.log"
play --check --diff >"$WORK/play3.log" 2>&1 || fail "--check --diff failed:\n$(cat "$WORK/play3.log")"
for h in kvm1 kvm2; do
  [ "$(count "$WORK/play3.log" $h changed)" -ge 1 ] && pass "--check: $h reports changed ($(recap "$WORK/play3.log" $h))" \
    || fail "--check: $h: $(recap "$WORK/play3.log" $h)"
  [ "$(status_of $h "$WORK/$h/state/out"; installed $h)" = "$(eval echo "\"\$before_$h\"")" ] \
    && pass "--check: nothing on $h changed (netc status and the installed files as before)" || fail "--check changed $h"
  mutating=$(not_reads "$WORK/$h/commands.log")
  [ -z "$mutating" ] && pass "--check: netc ran only reads on $h" || fail "--check: netc ran on $h: $mutating"
done
# Each host's diff: the files, in the order netc installs them.
files=$(awk '/^--- before: /{f=f" "$3} /^(changed|ok): \[kvm[12]\]/{if (f!="") print $2 f; f=""}' "$WORK/play3.log" | xargs)
[ "$files" = "[kvm1] /etc/netc/netc.nft /etc/netc/libvirt/default.xml [kvm2] /etc/netc/netc.nft" ] \
  && pass "--diff names exactly the changed files: $files" || fail "--diff names: '$files'\n$(cat "$WORK/play3.log")"
grep -qF "+      <host mac='52:54:00:00:00:12' name='db1' ip='192.168.122.12'/>" "$WORK/play3.log" && pass "--diff shows kvm1's new reservation" \
  || fail "--diff lacks kvm1's reservation:\n$(cat "$WORK/play3.log")"
grep -qE '^\+.*dport 2222 .*dnat ip to 192.168.122.10:22' "$WORK/play3.log" && pass "--diff shows kvm2's new forward" \
  || fail "--diff lacks kvm2's forward:\n$(cat "$WORK/play3.log")"
grep -qF "run virsh net-update default add ip-dhcp-host <host mac='52:54:00:00:00:12' name='db1' ip='192.168.122.12'/>" "$WORK/play3.log" \
  && grep -qE "run nft (-f|.*netc.nft)" "$WORK/play3.log" && pass "--diff lists the actions (live reservation on kvm1, ruleset load on kvm2)" \
  || fail "--diff lacks the actions:\n$(cat "$WORK/play3.log")"
grep -q "net-destroy" "$WORK/play3.log" && fail "--diff would restart a network" || pass "--diff restarts no network"
play >"$WORK/play3b.log" 2>&1 && pass "the change applied" || fail "applying the change:\n$(cat "$WORK/play3b.log")"
for h in kvm1 kvm2; do
  s=$(status_of $h "$C/out/$h")
  [ "$s" = "in sync: the host matches $C/out/$h" ] && pass "$h in sync with the changed fleet" || fail "$h: $s"
done
cp -r "$C/out" "$WORK/v2"

# 4. A change that cuts kvm2 off the controller: kvm2 rolls back by itself.
sed -i 's|^        db1: .*|&\n        db2: { mac: "52:54:00:00:00:13", ip: 192.168.122.13 }|' "$C/fleet/hosts/kvm1.yaml"
sed -i 's|198.51.100.12/24|192.0.2.12/24|; s|gateway: 198.51.100.1$|gateway: 192.0.2.1|' "$C/fleet/hosts/kvm2.yaml"
status=0; play >"$WORK/play4.log" 2>&1 || status=$?
[ $status != 0 ] && pass "the cut-off run fails (ansible-playbook exit $status)" || fail "the cut-off run succeeded:\n$(cat "$WORK/play4.log")"
[ "$(count "$WORK/play4.log" kvm2 unreachable)" = 1 ] && pass "the play reports kvm2 unreachable ($(recap "$WORK/play4.log" kvm2))" \
  || fail "kvm2: $(recap "$WORK/play4.log" kvm2)\n$(cat "$WORK/play4.log")"
[ "$(count "$WORK/play4.log" kvm1 failed)" = 0 ] && [ "$(count "$WORK/play4.log" kvm1 changed)" -ge 1 ] \
  && s=$(status_of kvm1 "$C/out/kvm1") && [ "$s" = "in sync: the host matches $C/out/kvm1" ] \
  && pass "kvm1 applied and kept its change" || fail "kvm1: $(recap "$WORK/play4.log" kvm1): $s"
deadline=$((SECONDS + TIMER + 60))
until [ -f "$WORK/kvm2/state/job/rc" ] || ((SECONDS > deadline)); do sleep 0.5; done
[ "$(cat "$WORK/kvm2/state/job/rc" 2>/dev/null)" = 5 ] && grep -q "not confirmed: rolling back" "$WORK/kvm2/state/job/log" \
  && grep -q "run networkctl reconfigure eth0" "$WORK/kvm2/state/job/log" && grep -q "applied; rolling back in $TIMER s" "$WORK/kvm2/state/job/log" \
  && pass "kvm2 took the change that cut it off, then rolled back by itself when its timer ran out" || fail "kvm2's apply: rc $(cat "$WORK/kvm2/state/job/rc" 2>/dev/null): $(cat "$WORK/kvm2/state/job/log")"
wait_for "kvm2's old address" has_addr kvm2 eth0 198.51.100.12/24 && pass "kvm2's uplink is back at 198.51.100.12"
s=$(status_of kvm2 "$WORK/v2/kvm2")
[ "$s" = "in sync: the host matches $WORK/v2/kvm2" ] && pass "kvm2 is as before the cut-off run" || fail "kvm2 after its rollback: $s"
(cd "$C" && on sw "$ANSIBLE_BIN/ansible" -i inventory kvm2 -m ansible.builtin.ping >"$WORK/ping.log" 2>&1) \
  && pass "the controller reaches kvm2 again" || fail "kvm2 unreachable after its rollback: $(cat "$WORK/ping.log")"
expect_answer "guest g2 on kvm2 reaches upstream again" "up 198.51.100.12" "$(ask g2 198.51.100.1 8080)"
f=$(facts kvm2 2>"$WORK/facts2.log")
grep "^kvm2 SUCCESS applied=True in_sync=False differences=[1-9]" <<<"$f" | grep -q eth0 \
  && pass "netc.kvm.status on kvm2: out of sync with the folder it rolled back from, naming eth0" || fail "netc.kvm.status on kvm2: $f"
if failed; then for f in "$WORK"/play*.log; do log "--- $f"; cat "$f"; done; fi
finish
