#!/usr/bin/env bash
# End-to-end tests: starts the portal with the start command (the local
# control planes, Crossplane v1 and v2, with their demo content, and the local
# Git host for the pull-request path), waits until
# its catalog holds both clusters' demo content, runs e2e/*.e2e.test.mjs (or
# the test files given as arguments) in Chromium, and stops the portal.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$PLATFORMOPS_ROOT"

if ! command -v chromium >/dev/null; then
  echo "e2e: installing Debian's chromium"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

log=.controlplane/portal-e2e.log
mkdir -p .controlplane

# The pull-request path of objects delivered through Git: the local Git host
# (tools/gitea, started if it is not up) as the portal's Gitea integration,
# and the one repository there that e2e/gitops.e2e.test.mjs makes, as
# crossplane.gitops.repositories. Its own config file: it holds the token.
export E2E_GITEA_NAME=itest E2E_GITEA_PORT=3310 E2E_GITOPS_REPO=e2e-gitops
gitops_config=.controlplane/gitops-e2e.yaml
start_args=()
if (umask 077 && node -e '
  const { connectGitHost } = require("./tools/gitea");
  const env = process.env;
  const git = connectGitHost({ name: env.E2E_GITEA_NAME, port: env.E2E_GITEA_PORT });
  const repo = `${git.host}/${git.owner}/${env.E2E_GITOPS_REPO}`;
  console.log(JSON.stringify({ integrations: { gitea: [git.integration] }, crossplane: { gitops: { repositories: [repo] } } }, null, 2));
' >"$gitops_config"); then
  start_args=(--config "$PLATFORMOPS_ROOT/$gitops_config")
else
  echo "e2e: no local Git host (tools/gitea); the portal opens no pull requests" >&2
fi

setsid bash scripts/start.sh "${start_args[@]}" >"$log" 2>&1 &
portal=$!
stop_portal() { kill -TERM -- "-$portal" 2>/dev/null || true; wait "$portal" 2>/dev/null || true; }
trap stop_portal EXIT

# Entities matching a catalog filter; 0 while the portal is not ready.
count() {
  { curl -sf -H "Authorization: Bearer $token" \
    "http://localhost:7007/api/catalog/entities/by-query?filter=$1&limit=1" || true; } |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).totalItems??0)}catch{console.log(0)}})'
}
in_cluster=metadata.annotations.platformops.io/cluster

echo "e2e: waiting for the portal and its catalog (log: $log)"
deadline=$((SECONDS + 900))
until [ "$SECONDS" -ge "$deadline" ]; do
  if curl -sf -o /dev/null http://localhost:3000 && curl -sf -o /dev/null http://localhost:7007/api/crossplane/health; then
    token=$(curl -sf -X POST http://localhost:7007/api/auth/guest/refresh |
      node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).backstageIdentity.token)}catch{}})')
    # v1: the 7 demo claims; v2: its 7 composites (4 AppDatabases, the
    # SharedNetwork and the XCacheClusters of the 2 claims), `crossplane-xr`.
    claims=$(count "spec.type=crossplane-claim,$in_cluster=local")
    xrs=$(count "spec.type=crossplane-xr,$in_cluster=local-v2")
    if [ "${claims:-0}" -ge 7 ] && [ "${xrs:-0}" -ge 7 ]; then break; fi
  fi
  sleep 5
done
if [ "$SECONDS" -ge "$deadline" ]; then
  echo "e2e: the portal did not come up with the demo content (v1 claims: ${claims:-0}/7, v2 composites: ${xrs:-0}/7); last lines of $log:" >&2
  tail -40 "$log" >&2
  exit 1
fi

# The test files named as arguments (e.g. e2e/service.e2e.test.mjs), or all.
tests=("$@")
[ "${#tests[@]}" -gt 0 ] || tests=(e2e/*.e2e.test.mjs)
node --test --test-reporter=spec "${tests[@]}"
