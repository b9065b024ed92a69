#!/usr/bin/env bash
# Smoke test of the local control plane: a claim created with kubectl becomes
# Ready=True and Synced=True through Crossplane and provider-nop; its composite
# and NopResources are listed; deleting it removes them (Crossplane + garbage
# collector); deleting a namespace finishes (namespace controller).
#
#   tools/controlplane/smoke.sh [--name NAME] [--port PORT]
# Starts the instance if it is not up (and seeds the platform APIs if missing).
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CP="$SCRIPT_DIR/controlplane.sh"
ARGS=("$@")
START=$SECONDS

step() { printf '[smoke] %s\n' "$*"; }
fail() { printf '[smoke] FAIL: %s\n' "$*" >&2; exit 1; }

"$CP" up "${ARGS[@]}"
NAME=local
for ((i = 0; i < ${#ARGS[@]}; i++)); do
  case "${ARGS[$i]}" in --name) NAME="${ARGS[$((i + 1))]}" ;; --name=*) NAME="${ARGS[$i]#*=}" ;; esac
done
# shellcheck disable=SC1090
source "$SCRIPT_DIR/../../.controlplane/$NAME/env"
kc() { kubectl --request-timeout=20s "$@"; }

if ! kc get xrd xobjectbuckets.storage.platformops.io >/dev/null 2>&1; then
  step "platform APIs missing: seeding demo content"
  "$CP" seed "${ARGS[@]}"
fi
kc wait --for=condition=Offered --timeout=120s xrd/xobjectbuckets.storage.platformops.io >/dev/null

NS="smoke-$(date +%s)"
CLAIM="smoke-bucket"
step "creating namespace $NS and ObjectBucket claim $CLAIM"
kc create namespace "$NS" >/dev/null
kc apply -f - >/dev/null <<EOF
apiVersion: storage.platformops.io/v1alpha1
kind: ObjectBucket
metadata:
  name: $CLAIM
  namespace: $NS
  labels:
    platformops.io/owner: smoke-testers
spec:
  parameters:
    storageClass: NEARLINE
    region: eu-central-1
EOF

t0=$SECONDS
kc -n "$NS" wait --for=condition=Synced=True --timeout=120s "objectbucket/$CLAIM" >/dev/null || fail "claim not Synced"
kc -n "$NS" wait --for=condition=Ready=True --timeout=120s "objectbucket/$CLAIM" >/dev/null || fail "claim not Ready"
step "claim Ready=True and Synced=True after $((SECONDS - t0))s"
kc -n "$NS" get objectbucket "$CLAIM" \
  -o custom-columns='CLAIM:.metadata.name,READY:.status.conditions[?(@.type=="Ready")].status,SYNCED:.status.conditions[?(@.type=="Synced")].status,COMPOSITE:.spec.resourceRef.name'

XR="$(kc -n "$NS" get objectbucket "$CLAIM" -o jsonpath='{.spec.resourceRef.name}')"
[ -n "$XR" ] || fail "claim has no composite resourceRef"
step "composite:"
kc get xobjectbucket "$XR" \
  -o custom-columns='COMPOSITE:.metadata.name,READY:.status.conditions[?(@.type=="Ready")].status,SYNCED:.status.conditions[?(@.type=="Synced")].status,BUCKET-URL:.status.bucketUrl'
step "NopResources composed by it:"
kc get nopresource -l "crossplane.io/composite=$XR" \
  -o custom-columns='NAME:.metadata.name,READY:.status.conditions[?(@.type=="Ready")].status,SYNCED:.status.conditions[?(@.type=="Synced")].status,FIELDS:.status.atProvider.fields'
n="$(kc get nopresource -l "crossplane.io/composite=$XR" --no-headers | wc -l)"
[ "$n" -eq 2 ] || fail "expected 2 NopResources, found $n"
notready="$(kc get nopresource -l "crossplane.io/composite=$XR" \
  -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{.status.conditions[?(@.type=="Synced")].status}{"\n"}{end}' | grep -vc '^TrueTrue$' || true)"
[ "$notready" -eq 0 ] || fail "$notready NopResources not Ready+Synced"
url="$(kc get xobjectbucket "$XR" -o jsonpath='{.status.bucketUrl}')"
[ "$url" = "s3://$CLAIM" ] || fail "composite status.bucketUrl is '$url', expected s3://$CLAIM"

step "deleting the claim: composite and NopResources must go"
t0=$SECONDS
kc -n "$NS" delete objectbucket "$CLAIM" --wait=true --timeout=120s >/dev/null
for _ in $(seq 120); do
  left="$( (kc get xobjectbucket "$XR" --no-headers 2>/dev/null || true) | wc -l)"
  left=$((left + $( (kc get nopresource -l "crossplane.io/composite=$XR" --no-headers 2>/dev/null || true) | wc -l)))
  [ "$left" -eq 0 ] && break
  sleep 1
done
[ "$left" -eq 0 ] || fail "$left composed objects left after deleting the claim"
step "composite and NopResources deleted after $((SECONDS - t0))s"

step "deleting namespace $NS (namespace controller)"
t0=$SECONDS
kc delete namespace "$NS" --wait=true --timeout=120s >/dev/null || fail "namespace $NS not deleted"
step "namespace deleted after $((SECONDS - t0))s"

step "PASS in $((SECONDS - START))s"
echo "1 passed, 0 failed"
