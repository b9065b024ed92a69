#!/usr/bin/env bash
# Large provider benchmark: 2,000+ generated CRDs on a control-plane instance
# of its own (crds, port 6963), the object cache over HTTP/1.1 (before) and
# HTTP/2 (after) side by side. Prints the table (also bench/logs/crds-results.md).
# Options: --crds N (2100), --objects N (48), --transports http1,http2,
# --keep (leave the instance up; by default it is stopped and purged).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source scripts/env.sh
keep=false
args=()
for arg in "$@"; do
  if [ "$arg" = "--keep" ]; then keep=true; else args+=("$arg"); fi
done
if [ "$keep" = false ]; then
  trap 'tools/controlplane/controlplane.sh down --purge --name crds' EXIT
fi
node --require @backstage/cli/config/nodeTransform.cjs bench/src/crds.ts "${args[@]}"
