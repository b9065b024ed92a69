#!/usr/bin/env bash
# Installs the project's toolchain into .toolchain/ (git-ignored) from the npm
# registry: Node.js $NODE_VERSION (package `node`) and Yarn $YARN_VERSION
# (package `@yarnpkg/cli-dist`). No release file or binary is committed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${NODE_VERSION:?source scripts/env.sh instead of running this directly}"
: "${YARN_VERSION:?packageManager in package.json must pin yarn@<version>}"
TC="$ROOT/.toolchain"
mkdir -p "$TC/bin"

echo "bootstrap: installing Node $NODE_VERSION and Yarn $YARN_VERSION into .toolchain/"
# `npm i --prefix` with the system npm; the loglevel keeps CI output readable.
npm install --no-save --no-package-lock --loglevel=error --prefix "$TC/node" "node@$NODE_VERSION" >/dev/null
npm install --no-save --no-package-lock --loglevel=error --prefix "$TC/yarn" "@yarnpkg/cli-dist@$YARN_VERSION" >/dev/null

ln -sf "$TC/node/node_modules/node/bin/node" "$TC/bin/node"
ln -sf "$TC/node/node_modules/node/bin/node" "$TC/bin/nodejs"
cat > "$TC/bin/yarn" <<SH
#!/bin/sh
exec "$TC/bin/node" "$TC/yarn/node_modules/@yarnpkg/cli-dist/bin/yarn.js" "\$@"
SH
chmod +x "$TC/bin/yarn"
rm -f "$TC"/.versions-*
touch "$TC/.versions-$NODE_VERSION-$YARN_VERSION"
"$TC/bin/node" --version
"$TC/bin/yarn" --version
