#!/usr/bin/env bash
# Smoke test of the local control plane: a claim created with kubectl becomes
# Ready=True and Synced=True through Crossplane and provider-nop; its composite
# and NopResources are listed; deleting it removes them (Crossplane + garbage
# collector). Pods (kube-scheduler + kwok): a Deployment's pods become Running
# and Ready; a pod labelled platformops.io/simulate=crashloop shows
# CrashLoopBackOff with its restart count going up; a CronJob's scheduled Job
# whose pod is labelled platformops.io/simulate=fail fails. Deleting the
# namespace finishes (namespace controller).
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

step "pods: a Deployment, a crash-looping Deployment and a failing CronJob in $NS"
t_pods_ns="$(date +%s%N)"
since_pods() { # seconds since the pods' objects were created, to the millisecond
  local ms=$((($(date +%s%N) - t_pods_ns) / 1000000))
  printf '%d.%03ds' $((ms / 1000)) $((ms % 1000))
}
kc apply -f - >/dev/null <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: { name: smoke-web, namespace: $NS }
spec:
  replicas: 3
  selector: { matchLabels: { app: smoke-web } }
  template:
    metadata: { labels: { app: smoke-web } }
    spec: { containers: [{ name: web, image: registry.example.com/smoke/web:1 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: smoke-crashloop, namespace: $NS }
spec:
  replicas: 1
  selector: { matchLabels: { app: smoke-crashloop } }
  template:
    metadata:
      labels: { app: smoke-crashloop, platformops.io/simulate: crashloop }
      annotations: { platformops.io/simulate-message: 'panic: smoke' }
    spec: { containers: [{ name: app, image: registry.example.com/smoke/app:1 }] }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: smoke-pipeline, namespace: $NS }
spec:
  schedule: '* * * * *'
  jobTemplate:
    spec:
      backoffLimit: 0
      template:
        metadata: { labels: { platformops.io/simulate: fail } }
        spec:
          restartPolicy: Never
          containers: [{ name: run, image: registry.example.com/smoke/job:1 }]
EOF

running=0
for _ in $(seq 60); do
  running="$(kc -n "$NS" get pods -l app=smoke-web \
    -o jsonpath='{range .items[*]}{.status.phase}/{.status.conditions[?(@.type=="Ready")].status}/{.spec.nodeName}{"\n"}{end}' |
    grep -c '^Running/True/kwok-node-' || true)"
  [ "$running" -eq 3 ] && break
  sleep 0.5
done
[ "$running" -eq 3 ] || fail "Deployment smoke-web: $running of 3 pods Running and Ready on a simulated node after 30s"
step "Deployment smoke-web: 3 of 3 pods Running and Ready on simulated nodes after $(since_pods)"

# phase, waiting reason, restarts, last exit code, Ready of the crash-looping pod
crash_state() {
  kc -n "$NS" get pods -l app=smoke-crashloop \
    -o jsonpath='{range .items[*]}{.status.phase} {.status.containerStatuses[0].state.waiting.reason} {.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].lastState.terminated.exitCode} {.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}'
}
CRASHING='^Running CrashLoopBackOff [1-9][0-9]* 1 False$'
state=""
for _ in $(seq 60); do
  state="$(crash_state)"
  [[ "$state" =~ $CRASHING ]] && break
  sleep 0.5
done
[[ "$state" =~ $CRASHING ]] ||
  fail "smoke-crashloop's pod is '$state', expected 'Running CrashLoopBackOff <restarts> 1 False' within 30s"
first_restarts="$(awk '{print $3}' <<<"$state")"
step "Deployment smoke-crashloop: CrashLoopBackOff, $first_restarts restart(s), exit code 1, not Ready, after $(since_pods)"

job_failed=""
for _ in $(seq 90); do
  job_failed="$(kc -n "$NS" get jobs \
    -o jsonpath='{range .items[?(@.metadata.ownerReferences[0].kind=="CronJob")]}{.metadata.name}={.status.conditions[?(@.type=="Failed")].status}{"\n"}{end}' |
    grep '=True$' || true)"
  [ -n "$job_failed" ] && break
  sleep 1
done
[ -n "$job_failed" ] || fail "no Job of CronJob smoke-pipeline failed within 90s"
job="${job_failed%%=*}"
pod_state="$(kc -n "$NS" get pods -l "batch.kubernetes.io/job-name=$job" \
  -o jsonpath='{.items[0].status.phase} {.items[0].status.containerStatuses[0].state.terminated.exitCode}')"
[ "$pod_state" = "Failed 1" ] || fail "the pod of Job $job is '$pod_state', expected 'Failed 1'"
last="$(kc -n "$NS" get cronjob smoke-pipeline -o jsonpath='{.status.lastScheduleTime}')"
[ -n "$last" ] || fail "CronJob smoke-pipeline has no lastScheduleTime"
step "CronJob smoke-pipeline: Job $job (scheduled $last) Failed, its pod Failed with exit code 1, after $(since_pods)"

for _ in $(seq 60); do
  state="$(crash_state)"
  [ "$(awk '{print $3}' <<<"$state")" -gt "$first_restarts" ] && break
  sleep 1
done
[ "$(awk '{print $3}' <<<"$state")" -gt "$first_restarts" ] ||
  fail "smoke-crashloop's restart count stayed at $first_restarts for 60s"
step "Deployment smoke-crashloop: restarts went from $first_restarts to $(awk '{print $3}' <<<"$state") after $(since_pods)"
kc -n "$NS" get pods -o wide

step "deleting namespace $NS (namespace controller)"
t0=$SECONDS
kc delete namespace "$NS" --wait=true --timeout=120s >/dev/null || fail "namespace $NS not deleted"
step "namespace deleted after $((SECONDS - t0))s"

step "PASS in $((SECONDS - START))s"
echo "1 passed, 0 failed"
