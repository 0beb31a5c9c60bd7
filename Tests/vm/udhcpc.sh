#!/bin/sh
# udhcpc's script in the test guest: the leased address and default route.
case "$1" in
  deconfig) ip -4 addr flush dev "$interface" ;;
  bound|renew)
    old=$(ip -4 -o addr show dev "$interface" | sed -n 's/.* inet \([0-9.]*\/[0-9]*\).*/\1/p')
    if [ "$old" != "$ip/${mask:-24}" ]; then
      ip -4 addr flush dev "$interface"
      ip addr add "$ip/${mask:-24}" dev "$interface"
      echo "guest: leased $ip/${mask:-24}" >/dev/console
    fi
    [ -n "$router" ] && ip route replace default via "${router%% *}" dev "$interface"
    ;;
esac
exit 0
