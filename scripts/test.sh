#!/usr/bin/env bash
# Runs every check of the repository: type check, lint, prettier, the unit
# and integration tests, the end-to-end tests in Chromium and the install
# check (the suite in a new Backstage app). Installs what it needs first.
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
# API servers with Crossplane and the demo content (built once, cached in
# ~/.cache/platformops); reused when already up. itest runs Crossplane v1;
# itest2 Crossplane v2, as the second cluster of the catalog tests (which
# stop and restart it); itest3 Crossplane v2 for the other v2 tests.
controlplane=tools/controlplane/controlplane.sh
"$controlplane" up --seed --name itest --port 6643
for instance in itest2:6743 itest3:6843; do
  name="${instance%%:*}"
  # One of the other line (or of before lines were recorded) cannot be
  # switched in place: its etcd holds that line's objects.
  if [ -d ".controlplane/$name" ] &&
    [ "$(cat ".controlplane/$name/line" 2>/dev/null)" != v2 ]; then
    echo "$name does not run Crossplane v2: recreating it"
    "$controlplane" down --purge --name "$name"
  fi
  "$controlplane" up --seed --crossplane v2 --name "$name" --port "${instance#*:}"
done
for name in itest itest2 itest3; do
  "$controlplane" wait-ready --name "$name" --timeout 300
done

echo "== local Git host for the GitOps integration tests"
# Gitea (built once, cached in ~/.cache/platformops); reused when up.
tools/gitea/gitea.sh up --name itest --port 3310

echo "== PostgreSQL for the database integration tests"
PLATFORMOPS_TEST_POSTGRES_URL="$(bash scripts/postgres.sh)"
export PLATFORMOPS_TEST_POSTGRES_URL

echo "== unit and integration tests"
report="$(mktemp -d)"
set +e
CI=true yarn backstage-cli repo test --json --outputFile="$report/jest.json"
unit_status=$?

echo "== end-to-end tests (portal in Chromium)"
bash scripts/e2e.sh 2>&1 | tee "$report/e2e.log"
e2e_status=${PIPESTATUS[0]}

echo "== install check (the suite added to a new Backstage app by its READMEs)"
bash scripts/install-check.sh 2>&1 | tee "$report/install-check.log"
install_status=${PIPESTATUS[0]}

echo "== API reports (each published package's API as checked in)"
# Compiles every type declaration afresh, as the regeneration does: an
# incremental build can print inferred union types in another order.
api_started=$SECONDS
yarn build:api-reports --ci 2>&1 | tee "$report/api-reports.log"
api_status=${PIPESTATUS[0]}
echo "API reports checked in $((SECONDS - api_started)) s"
set -e

node -e '
  const fs = require("fs");
  const [jestFile, e2eFile, installStatus, apiStatus] = process.argv.slice(1);
  let passed = 0, failed = 0, skipped = 0;
  try {
    const r = JSON.parse(fs.readFileSync(jestFile, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests;
    if (!r.success && r.numFailedTests === 0) failed += r.numRuntimeErrorTestSuites || 1;
  } catch { failed += 1; }
  const log = fs.existsSync(e2eFile) ? fs.readFileSync(e2eFile, "utf8") : "";
  const count = name => Number((log.match(new RegExp("ℹ " + name + " (\\d+)")) || [])[1] || 0);
  passed += count("pass"); failed += count("fail"); skipped += count("skipped");
  if (installStatus === "0") passed += 1; else failed += 1;
  if (apiStatus === "0") passed += 1; else failed += 1;
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$report/jest.json" "$report/e2e.log" "$install_status" "$api_status"

if [ "$unit_status" -ne 0 ] || [ "$e2e_status" -ne 0 ] || [ "$install_status" -ne 0 ] ||
  [ "$api_status" -ne 0 ]; then
  exit 1
fi
