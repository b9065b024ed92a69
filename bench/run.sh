#!/usr/bin/env bash
# Reruns every benchmark on the local control plane and prints the table
# (written to bench/results.md too). Options: see bench/README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh
bash scripts/install.sh
exec node --require @backstage/cli/config/nodeTransform.cjs bench/src/run.ts "$@"
