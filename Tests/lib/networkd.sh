# Shared by the consumer and end-to-end tests (sourced, not run).
#
# start_networkd NAMESPACE DIR LOG: runs the real systemd-networkd on DIR
# inside NAMESPACE, in the background, logging to LOG; sets NETWORKD_PID.
# A private mount namespace inside the netns gets DIR bind-mounted over
# /etc/systemd/network, a private /run/systemd, and a read-only /sys so that
# networkd does not wait for udev. Nothing outside the namespaces changes.
#
# NETWORKD_ROOT: a root folder of another Debian release (Tests/stacks/
# build.sh): its networkd runs instead, chrooted there, with DIR over its
# /etc/systemd/network, the namespace's own /sys, /proc and /dev, and with
# NETWORKD_BUS the machine's /tmp, where the test's private bus has its
# socket (only then: with /tmp mounted in, networkd 257's DHCP server gave
# the scenarios' guests no lease).
start_networkd() {
  local ns=$1 dir=$2 log=$3 level=${4:-info}
  if [ -n "${NETWORKD_ROOT:-}" ]; then
    ip netns exec "$ns" env ${NETWORKD_BUS:+DBUS_SYSTEM_BUS_ADDRESS=$NETWORKD_BUS} unshare -m --propagation private sh -c '
      set -e
      r=$3
      mount --bind "$1" "$r/etc/systemd/network"
      [ -z "$4" ] || mount --bind /tmp "$r/tmp"
      mount -t tmpfs tmpfs "$r/run"
      mkdir -p "$r/run/systemd/netif"
      mount -t sysfs -o ro sysfs "$r/sys"
      mount -t proc proc "$r/proc"
      mount --bind /dev "$r/dev"
      exec chroot "$r" sh -c "chown systemd-network:systemd-network /run/systemd/netif
        SYSTEMD_LOG_TARGET=console SYSTEMD_LOG_LEVEL=$2 /lib/systemd/systemd-networkd & pid=\$!
        trap \"kill \$pid; wait \$pid; exit\" TERM INT
        # From systemd 256 on, the DHCP server of networkd leases nothing until
        # persistent storage is ready (systemd-networkd-persistent-storage
        # .service does this on a real host).
        if networkctl --help 2>/dev/null | grep -q persistent-storage; then
          mkdir -p /var/lib/systemd/network; chown systemd-network:systemd-network /var/lib/systemd/network
          i=0; until networkctl persistent-storage yes >/dev/null 2>&1 || [ \$i -ge 50 ]; do sleep 0.1; i=\$((i + 1)); done
        fi
        wait \$pid"
    ' sh "$dir" "$level" "$NETWORKD_ROOT" "${NETWORKD_BUS:-}" >"$log" 2>&1 &
    NETWORKD_PID=$!
    return
  fi
  # NETWORKD_BUS: a system bus address for networkctl to reach it by.
  ip netns exec "$ns" env ${NETWORKD_BUS:+DBUS_SYSTEM_BUS_ADDRESS=$NETWORKD_BUS} unshare -m --propagation private sh -c '
    set -e
    mount --bind "$1" /etc/systemd/network
    mount -t tmpfs tmpfs /run/systemd
    mkdir -p /run/systemd/netif
    chown systemd-network:systemd-network /run/systemd/netif
    umount -l /sys
    mount -t sysfs -o ro sysfs /sys
    exec env SYSTEMD_LOG_TARGET=console SYSTEMD_LOG_LEVEL="$2" /lib/systemd/systemd-networkd
  ' sh "$dir" "$level" >"$log" 2>&1 &
  NETWORKD_PID=$!
}

# copy_for_veths SRC DEST: the generated files with each
# `PermanentMACAddress=` match turned into `MACAddress=`: a veth standing in
# for a NIC has no permanent MAC, but can be created with the NIC's MAC.
copy_for_veths() {
  mkdir -p "$2"
  cp "$1"/* "$2"/
  sed -i 's/^PermanentMACAddress=/MACAddress=/' "$2"/*
}
