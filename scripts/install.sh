#!/usr/bin/env bash
# Installs the JavaScript dependencies when yarn.lock or a package.json
# changed since the last install. Yarn's cache lives outside the repo
# (~/.yarn/berry/cache), so a second clone on the same machine installs fast.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$PLATFORMOPS_ROOT"

stamp="node_modules/.platformops-install"
want="$(cat yarn.lock package.json packages/*/package.json plugins/*/package.json | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "install: yarn install"
if [ "${CI:-}" = "true" ]; then
  yarn install --immutable
else
  yarn install
fi
echo "$want" > "$stamp"
