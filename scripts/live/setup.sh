#!/usr/bin/env bash
# Installs what the live migration tests need, from Debian only: QEMU 10 from
# bookworm-backports (bookworm's 7.2 panics TCG guests after migration, see
# docs in tests/live), busybox-static and gcc for the guest, libvirt for test (d).
# Idempotent: does nothing when everything is present.
set -euo pipefail
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
need=()
qemu-system-x86_64 --version 2>/dev/null | grep -q 'version 10\.' || need+=(qemu)
command -v busybox >/dev/null && [ -x /bin/busybox ] || need+=(busybox-static)
command -v gcc >/dev/null || need+=(gcc)
command -v cpio >/dev/null || need+=(cpio)
command -v virsh >/dev/null && command -v libvirtd >/dev/null || need+=(libvirt)
[ ${#need[@]} = 0 ] && exit 0

src=/etc/apt/sources.list.d/bookworm-backports.sources
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  # The same mirror as the existing bookworm entry.
  uri=$(awk '/^URIs:/ {u=$2} /^Suites:/ && / bookworm( |$)/ {print u; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  uri=${uri:-$(awk '$1=="deb" && $3=="bookworm" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)}
  uri=${uri:-http://deb.debian.org/debian}
  printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" | $SUDO tee "$src" >/dev/null
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports qemu-system-x86
$SUDO apt-get install -y -qq --no-install-recommends busybox-static gcc libc6-dev cpio libvirt-daemon-system libvirt-clients
qemu-system-x86_64 --version | head -1
