#!/usr/bin/env bash
# Starts the PlatformOps portal: frontend on :3000, backend on :7007, with an
# in-memory SQLite catalog. Installs what it needs first.
#
# Clusters come from app-config.local.yaml when it configures any;
# otherwise the local control plane (tools/controlplane) is started in the
# background with its demo content, and the portal fills its catalog as soon
# as the cluster answers. PLATFORMOPS_CONTROLPLANE=off disables that.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$PLATFORMOPS_ROOT"

bash scripts/install.sh

config_args=(--config "$PLATFORMOPS_ROOT/app-config.yaml")
local_config="$PLATFORMOPS_ROOT/app-config.local.yaml"
controlplane="$PLATFORMOPS_ROOT/tools/controlplane/controlplane.sh"

if [ -f "$local_config" ] && grep -q 'clusterLocatorMethods' "$local_config"; then
  echo "start: clusters from app-config.local.yaml"
elif [ "${PLATFORMOPS_CONTROLPLANE:-on}" != "off" ]; then
  # Certificates and the cluster entry first (seconds), so that the portal
  # starts configured; the build (minutes, once) and start go on beside it.
  "$controlplane" prepare >/dev/null
  config_args+=(--config "$PLATFORMOPS_ROOT/.controlplane/local/backstage-cluster.yaml")
  mkdir -p .controlplane
  echo "start: local control plane starting in the background (progress: .controlplane/up.log)"
  ( "$controlplane" up --seed 2>&1 | sed -u 's/^/[controlplane] /' | tee .controlplane/up.log ) &
fi
if [ -f "$local_config" ]; then
  config_args+=(--config "$local_config")
fi

echo "start: frontend http://localhost:3000, backend http://localhost:7007"
yarn backstage-cli repo start "${config_args[@]}" "$@"
