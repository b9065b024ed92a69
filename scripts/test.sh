#!/usr/bin/env bash
# Runs every check of the repository: type check, lint, prettier, and the
# unit and integration tests. Installs what it needs first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$PLATFORMOPS_ROOT"

bash scripts/install.sh

echo "== type check"
yarn tsc
echo "== lint"
yarn backstage-cli repo lint
echo "== prettier"
yarn prettier --check .

echo "== local control planes for the integration tests"
# Two API servers with Crossplane and the demo content (built once, cached in
# ~/.cache/platformops); reused when already up.
controlplane=tools/controlplane/controlplane.sh
"$controlplane" up --seed --name itest --port 6643
"$controlplane" up --seed --name itest2 --port 6743
"$controlplane" wait-ready --name itest --timeout 300
"$controlplane" wait-ready --name itest2 --timeout 300

echo "== tests"
report="$(mktemp -d)/jest.json"
set +e
CI=true yarn backstage-cli repo test --json --outputFile="$report"
status=$?
set -e
node -e '
  const r = require(process.argv[1]);
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' "$report" || true
exit $status
