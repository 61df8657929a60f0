#!/usr/bin/env bash
# Installs code-server (a real VS Code that runs in a browser) into .cache/code-server/ for
# the end-to-end tests (test/e2e/). Its npm package downloads a Node build and ripgrep from
# GitHub when its install scripts run, so those are skipped and the native modules rebuilt
# here instead (recipe in ENVIRONMENT.md). Needs the Debian packages libkrb5-dev, ripgrep
# and pkg-config (scripts/setup.sh installs them). Safe to run again: a marker file records
# the installed version.
set -euo pipefail

VERSION=4.100.3
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PREFIX="$ROOT/.cache/code-server"
PACKAGE="$PREFIX/node_modules/code-server"
MARKER="$PREFIX/installed-version"

if [ "$(cat "$MARKER" 2>/dev/null)" = "$VERSION" ] && [ -f "$PACKAGE/out/node/entry.js" ]; then
  exit 0
fi

RG="$(command -v rg || true)"
if [ -z "$RG" ]; then
  echo "install-code-server: ripgrep (rg) is missing; install it (Debian: apt-get install ripgrep)" >&2
  exit 1
fi

# node-gyp downloads Node's headers unless told where they are: use the installed ones.
NODE_PREFIX="$(dirname "$(dirname "$(command -v node)")")"
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$NODE_PREFIX/include/node/node.h" ]; then
  export npm_config_nodedir="$NODE_PREFIX"
fi

echo "Installing code-server $VERSION into $PREFIX (about a minute)"
rm -f "$MARKER"
mkdir -p "$PREFIX"
# A package.json of its own keeps npm from treating the repository as the project.
[ -f "$PREFIX/package.json" ] || echo '{ "private": true, "description": "code-server for the end-to-end tests" }' >"$PREFIX/package.json"

# npm 11 warns about (and later versions block) dependency install scripts that the project
# has not approved; --dangerously-allow-all-scripts lets the rebuilds below run (older npm
# versions ignore it), --foreground-scripts shows compiler errors.
NPM_FLAGS=(--no-audit --no-fund --loglevel=error)
RUN_SCRIPTS=(--foreground-scripts --dangerously-allow-all-scripts)
(
  cd "$PREFIX"
  npm install "${NPM_FLAGS[@]}" --ignore-scripts "code-server@$VERSION"
  npm rebuild "${NPM_FLAGS[@]}" "${RUN_SCRIPTS[@]}" argon2
)
(
  cd "$PACKAGE/lib/vscode"
  npm install "${NPM_FLAGS[@]}" --omit=dev --ignore-scripts
  # @vscode/ripgrep's install script downloads rg from GitHub unless bin/rg exists: use Debian's.
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$RG" node_modules/@vscode/ripgrep/bin/rg
  npm_config_yes=true npm rebuild "${NPM_FLAGS[@]}" "${RUN_SCRIPTS[@]}"
  # VS Code looks its modules up under node_modules.asar when running unpacked.
  ln -sfn node_modules node_modules.asar
)
(
  cd "$PACKAGE/lib/vscode/extensions"
  npm install "${NPM_FLAGS[@]}" --omit=dev "${RUN_SCRIPTS[@]}"
)
# A skipped rebuild only shows when VS Code starts: check the native modules load now.
node -e 'for (const m of process.argv.slice(1)) require(m)' \
  "$PREFIX/node_modules/argon2" \
  "$PACKAGE/lib/vscode/node_modules/node-pty" \
  "$PACKAGE/lib/vscode/node_modules/@vscode/spdlog" \
  "$PACKAGE/lib/vscode/node_modules/native-watchdog"
echo "$VERSION" >"$MARKER"
echo "code-server $VERSION installed: $PACKAGE/out/node/entry.js"
