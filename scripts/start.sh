#!/usr/bin/env bash
# Starts the PlatformOps portal: frontend on :3000, backend on :7007, with an
# in-memory SQLite catalog. Installs what it needs first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$PLATFORMOPS_ROOT"

bash scripts/install.sh

config_args=(--config "$PLATFORMOPS_ROOT/app-config.yaml")
if [ -f app-config.local.yaml ]; then
  config_args+=(--config "$PLATFORMOPS_ROOT/app-config.local.yaml")
fi

echo "start: frontend http://localhost:3000, backend http://localhost:7007"
exec yarn backstage-cli repo start "${config_args[@]}" "$@"
