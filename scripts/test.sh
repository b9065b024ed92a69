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
