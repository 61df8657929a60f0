#!/usr/bin/env bash
# Installs everything the build and the tests need on a fresh Debian 12 machine (or a
# developer's): the npm dependencies from the lockfile. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
