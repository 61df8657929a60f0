#!/usr/bin/env bash
# Installs everything the build and the tests need on a fresh Debian 12 machine (or a
# developer's): the Debian packages of the podman, disk-image, VM and end-to-end tests, the npm
# dependencies from the lockfile, and code-server for the end-to-end tests
# (scripts/install-code-server.sh). Safe to run again, and quick when all is there. Elsewhere
# (not root, not Debian) it lists what is missing and carries on: the tests that need a missing
# tool skip, except in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

# podman + runc + conmon: image builds and runs (rootful podman also runs the bootc-image-builder
# stand-in); busybox-static: the tests' local base image; chromium: the browser that drives
# code-server; libkrb5-dev, pkg-config, g++, make, python3: code-server's native modules; ripgrep:
# code-server's search; tar: packing the base image. qemu-system-x86, qemu-utils: booting the disks
# (and qemu-img in the stand-in); extlinux, syslinux-common, isolinux, xorriso, e2fsprogs, fdisk,
# mount, kmod, jq: the stand-in builder makes bootable disks and ISOs from a container rootfs with
# them (kmod's modinfo orders the initramfs modules); openssl: checking config.toml's password
# hashes; procps: pgrep, to check that no qemu or builder process is left. libvirt-daemon-system,
# libvirt-clients, virtinst: Open in VM's libvirt backend (virt-install, virsh and the libvirtd
# that test/helpers/libvirt.ts starts itself, there being no systemd; its package creates the
# libvirt-qemu user the daemon needs).
APT_PACKAGES=(podman runc conmon busybox-static chromium libkrb5-dev ripgrep pkg-config g++ make python3 tar
  qemu-system-x86 qemu-utils extlinux syslinux-common isolinux xorriso e2fsprogs fdisk mount kmod jq openssl procps
  libvirt-daemon-system libvirt-clients virtinst)

missing_packages() {
  local package
  for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q '^install ok installed$' || echo "$package"
  done
}

if [ -f /etc/debian_version ] && command -v dpkg-query >/dev/null; then
  mapfile -t missing < <(missing_packages)
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "setup: installing ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "setup: not root, so not installing these Debian packages: ${missing[*]} (tests that need them skip outside CI)" >&2
    fi
  fi
else
  for tool in podman runc busybox chromium rg pkg-config qemu-system-x86_64 qemu-img extlinux xorriso; do
    command -v "$tool" >/dev/null || echo "setup: $tool is missing (tests that need it skip outside CI)" >&2
  done
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# The multi-architecture (podman farm) tests: their Debian packages, then their environment, a
# podman 5 in a Debian trixie chroot under /var/cache/vscode-bootc (about a minute the first time;
# see scripts/setup-farm-env.sh). Outside CI a failure only makes those tests fail with the reason.
scripts/setup-farm-tests.sh
if [ "$(id -u)" = 0 ]; then
  scripts/setup-farm-env.sh up >/dev/null || {
    [ -n "${CI:-}" ] && exit 1
    echo "setup: the farm test environment could not be set up; the farm tests will fail (run scripts/setup-farm-env.sh up to see why)" >&2
  }
fi

if ! scripts/install-code-server.sh; then
  if [ -n "${CI:-}" ]; then
    echo "setup: installing code-server failed" >&2
    exit 1
  fi
  echo "setup: code-server could not be installed; the end-to-end tests will skip" >&2
fi
