# Shared by the end-to-end tests (sourced, not run).

# PID 1 of libvirtd's PID namespace: starts the command, reaps every process
# that ends there (libvirtd reaps only its own: a QEMU it daemonized would
# stay a zombie, and libvirt waits 40 s for it to die), passes SIGTERM on,
# and exits with the daemon, which ends the namespace and all in it.
LIBVIRT_REAPER='
import os, signal, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
signal.signal(signal.SIGTERM, lambda s, f: os.kill(pid, s))
while True:
    try:
        p, status = os.wait()
    except ChildProcessError:
        break
    if p == pid:
        sys.exit(os.waitstatus_to_exitcode(status))
'
#
# start_libvirtd NAMESPACE STATE RESOLV: runs the real libvirtd inside
# NAMESPACE with its network driver only, in a private mount and PID
# namespace whose /run, /etc/libvirt, /var/lib, /var/cache and /var/log are
# folders under STATE, and whose /etc/resolv.conf is RESOLV (the upstream
# resolvers dnsmasq forwards to). Killing libvirtd takes its dnsmasq
# processes with it (they live in its PID namespace). Sets LIBVIRTD_PID and
# LIBVIRT_URI (for `virsh -c`), and returns once the daemon answers.
# With a fourth argument `qemu`, libvirt's QEMU driver is loaded too (real
# guest VMs under software emulation, as ../shared notes describe: running
# as root, no cgroups, no security driver, console to a file), and
# QEMU_URI is set; its guests die with the daemon's PID namespace.
# With LIBVIRT_ROOT (a root of another Debian release, Tests/stacks/
# build.sh), that release's libvirtd (network driver) and dnsmasq run,
# chrooted there, with the same private folders mounted into the root.
# Nothing outside the namespace changes.
start_libvirtd() {
  local ns=$1 state=$2 resolv=$3 with=${4:-} driver qemu
  driver=$(ls /usr/lib/*/libvirt/connection-driver/libvirt_driver_network.so 2>/dev/null | head -n1)
  [ -n "$driver" ] || { echo "libvirt's network driver is not installed (libvirt-daemon)"; return 1; }
  mkdir -p "$state"/{run,etc,varlib,cache,log/libvirt,drivers}
  cp /etc/libvirt/libvirt.conf "$state/etc/" 2>/dev/null || : >"$state/etc/libvirt.conf"
  ln -sf "$driver" "$state/drivers/"
  if [ "$with" = qemu ]; then
    qemu=$(ls /usr/lib/*/libvirt/connection-driver/libvirt_driver_qemu.so 2>/dev/null | head -n1)
    [ -n "$qemu" ] || { echo "libvirt's QEMU driver is not installed (libvirt-daemon-driver-qemu)"; return 1; }
    ln -sf "$qemu" "$state/drivers/"
    # The driver looks its user up before reading qemu.conf.
    { cat /etc/passwd; getent passwd libvirt-qemu >/dev/null || echo "libvirt-qemu:x:64055:64055::/var/lib/libvirt:/usr/sbin/nologin"; } >"$state/passwd"
    { cat /etc/group; getent group libvirt-qemu >/dev/null || echo "libvirt-qemu:x:64055:"; getent group kvm >/dev/null || echo "kvm:x:64056:"; } >"$state/group"
    cat >"$state/etc/qemu.conf" <<'QEMU'
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
stdio_handler = "file"
QEMU
  fi
  ip netns exec "$ns" unshare --mount --pid --fork --kill-child --mount-proc --propagation private sh -c '
    set -e
    mount --bind "$1/run" /run
    mount --bind "$1/etc" /etc/libvirt
    mount --bind "$1/varlib" /var/lib
    mount --bind "$1/cache" /var/cache
    mount --bind "$1/log" /var/log
    mount --bind "$2" /etc/resolv.conf
    if [ -f "$1/passwd" ]; then
      mount --bind "$1/passwd" /etc/passwd; mount --bind "$1/group" /etc/group
      # A /dev without kvm: KVM does not work on these machines, and
      # QEMU probing it hangs for 40 s a process. QEMU runs under TCG.
      mkdir -p "$1/dev.real"; mount --bind /dev "$1/dev.real"
      mount -t tmpfs -o mode=755 tmpfs /dev
      for n in null zero full random urandom tty ptmx; do touch "/dev/$n"; mount --bind "$1/dev.real/$n" "/dev/$n"; done
      for d in net pts shm; do mkdir "/dev/$d"; mount --bind "$1/dev.real/$d" "/dev/$d"; done
    fi
    if [ -n "$4" ]; then
      r=$4
      for m in run:run etc:etc/libvirt varlib:var/lib cache:var/cache log:var/log; do mount --bind "$1/${m%%:*}" "$r/${m#*:}"; done
      mount --bind "$2" "$r/etc/resolv.conf"
      for d in proc sys dev; do mount --bind "/$d" "$r/$d"; done
      exec python3 -c "$3" chroot "$r" env LIBVIRT_DRIVER_DIR=$(ls -d "$r"/usr/lib/*/libvirt/connection-driver | sed "s|^$r||") /usr/sbin/libvirtd
    fi
    exec python3 -c "$3" env LIBVIRT_DRIVER_DIR="$1/drivers" /usr/sbin/libvirtd
  ' sh "$state" "$resolv" "$LIBVIRT_REAPER" "${LIBVIRT_ROOT:-}" >"$state/libvirtd.log" 2>&1 &
  LIBVIRTD_PID=$!
  LIBVIRT_URI="network:///system?socket=$state/run/libvirt/libvirt-sock"
  QEMU_URI="qemu:///system?socket=$state/run/libvirt/libvirt-sock"
  local deadline=$((SECONDS + 15))
  until virsh -q -c "$LIBVIRT_URI" net-list --all >/dev/null 2>&1; do
    if ((SECONDS > deadline)) || ! kill -0 "$LIBVIRTD_PID" 2>/dev/null; then
      echo "libvirtd did not start:"; cat "$state/libvirtd.log"; return 1
    fi
    sleep 0.1
  done
}

# libvirt_serves XML: whether libvirt serves this network itself (open mode).
libvirt_serves() { grep -q "<forward mode='open'/>" "$1"; }

# guest_vm NAME MIB KERNEL INITRD CMDLINE CONSOLE INTERFACE...: the domain XML
# of a test guest, on standard output: QEMU under software emulation (KVM
# does not work on these machines), the kernel and initramfs of
# Tests/vm/build-guest.sh, its serial console into the file CONSOLE, and
# each INTERFACE (an <interface> element) with a virtio NIC.
guest_vm() {
  local name=$1 mib=$2 kernel=$3 initrd=$4 cmdline=$5 console=$6 i
  shift 6
  cat <<XML
<domain type='qemu'>
  <name>$name</name><memory unit='MiB'>$mib</memory><vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$kernel</kernel><initrd>$initrd</initrd>
    <cmdline>console=ttyS0 quiet panic=-1 $cmdline</cmdline></os>
  <on_poweroff>destroy</on_poweroff><on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
XML
  for i in "$@"; do echo "    ${i%</interface>}<model type='virtio'/></interface>"; done
  cat <<XML
    <serial type='file'><source path='$console'/><target port='0'/></serial>
    <video><model type='none'/></video><memballoon model='none'/>
  </devices>
</domain>
XML
}
