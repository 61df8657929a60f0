#!/usr/bin/env bash
# The Debian packages the farm tests (test/farm/) need on a fresh Debian 12 machine, to be
# merged into scripts/setup.sh. Safe to run again; installs nothing when all is there.
#   debootstrap      the trixie chroot whose podman 5 is the farm client and node
#   docker-registry  the local registry farm builds push to
#   curl             setup-farm-env.sh asks the registry and the node whether they answer
#   util-linux       unshare, nsenter, findmnt: the chroot's private mount namespace
#   podman runc conmon busybox-static  the host's podman 4.3 (the "no farm" message and the
#                    emulated fallback) and the tests' base image
# The environment itself (about a minute, once per machine) is made by the tests on first use
# (scripts/setup-farm-env.sh up), or ahead of time by running that script.
set -euo pipefail
PACKAGES=(debootstrap docker-registry curl util-linux podman runc conmon busybox-static)

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$package")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "setup-farm-tests: not root, so not installing ${missing[*]} (the farm tests skip outside CI)" >&2
  exit 0
fi
echo "setup-farm-tests: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
