# Shared by the end-to-end tests (sourced, not run).
#
# start_libvirtd NAMESPACE STATE RESOLV: runs the real libvirtd inside
# NAMESPACE with its network driver only, in a private mount and PID
# namespace whose /run, /etc/libvirt, /var/lib, /var/cache and /var/log are
# folders under STATE, and whose /etc/resolv.conf is RESOLV (the upstream
# resolvers dnsmasq forwards to). Killing libvirtd takes its dnsmasq
# processes with it (they live in its PID namespace). Sets LIBVIRTD_PID and
# LIBVIRT_URI (for `virsh -c`), and returns once the daemon answers.
# Nothing outside the namespace changes.
start_libvirtd() {
  local ns=$1 state=$2 resolv=$3 driver
  driver=$(ls /usr/lib/*/libvirt/connection-driver/libvirt_driver_network.so 2>/dev/null | head -n1)
  [ -n "$driver" ] || { echo "libvirt's network driver is not installed (libvirt-daemon)"; return 1; }
  mkdir -p "$state"/{run,etc,varlib,cache,log/libvirt,drivers}
  cp /etc/libvirt/libvirt.conf "$state/etc/" 2>/dev/null || : >"$state/etc/libvirt.conf"
  ln -sf "$driver" "$state/drivers/"
  ip netns exec "$ns" unshare --mount --pid --fork --kill-child --mount-proc --propagation private sh -c '
    set -e
    mount --bind "$1/run" /run
    mount --bind "$1/etc" /etc/libvirt
    mount --bind "$1/varlib" /var/lib
    mount --bind "$1/cache" /var/cache
    mount --bind "$1/log" /var/log
    mount --bind "$2" /etc/resolv.conf
    exec env LIBVIRT_DRIVER_DIR="$1/drivers" /usr/sbin/libvirtd
  ' sh "$state" "$resolv" >"$state/libvirtd.log" 2>&1 &
  LIBVIRTD_PID=$!
  LIBVIRT_URI="network:///system?socket=$state/run/libvirt/libvirt-sock"
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
