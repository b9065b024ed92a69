#!/usr/bin/env bash
# Fuzzes the status routes and the crossplane:* scaffolder dry runs of the
# portal backend on a control plane of its own and prints the counts (also in
# bench/logs/fuzz/). Options: see bench/fuzz/README.md. Exits 0 whatever it
# finds: it is a measurement.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source scripts/env.sh
bash scripts/install.sh
exec node --require @backstage/cli/config/nodeTransform.cjs bench/fuzz/src/fuzz.ts "$@"
