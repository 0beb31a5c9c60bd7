#!/usr/bin/env bash
# Builds netc's Debian package from a built netc (make deb: the release
# binary, its standard library linked in):
#
#   tools/deb.sh NETC OUTDIR        -> OUTDIR/netc_VERSION_ARCH.deb
#
# The binary, the man pages (tools/manpages.py, from the binary's own
# command tree), bash, zsh and fish completions, README and docs/, the
# copyright and changelog, with dpkg-deb. Depends are dpkg-shlibdeps' (the
# C and C++ libraries the binary links: libc6, libgcc-s1, libstdc++6);
# nftables, systemd and libvirt are recommended: netc builds without them,
# and `netc apply` runs the host's own. Reproducible: file times are the
# last commit's (SOURCE_DATE_EPOCH), owners root.
set -euo pipefail
netc=$(realpath "$1") out=$2
here=$(cd "$(dirname "$0")/.." && pwd)
version=$("$netc" --version)
arch=$(dpkg --print-architecture)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$here" log -1 --format=%ct 2>/dev/null || date +%s)}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/netc_${version}_$arch

install -d "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/man/man1" "$root/usr/share/doc/netc/docs" \
  "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
  "$root/usr/share/fish/vendor_completions.d"
install -m 0755 "$netc" "$root/usr/bin/netc"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/netc"
python3 "$here/tools/manpages.py" "$netc" "$stage/man"
for m in "$stage"/man/*.1; do gzip -9n <"$m" >"$root/usr/share/man/man1/$(basename "$m").gz"; done
# A completion is sourced, not run: no #! line (lintian).
"$netc" --generate-completion-script bash | sed '1{/^#!/d}' >"$root/usr/share/bash-completion/completions/netc"
"$netc" --generate-completion-script zsh >"$root/usr/share/zsh/vendor-completions/_netc"
"$netc" --generate-completion-script fish >"$root/usr/share/fish/vendor_completions.d/netc.fish"
install -m 0644 "$here/README.md" "$root/usr/share/doc/netc/README.md"
cp -r "$here"/docs/. "$root/usr/share/doc/netc/docs/"
find "$root/usr/share/doc/netc/docs" -type f -exec chmod 0644 {} + -o -type d -exec chmod 0755 {} +
install -m 0644 "$here/tools/debian/copyright" "$root/usr/share/doc/netc/copyright"
install -d "$root/usr/share/lintian/overrides"
install -m 0644 "$here/tools/debian/lintian-overrides" "$root/usr/share/lintian/overrides/netc"
# A native package's changelog: one entry for this version.
date=$(date -u -R -d "@$SOURCE_DATE_EPOCH")
printf 'netc (%s) unstable; urgency=medium\n\n  * netc %s, built from %s.\n\n -- netc maintainers <netc@example.org>  %s\n' \
  "$version" "$version" "$(git -C "$here" describe --always --dirty 2>/dev/null || echo source)" "$date" \
  | gzip -9n >"$root/usr/share/doc/netc/changelog.gz"

# Depends from the libraries the binary links (dpkg-shlibdeps reads a
# debian/control of its own).
mkdir -p "$stage/shlibs/debian"
printf 'Source: netc\n\nPackage: netc\nArchitecture: any\n' >"$stage/shlibs/debian/control"
depends=$(cd "$stage/shlibs" && dpkg-shlibdeps -O -e"$root/usr/bin/netc" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<EOF
Package: netc
Version: $version
Architecture: $arch
Maintainer: netc maintainers <netc@example.org>
Installed-Size: $size
Depends: $depends
Recommends: nftables, systemd, libvirt-clients
Suggests: libvirt-daemon, graphviz
Section: net
Priority: optional
Homepage: https://example.org/netc
Description: compiler for KVM host networking
 netc reads one YAML topology of a KVM host's networks (bridge, NAT,
 isolated, routed, macvtap; fleets of hosts with VXLAN overlays) and writes
 the libvirt network XML, systemd-networkd files, nftables ruleset and
 sysctl file that implement it, deterministically; netc apply puts them on
 a running host with rollback, netc status shows how a host drifted.
EOF
(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$out"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out/netc_${version}_$arch.deb" >/dev/null
echo "$out/netc_${version}_$arch.deb"
