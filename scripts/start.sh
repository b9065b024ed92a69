#!/usr/bin/env bash
# Starts the PlatformOps portal: frontend on :3000, backend on :7007, with an
# in-memory SQLite catalog. Installs what it needs first.
#
# Clusters come from app-config.local.yaml when it configures any;
# otherwise two local control-plane instances (tools/controlplane), a mixed
# fleet, are started in the background with their demo content: `local`
# (Crossplane v1, :6443) and `local-v2` (Crossplane v2, :6543). The portal
# fills its catalog as soon as each cluster answers.
# PLATFORMOPS_CONTROLPLANE=off disables that.
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
  # name, base port (ports of instances at least 10 apart), Crossplane line
  instances=("local 6443 v1" "local-v2 6543 v2")
  names=()
  mkdir -p .controlplane
  for instance in "${instances[@]}"; do
    read -r name port line <<<"$instance"
    names+=("$name")
    # Certificates and the cluster entry first (seconds), so that the portal
    # starts configured; the build (minutes, once) and start go on beside it.
    "$controlplane" prepare --name "$name" --port "$port" >/dev/null
    log=".controlplane/up.log"
    [ "$name" = local ] || log=".controlplane/up-$name.log"
    echo "start: local control plane $name (Crossplane $line) starting in the background (progress: $log)"
    ( "$controlplane" up --seed --name "$name" --port "$port" --crossplane "$line" 2>&1 |
      sed -u 's/^/[controlplane] /' | tee "$log" ) &
  done
  # One fragment with every instance's cluster entry: Backstage replaces an
  # array set by two config files (the last file wins) rather than merging it.
  clusters_config=.controlplane/backstage-clusters.yaml
  (umask 077 && node -e '
    const { controlPlaneInfo } = require("./tools/controlplane");
    const clusters = process.argv.slice(1).map(name => controlPlaneInfo({ name }).backstageCluster);
    console.log(JSON.stringify({ kubernetes: { clusterLocatorMethods: [{ type: "config", clusters }] } }, null, 2));
  ' "${names[@]}" >"$clusters_config")
  config_args+=(--config "$PLATFORMOPS_ROOT/$clusters_config")
fi
if [ -f "$local_config" ]; then
  config_args+=(--config "$local_config")
fi

echo "start: frontend http://localhost:3000, backend http://localhost:7007"
yarn backstage-cli repo start "${config_args[@]}" "$@"
