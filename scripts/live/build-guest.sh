#!/usr/bin/env bash
# Builds the live tests' guest into target/live/: vmlinuz (Debian's linux-image,
# unpacked with dpkg --fsys-tarfile, no install) and initrd.gz (busybox-static +
# the static C dirtier as init's job). Cached: rebuilt only when dirtier.c changes.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/live
mkdir -p "$out"
src=tests/live/guest/dirtier.c
if [ ! -s "$out/vmlinuz" ]; then
  pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' | awk '{print $1}' | sort -V | tail -1)
  [ -n "$pkg" ] || { echo "no linux-image-6.1.0-*-amd64 in apt" >&2; exit 1; }
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -qq "$pkg")
  dpkg --fsys-tarfile "$tmp"/*.deb | tar -x -C "$tmp" ./boot
  cp "$tmp"/boot/vmlinuz-* "$out/vmlinuz.tmp" && mv "$out/vmlinuz.tmp" "$out/vmlinuz"
  echo "$pkg" > "$out/vmlinuz.package"
  rm -rf "$tmp"
fi
sum=$(sha256sum "$src" | cut -c1-16)
if [ ! -s "$out/initrd.gz" ] || [ "$(cat "$out/initrd.sum" 2>/dev/null)" != "$sum" ]; then
  root=$(mktemp -d)
  mkdir -p "$root"/{bin,proc,dev,sys}
  cp "$(readlink -f /bin/busybox)" "$root/bin/busybox"
  gcc -O2 -static -o "$root/dirtier" "$src"
  printf '#!/bin/busybox sh\n/bin/busybox mount -t proc proc /proc\nexec /dirtier\n' > "$root/init"
  chmod +x "$root/init"
  (cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/initrd.gz.tmp"
  mv "$out/initrd.gz.tmp" "$out/initrd.gz"
  echo "$sum" > "$out/initrd.sum"
  rm -rf "$root"
fi
ls -l "$out/vmlinuz" "$out/initrd.gz"
