#!/usr/bin/env bash
# Local Kubernetes + Crossplane control plane for integration tests and the
# demo portal: etcd (embedded), kube-apiserver, kube-controller-manager,
# kube-scheduler, kwok (simulated nodes, see pods.sh), Crossplane core and
# provider-nop, all as local processes on 127.0.0.1.
#
#   controlplane.sh prepare|build|up [--seed]|seed|wait-ready [--timeout S]|status|down [--purge]|env|logs
#                   [--name NAME] [--port PORT] [--crossplane v1|v2]
#
# --crossplane picks the Crossplane line of a new instance: v1 (default,
# Crossplane v1.20) or v2 (Crossplane v2.1 with composition functions, see
# crossplane-v2.sh); the instance records it, later commands follow it.
#
# Ports of an instance (base = --port, default 6443):
#   base    kube-apiserver (https)
#   base+1  etcd client      base+2  etcd peer
#   base+3  kube-controller-manager (https, health)
#   base+4  crossplane metrics   base+5  crossplane health
#   base+6  provider-nop metrics base+7  provider-nop health
#   base+8  crossplane webhook (reserved; webhooks are off)
#   base+9  kube-scheduler (https, health)
# (v2 line: the composition functions listen on Unix sockets in the state dir)
# so instances need base ports at least 10 apart (e.g. 6443, 6543, 6643).
set -euo pipefail
# The whole script is one block, read before any of it runs: bash reads a
# script as it goes, so an edit to this file while an instance of it runs
# (a long build) would otherwise resume it at the wrong place.
{

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
export PATH="$PATH:/usr/local/go/bin"

NAME="local"
PORT=""
SEED=0
PURGE=0
TIMEOUT=300
LINE_FLAG=""
CMD="${1:-help}"
[ $# -gt 0 ] && shift
while [ $# -gt 0 ]; do
  case "$1" in
    --name) NAME="$2"; shift 2 ;;
    --name=*) NAME="${1#*=}"; shift ;;
    --port) PORT="$2"; shift 2 ;;
    --port=*) PORT="${1#*=}"; shift ;;
    --seed) SEED=1; shift ;;
    --purge) PURGE=1; shift ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --timeout=*) TIMEOUT="${1#*=}"; shift ;;
    --crossplane) LINE_FLAG="$2"; shift 2 ;;
    --crossplane=*) LINE_FLAG="${1#*=}"; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
LOG_TAG=controlplane
# shellcheck source=../lib/instance.sh
source "$SCRIPT_DIR/../lib/instance.sh"
check_instance_name "$NAME"
# Without --port, an existing instance keeps the port it was started with.
if [ -z "$PORT" ]; then
  PORT="$(cat "$REPO_ROOT/.controlplane/$NAME/port" 2>/dev/null || true)"
  PORT="${PORT:-6443}"
fi
check_instance_port "$PORT"

STATE="$REPO_ROOT/.controlplane/$NAME"
PKI="$STATE/pki"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
URL="https://127.0.0.1:$PORT"
ETCD_CLIENT_PORT=$((PORT + 1))
ETCD_PEER_PORT=$((PORT + 2))
KCM_PORT=$((PORT + 3))
XP_METRICS_PORT=$((PORT + 4))
XP_HEALTH_PORT=$((PORT + 5))
NOP_METRICS_PORT=$((PORT + 6))
NOP_HEALTH_PORT=$((PORT + 7))
CACHE_ROOT="${PLATFORMOPS_CACHE:-$HOME/.cache/platformops}/controlplane"
KUBE_VERSION="v1.34.4" # keep in step with kube/go.mod (stamped into the binary's version info)
XP_WEBHOOK_PORT=$((PORT + 8)) # unused while webhooks are off; set so instances never clash
COMPONENTS=(etcd apiserver controller-manager scheduler kwok crossplane provider-nop)
# Crossplane line: --crossplane, else the one the instance recorded, else v1.
RECORDED_LINE="$(cat "$STATE/line" 2>/dev/null || true)"
LINE="${LINE_FLAG:-${RECORDED_LINE:-v1}}"
[[ "$LINE" =~ ^v[12]$ ]] || { echo "invalid --crossplane '$LINE' (v1 or v2)" >&2; exit 2; }
# shellcheck source=crossplane-v2.sh
source "$SCRIPT_DIR/crossplane-v2.sh"
# shellcheck source=pods.sh
source "$SCRIPT_DIR/pods.sh"
[ "$LINE" = v2 ] && COMPONENTS+=("${V2_FUNCTIONS[@]}")


# ---------------------------------------------------------------- prepare ---

b64() { base64 -w0 "$1" 2>/dev/null || base64 "$1" | tr -d '\n'; }

# sign_cert NAME SUBJECT EXT_FILE_CONTENT
sign_cert() {
  local name="$1" subj="$2" ext="$3"
  [ -s "$PKI/$name.crt" ] && [ -s "$PKI/$name.key" ] && return 0
  openssl genrsa -out "$PKI/$name.key" 2048 2>/dev/null
  openssl req -new -key "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr" 2>/dev/null
  printf '%s\n' "$ext" > "$PKI/$name.ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$PKI/$name.ext"
}

write_kubeconfig() { # FILE USER CERT KEY
  local file="$1" user="$2" cert="$3" key="$4" tmp
  tmp="$(mktemp "$file.XXXX")"
  cat > "$tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: $NAME
  cluster:
    server: $URL
    certificate-authority-data: $(b64 "$PKI/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(b64 "$cert")
    client-key-data: $(b64 "$key")
contexts:
- name: $NAME
  context:
    cluster: $NAME
    user: $user
current-context: $NAME
EOF
  chmod 600 "$tmp"
  mv "$tmp" "$file"
}

cmd_prepare() {
  command -v openssl >/dev/null || die "openssl is required"
  mkdir -p "$PKI" "$LOGS" "$PIDS" "$STATE/crossplane-tls"
  chmod 700 "$STATE" "$PKI"
  if [ ! -s "$PKI/ca.crt" ]; then
    log "generating certificates and keys in $PKI"
    openssl genrsa -out "$PKI/ca.key" 2048 2>/dev/null
    openssl req -x509 -new -key "$PKI/ca.key" -days 3650 -sha256 \
      -subj "/CN=platformops-controlplane-$NAME-ca" -out "$PKI/ca.crt" 2>/dev/null
  fi
  sign_cert apiserver "/CN=kube-apiserver" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.0.0.1"
  local client_ext="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
  sign_cert admin "/O=system:masters/CN=platformops-admin" "$client_ext"
  sign_cert controller-manager "/CN=system:kube-controller-manager" "$client_ext"
  # Crossplane's mTLS client identity for function runners (required at start).
  sign_cert crossplane-client "/CN=crossplane" "$client_ext"
  # Aggregation-layer (front-proxy) client identity; also fills the requestheader
  # CA that the controller-manager's delegated authentication looks up.
  sign_cert front-proxy-client "/CN=front-proxy-client" "$client_ext"
  copy_file "$PKI/ca.crt" "$STATE/crossplane-tls/ca.crt"
  copy_file "$PKI/crossplane-client.crt" "$STATE/crossplane-tls/tls.crt"
  copy_file "$PKI/crossplane-client.key" "$STATE/crossplane-tls/tls.key" 600
  # One RSA key signs and verifies service-account tokens.
  [ -s "$PKI/sa.key" ] || openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  [ -s "$PKI/sa.pub" ] || openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  # Static bearer token for Backstage: user platformops-admin in system:masters.
  if [ ! -s "$STATE/token" ]; then
    (umask 077; openssl rand -hex 32 > "$STATE/token")
  fi
  local token; token="$(tr -d '\n' < "$STATE/token")"
  printf '%s,platformops-admin,platformops-admin,"system:masters"\n' "$token" > "$PKI/tokens.csv"
  prepare_portal_token
  prepare_user_tokens
  chmod 600 "$PKI/tokens.csv"
  copy_file "$PKI/ca.crt" "$STATE/ca.crt"

  write_kubeconfig "$STATE/kubeconfig" platformops-admin "$PKI/admin.crt" "$PKI/admin.key"
  write_kubeconfig "$STATE/controller-manager.kubeconfig" system:kube-controller-manager \
    "$PKI/controller-manager.crt" "$PKI/controller-manager.key"
  prepare_pods

  write_file "$STATE/backstage-cluster.yaml" 600 <<EOF
kubernetes:
  clusterLocatorMethods:
    - type: config
      clusters:
        - name: $NAME
          url: $URL
          authProvider: serviceAccount
          serviceAccountToken: $(tr -d '\n' < "$STATE/portal-token")
          caData: $(b64 "$PKI/ca.crt")
EOF
  write_file "$STATE/env" <<EOF
KUBECONFIG=$STATE/kubeconfig
CONTROLPLANE_URL=$URL
CONTROLPLANE_TOKEN_FILE=$STATE/token
CONTROLPLANE_PORTAL_TOKEN_FILE=$STATE/portal-token
CONTROLPLANE_NAME=$NAME
CONTROLPLANE_CA_FILE=$STATE/ca.crt
CONTROLPLANE_PORT=$PORT
export KUBECONFIG CONTROLPLANE_URL CONTROLPLANE_TOKEN_FILE CONTROLPLANE_PORTAL_TOKEN_FILE CONTROLPLANE_NAME CONTROLPLANE_CA_FILE CONTROLPLANE_PORT
EOF
  echo "$PORT" | write_file "$STATE/port"
  log "prepared $STATE (kubeconfig, ca.crt, token, portal-token, backstage-cluster.yaml, env)"
}

# -------------------------------------------------------- portal identity ---

# The portal acts as service account platformops:platformops-portal of
# deploy/rbac/, never as the admin. Its token is a static token whose user is
# that service account (written at prepare, before any API server exists, so
# the portal can start configured); the ServiceAccount and its role bindings
# are applied at up. RBAC matches a ServiceAccount subject by user name.
PORTAL_SA_NAMESPACE=platformops
PORTAL_SA_NAME=platformops-portal

prepare_portal_token() { # appends the portal's line to tokens.csv
  if [ ! -s "$STATE/portal-token" ]; then
    (umask 077; openssl rand -hex 32 > "$STATE/portal-token")
  fi
  local ns="$PORTAL_SA_NAMESPACE"
  printf '%s,system:serviceaccount:%s:%s,%s,"system:serviceaccounts,system:serviceaccounts:%s,system:authenticated"\n' \
    "$(tr -d '\n' < "$STATE/portal-token")" "$ns" "$PORTAL_SA_NAME" "$PORTAL_SA_NAME" "$ns" >> "$PKI/tokens.csv"
}

# The roles the portal needs here: deploy/rbac/ (read, workloads, write) and
# the demo platform's kinds (rbac/); the team users' roles (rbac/) are bound
# in the demo's namespaces, applied first.
PORTAL_RBAC_FILES=(
  "$REPO_ROOT/deploy/rbac/portal-serviceaccount.yaml" "$REPO_ROOT/deploy/rbac/portal-read.yaml"
  "$REPO_ROOT/deploy/rbac/portal-read-workloads.yaml" "$REPO_ROOT/deploy/rbac/portal-write.yaml"
  "$SCRIPT_DIR/demo/00-namespaces.yaml" "$SCRIPT_DIR"/rbac/*.yaml
)
portal_rbac_hash() { cat "${PORTAL_RBAC_FILES[@]}" | sha256sum | cut -c1-16; }

apply_portal_rbac() {
  log "applying the portal's service account and roles (deploy/rbac, rbac/)"
  local args=() f
  for f in "${PORTAL_RBAC_FILES[@]}"; do args+=(-f "$f"); done
  kc apply "${args[@]}" >/dev/null
  portal_rbac_hash > "$STATE/portal-rbac.applied"
}

# On an instance already up: applies the roles again when their files changed.
apply_portal_rbac_if_changed() {
  [ "$(cat "$STATE/portal-rbac.applied" 2>/dev/null)" = "$(portal_rbac_hash)" ] || apply_portal_rbac
}

# ------------------------------------------------------------ team users ---

# Two users standing in for a identity provider's users (what an OIDC token
# would name): alice in group team-alpha, bob in team-beta. Static tokens in
# tokens.csv, each also in user-tokens/<user> for tests; rbac/team-users.yaml
# lets each group write the demo's claims and XRs in its own namespace only.
TEAM_USERS=("alice:team-alpha" "bob:team-beta")

prepare_user_tokens() { # appends the users' lines to tokens.csv
  mkdir -p "$STATE/user-tokens"
  chmod 700 "$STATE/user-tokens"
  local entry user group file
  for entry in "${TEAM_USERS[@]}"; do
    user="${entry%%:*}" group="${entry#*:}" file="$STATE/user-tokens/${entry%%:*}"
    [ -s "$file" ] || (umask 077; openssl rand -hex 32 > "$file")
    printf '%s,%s,%s,"%s,system:authenticated"\n' "$(tr -d '\n' < "$file")" "$user" "$user" "$group" >> "$PKI/tokens.csv"
  done
}

# tokens.csv is read when the API server starts: one started before a token
# was added (the portal's, the team users') refuses it. up then restarts that
# API server alone (a few seconds; etcd, controllers and Crossplane keep
# running and reconnect).
restart_apiserver_if_tokens_unknown() {
  all_up || return 0
  local file
  for file in "$STATE/portal-token" "$STATE"/user-tokens/*; do
    curl -fsS --max-time 3 --cacert "$STATE/ca.crt" -H "Authorization: Bearer $(tr -d '\n' < "$file")" \
      "$URL/version" >/dev/null 2>&1 && continue
    log "the running API server predates the token in $file: restarting the API server"
    stop_proc apiserver
    start_apiserver "$(cat "$STATE/bin")"
    return 0
  done
}

# ------------------------------------------------------------------ build ---

source_hash() {
  (
    cd "$SCRIPT_DIR"
    {
      go version 2>/dev/null || echo "no-go"
      echo "$KUBE_VERSION"
      # kwok's stages are read at start, not built in
      find kube crossplane kwok -type f \( -name go.mod -o -name go.sum -o -name '*.go' -o -name '*.yaml' \) ! -name '*_test.go' ! -path 'kwok/stages/*' | LC_ALL=C sort |
        while read -r f; do echo "$f"; cat "$f"; done
    } | sha256sum | cut -c1-16
  )
}

bin_dir() { echo "$CACHE_ROOT/bin-$(source_hash)"; }

# run_step LABEL LOGFILE CMD... : runs CMD, printing a progress line every 30s.
run_step() {
  local label="$1" logfile="$2"; shift 2
  local start=$SECONDS
  log "build: $label ..."
  "$@" >"$logfile" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 30); do sleep 1; kill -0 "$pid" 2>/dev/null || break; done
    kill -0 "$pid" 2>/dev/null && log "build: $label still running ($((SECONDS - start))s)"
  done
  if ! wait "$pid"; then
    tail -n 40 "$logfile" >&2
    die "build: $label failed (full log: $logfile)"
  fi
  log "build: $label done in $((SECONDS - start))s"
}

cmd_build() {
  command -v go >/dev/null || die "Go is required (looked in PATH and /usr/local/go/bin)"
  local bin; bin="$(bin_dir)"
  if [ -x "$bin/kube" ] && [ -x "$bin/kwok" ] && [ -x "$bin/crossplane" ] && [ -x "$bin/provider-nop" ] && [ -f "$bin/.complete" ]; then
    log "build: cached binaries in $bin"
    return 0
  fi
  mkdir -p "$CACHE_ROOT"
  # Serialise concurrent builds (several instances starting at once).
  exec 9>"$CACHE_ROOT/build.lock"
  if ! flock -n 9; then
    log "build: another build is running, waiting for it"
    flock 9
  fi
  if [ -f "$bin/.complete" ]; then log "build: cached binaries in $bin"; flock -u 9; return 0; fi
  local total_start=$SECONDS tmp="$bin.tmp.$$" blog="$CACHE_ROOT/build-logs"
  rm -rf "$tmp"; mkdir -p "$tmp/crds/crossplane" "$tmp/crds/provider-nop" "$blog"
  log "build: output $bin (a first build downloads modules and compiles kube-apiserver: about 9 minutes on an idle 2-core machine, longer under load)"
  local flags="-trimpath -ldflags='-s -w'"
  run_step "download Go modules (crossplane, provider-nop)" "$blog/download-crossplane.log" \
    bash -c "cd '$SCRIPT_DIR/crossplane' && go mod download -x"
  run_step "download Go modules (kubernetes, etcd)" "$blog/download-kube.log" \
    bash -c "cd '$SCRIPT_DIR/kube' && go mod download -x"
  run_step "download Go modules (kwok)" "$blog/download-kwok.log" \
    bash -c "cd '$SCRIPT_DIR/kwok' && go mod download -x"
  run_step "compile provider-nop" "$blog/provider-nop.log" \
    bash -c "cd '$SCRIPT_DIR/crossplane' && go build $flags -o '$tmp/provider-nop' ./provider-nop"
  run_step "compile crossplane v1.20" "$blog/crossplane.log" \
    bash -c "cd '$SCRIPT_DIR/crossplane' && go build $flags -o '$tmp/crossplane' github.com/crossplane/crossplane/cmd/crossplane"
  local minor; minor="$(echo "$KUBE_VERSION" | cut -d. -f2)"
  local kv="-s -w -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1"
  kv="$kv -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
  kv="$kv -X k8s.io/client-go/pkg/version.gitVersion=$KUBE_VERSION -X k8s.io/client-go/pkg/version.gitMajor=1"
  kv="$kv -X k8s.io/client-go/pkg/version.gitMinor=$minor"
  run_step "compile kube-apiserver + kube-controller-manager + kube-scheduler + etcd ($KUBE_VERSION)" "$blog/kube.log" \
    bash -c "cd '$SCRIPT_DIR/kube' && go build -trimpath -ldflags='$kv' -o '$tmp/kube' ."
  run_step "compile kwok v0.7.0" "$blog/kwok.log" \
    bash -c "cd '$SCRIPT_DIR/kwok' && go build $flags -o '$tmp/kwok' sigs.k8s.io/kwok/cmd/kwok"
  local xpdir
  xpdir="$(cd "$SCRIPT_DIR/crossplane" && go list -m -f '{{.Dir}}' github.com/crossplane/crossplane)"
  cp "$xpdir"/cluster/crds/*.yaml "$tmp/crds/crossplane/"
  cp "$SCRIPT_DIR"/crossplane/provider-nop/crds/*.yaml "$tmp/crds/provider-nop/"
  chmod -R u+w "$tmp"
  touch "$tmp/.complete"
  rm -rf "$bin"; mv "$tmp" "$bin"
  # Keep only the newest three builds.
  ls -1dt "$CACHE_ROOT"/bin-* 2>/dev/null | grep -v '\.tmp\.' | tail -n +4 | xargs -r rm -rf
  flock -u 9
  log "build: complete in $((SECONDS - total_start))s"
}

# -------------------------------------------------------------- processes ---

pid_of() { # prints pid if COMPONENT of this instance is running
  local f="$PIDS/$1.pid" pid
  [ -s "$f" ] || return 1
  pid="$(cat "$f")"
  kill -0 "$pid" 2>/dev/null || return 1
  # guard against pid reuse: the process runs in this instance's state dir
  [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$STATE" ] || return 1
  echo "$pid"
}

start_proc() { # COMPONENT CMD...  (runs in $STATE, in its own session)
  local comp="$1"; shift
  if pid_of "$comp" >/dev/null; then return 0; fi
  log "starting $comp"
  {
    echo "=== $(date -u +%FT%TZ) starting $comp"
  } >> "$LOGS/$comp.log"
  (
    cd "$STATE"
    # fds 8/9 hold the instance and build locks: not for the daemons
    exec setsid "$@" >> "$LOGS/$comp.log" 2>&1 < /dev/null 8>&- 9>&-
  ) &
  echo $! > "$PIDS/$comp.pid"
}

stop_proc() { # COMPONENT
  local comp="$1" pid
  pid="$(pid_of "$comp")" || { rm -f "$PIDS/$comp.pid"; return 0; }
  log "stopping $comp (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$comp did not stop in 15s, killing"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDS/$comp.pid"
}

kc() { kubectl --kubeconfig "$STATE/kubeconfig" --request-timeout=20s "$@"; }

api_healthy() {
  curl -fsS --max-time 3 --cacert "$STATE/ca.crt" -H "Authorization: Bearer $(cat "$STATE/token")" \
    "$URL/readyz" >/dev/null 2>&1
}

http_ok() { curl -fsS --max-time 2 "$1" >/dev/null 2>&1; }

# conditions_true RESOURCE CONDITION NAME...: each named (cluster-scoped)
# object has status condition CONDITION=True.
conditions_true() {
  local resource="$1" condition="$2" got name
  shift 2
  got="$(kc get "$resource" -o jsonpath="{range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"$condition\")].status}{\"\n\"}{end}" 2>/dev/null)" || return 1
  for name in "$@"; do grep -qx "$name=True" <<<"$got" || return 1; done
}

wait_for() { # DESCRIPTION SECONDS COMMAND...
  local desc="$1" secs="$2"; shift 2
  local end=$((SECONDS + secs))
  until "$@"; do
    [ $SECONDS -lt $end ] || return 1
    sleep 1
  done
}


check_ports() {
  local p comp
  for p in $PORT $XP_WEBHOOK_PORT $ETCD_CLIENT_PORT $ETCD_PEER_PORT $KCM_PORT $XP_METRICS_PORT $XP_HEALTH_PORT $NOP_METRICS_PORT $NOP_HEALTH_PORT $SCHEDULER_PORT; do
    port_free "$p" || die "port $p is in use (another instance or program?); choose another --port (instances need base ports 10 apart)"
  done
}

components_stop_order() { # COMPONENTS, last started first
  local i
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do echo "${COMPONENTS[i]}"; done
}

all_up() {
  local c
  for c in "${COMPONENTS[@]}"; do pid_of "$c" >/dev/null || return 1; done
  api_healthy || return 1
  [ "$LINE" = v1 ] || functions_installed_v2
}


# start_apiserver BIN: kube-apiserver on etcd, until it answers ready.
start_apiserver() {
  start_proc apiserver "$1/kube" apiserver \
    --etcd-servers="http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --etcd-prefix=/registry \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$PORT" \
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --client-ca-file="$PKI/ca.crt" \
    --token-auth-file="$PKI/tokens.csv" \
    --requestheader-client-ca-file="$PKI/ca.crt" --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --proxy-client-cert-file="$PKI/front-proxy-client.crt" --proxy-client-key-file="$PKI/front-proxy-client.key" \
    --authorization-mode=RBAC \
    --service-account-issuer="https://kubernetes.default.svc.cluster.local" \
    --service-account-key-file="$PKI/sa.pub" \
    --service-account-signing-key-file="$PKI/sa.key" \
    --service-cluster-ip-range=10.0.0.0/24 \
    --endpoint-reconciler-type=none \
    --allow-privileged=true \
    --profiling=false \
    --cert-dir="$STATE/apiserver-certs" \
    --v=1
  wait_for "apiserver" 120 api_healthy ||
    { tail -n 30 "$LOGS/apiserver.log" >&2; die "kube-apiserver did not become ready at $URL"; }
}

# start_crossplane_v1 BIN: CRDs, Crossplane core v1.20 and provider-nop, once
# the API server and controller-manager run.
start_crossplane_v1() {
  local bin="$1"
  log "installing Crossplane and provider-nop CRDs"
  kc apply --server-side --force-conflicts -f "$bin/crds/crossplane/" -f "$bin/crds/provider-nop/" >/dev/null
  kc create namespace crossplane-system --dry-run=client -o yaml | kc apply -f - >/dev/null
  kc wait --for=condition=Established --timeout=60s \
    crd/compositeresourcedefinitions.apiextensions.crossplane.io crd/compositions.apiextensions.crossplane.io \
    crd/compositionrevisions.apiextensions.crossplane.io crd/nopresources.nop.crossplane.io >/dev/null

  mkdir -p "$STATE/crossplane-cache/xpkg" "$STATE/crossplane-cache/xfn"
  start_proc crossplane env KUBECONFIG="$STATE/kubeconfig" \
    TLS_CLIENT_CERTS_DIR="$STATE/crossplane-tls" POD_NAMESPACE=crossplane-system \
    "$bin/crossplane" core start \
    --enable-webhooks=false \
    --metrics-port="$XP_METRICS_PORT" --health-probe-port="$XP_HEALTH_PORT" --webhook-port="$XP_WEBHOOK_PORT" \
    --cache-dir="$STATE/crossplane-cache/xpkg" --xfn-cache-dir="$STATE/crossplane-cache/xfn" \
    --package-runtime=External \
    --enable-usages=false \
    --poll-interval=30s \
    --sync-interval=10m

  start_proc provider-nop env KUBECONFIG="$STATE/kubeconfig" "$bin/provider-nop" \
    --metrics-bind-address="127.0.0.1:$NOP_METRICS_PORT" \
    --health-probe-bind-address="127.0.0.1:$NOP_HEALTH_PORT" \
    --poll=30s

  wait_for "crossplane" 90 http_ok "http://127.0.0.1:$XP_HEALTH_PORT/readyz" ||
    { tail -n 30 "$LOGS/crossplane.log" >&2; die "Crossplane did not become ready"; }
  wait_for "provider-nop" 60 http_ok "http://127.0.0.1:$NOP_HEALTH_PORT/readyz" ||
    { tail -n 30 "$LOGS/provider-nop.log" >&2; die "provider-nop did not become ready"; }
}

cmd_up() {
  for tool in kubectl curl openssl flock; do
    command -v "$tool" >/dev/null || die "$tool is required"
  done
  lock_instance
  [ -z "$RECORDED_LINE" ] || [ "$RECORDED_LINE" = "$LINE" ] ||
    die "instance $NAME runs Crossplane $RECORDED_LINE; to switch to $LINE: $0 down --purge --name $NAME"
  cmd_prepare
  echo "$LINE" > "$STATE/line"
  restart_apiserver_if_tokens_unknown
  restart_stale_controller_manager
  if all_up; then
    log "already up at $URL"
    apply_portal_rbac_if_changed
    kwok_nodes_ready || apply_kwok_nodes
    [ "$SEED" = 1 ] && cmd_seed
    return 0
  fi
  if [ "$LINE" = v2 ]; then build_v2; else cmd_build; fi
  local bin; bin="$(bin_dir)"
  local start=$SECONDS
  # Anything half-running from an earlier start is stopped first so ports are free.
  if ! pid_of etcd >/dev/null || ! pid_of apiserver >/dev/null; then
    local c
    for c in $(components_stop_order); do stop_proc "$c"; done
    check_ports
  fi
  echo "$bin" > "$STATE/bin"
  mkdir -p "$STATE/etcd"

  start_proc etcd "$bin/kube" etcd --data-dir "$STATE/etcd" \
    --client-port "$ETCD_CLIENT_PORT" --peer-port "$ETCD_PEER_PORT"
  wait_for "etcd" 60 http_ok "http://127.0.0.1:$ETCD_CLIENT_PORT/health" ||
    { tail -n 20 "$LOGS/etcd.log" >&2; die "etcd did not become healthy"; }

  start_apiserver "$bin"
  log "kube-apiserver ready at $URL ($((SECONDS - start))s)"

  start_proc controller-manager "$bin/kube" controller-manager \
    --kubeconfig="$STATE/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$STATE/controller-manager.kubeconfig" \
    --authorization-kubeconfig="$STATE/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$KCM_PORT" \
    --leader-elect=false \
    --use-service-account-credentials=true \
    --controllers="$KCM_CONTROLLERS" \
    --service-account-private-key-file="$PKI/sa.key" \
    --root-ca-file="$PKI/ca.crt" \
    --cert-dir="$STATE/controller-manager-certs" \
    --profiling=false \
    --v=1
  echo "$KCM_CONTROLLERS" > "$STATE/controller-manager.controllers"
  apply_portal_rbac
  start_pods "$bin"

  if [ "$LINE" = v2 ]; then start_crossplane_v2; else start_crossplane_v1 "$bin"; fi
  wait_for "controller-manager" 60 curl -ksf --max-time 2 "https://127.0.0.1:$KCM_PORT/healthz" -o /dev/null ||
    { tail -n 30 "$LOGS/controller-manager.log" >&2; die "kube-controller-manager did not become healthy"; }
  wait_pods
  log "up in $((SECONDS - start))s: $URL (source $STATE/env)"
  [ "$SEED" = 1 ] && cmd_seed
  return 0
}

# ------------------------------------------------------------------- seed ---

cmd_seed() {
  api_healthy || die "control plane '$NAME' is not up (run: $0 up --name $NAME --port $PORT)"
  if [ "$LINE" = v2 ]; then seed_v2; return; fi
  local demo="$SCRIPT_DIR/demo"
  log "seed: namespaces and XRDs"
  kc apply -f "$demo/00-namespaces.yaml" -f "$demo/10-xrds.yaml" >/dev/null
  local xrds; xrds="$(awk '/^kind: CompositeResourceDefinition/{x=1} x&&/^  name:/{print "xrd/"$2; x=0}' "$demo/10-xrds.yaml")"
  # shellcheck disable=SC2086
  kc wait --for=condition=Established --timeout=120s $xrds >/dev/null ||
    die "XRDs did not become Established (see $LOGS/crossplane.log)"
  # shellcheck disable=SC2086
  kc wait --for=condition=Offered --timeout=120s $xrds >/dev/null ||
    die "XRD claims were not Offered (see $LOGS/crossplane.log)"
  log "seed: XRDs Established and Offered; compositions, claims and workloads"
  kc apply -f "$demo/20-compositions.yaml" >/dev/null
  kc apply -f "$demo/30-claims.yaml" -f "$demo/40-workloads.yaml" >/dev/null
  log "seed: done ($(kc get claim -A --no-headers 2>/dev/null | wc -l) claims)"
}

# ------------------------------------------------------------- wait-ready ---

# Claims expected Ready=True: every claim except those labelled
# platformops.io/expect-healthy=false (the deliberately unhealthy one); and the
# demo's Deployments Available (pending_demo_workloads).
cmd_wait_ready() {
  api_healthy || die "control plane '$NAME' is not up"
  if [ "$LINE" = v2 ]; then wait_ready_v2; return; fi
  local end=$((SECONDS + TIMEOUT)) pending
  while :; do
    pending="$(kc get claim -A -l 'platformops.io/expect-healthy!=false' \
      -o jsonpath='{range .items[*]}{.kind}/{.metadata.namespace}/{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' 2>/dev/null |
      grep -v '=True$' || true)"
    pending="$(printf '%s\n%s' "$pending" "$(pending_demo_workloads)" | grep -v '^$' || true)"
    local total; total="$(kc get claim -A --no-headers 2>/dev/null | wc -l)"
    if [ -z "$pending" ] && [ "$total" -gt 0 ]; then
      log "wait-ready: all expected-healthy claims are Ready ($total claims in total) and the demo's Deployments Available"
      return 0
    fi
    if [ $SECONDS -ge $end ]; then
      log "wait-ready: timed out after ${TIMEOUT}s; not ready:"; echo "$pending" >&2
      return 1
    fi
    sleep 3
  done
}

# ----------------------------------------------------------------- status ---

cmd_status() {
  local c pid ok=0
  printf '%-20s %s\n' "instance" "$NAME ($URL, state $STATE)"
  for c in "${COMPONENTS[@]}"; do
    if pid="$(pid_of "$c")"; then
      local health=""
      case "$c" in
        etcd) http_ok "http://127.0.0.1:$ETCD_CLIENT_PORT/health" && health="healthy" || health="unhealthy" ;;
        apiserver) api_healthy && health="healthy" || health="unhealthy" ;;
        controller-manager) curl -ksf --max-time 2 "https://127.0.0.1:$KCM_PORT/healthz" -o /dev/null && health="healthy" || health="unhealthy" ;;
        scheduler) scheduler_healthy && health="healthy" || health="unhealthy" ;;
        kwok) kwok_nodes_ready && health="healthy (nodes Ready: ${KWOK_NODES[*]})" || health="unhealthy (nodes not Ready, or tainted not-ready)" ;;
        crossplane) http_ok "http://127.0.0.1:$XP_HEALTH_PORT/readyz" && health="healthy" || health="unhealthy" ;;
        provider-nop) http_ok "http://127.0.0.1:$NOP_HEALTH_PORT/readyz" && health="healthy" || health="unhealthy" ;;
        function-*) function_healthy "$c" && health="healthy (mTLS, $(function_socket "$c"))" || health="unhealthy" ;;
      esac
      printf '%-20s up (pid %s, %s)\n' "$c" "$pid" "$health"
    else
      printf '%-20s down\n' "$c"
    fi
  done
  api_healthy && ok=1
  return $((1 - ok))
}

# ------------------------------------------------------------------- down ---

cmd_down() {
  local c
  [ -d "$STATE" ] && lock_instance
  for c in $(components_stop_order); do stop_proc "$c"; done
  if [ "$PURGE" = 1 ]; then
    log "purging $STATE"
    rm -rf "$STATE"
  fi
  log "down"
}

case "$CMD" in
  prepare) cmd_prepare ;;
  build) if [ "$LINE" = v2 ]; then build_v2; else cmd_build; fi ;;
  up) cmd_up ;;
  seed) cmd_seed ;;
  wait-ready) cmd_wait_ready ;;
  status) cmd_status ;;
  down) cmd_down ;;
  env) cmd_prepare >/dev/null 2>&1; cat "$STATE/env" ;;
  logs) for c in "${COMPONENTS[@]}"; do echo "==> $LOGS/$c.log <=="; tail -n 15 "$LOGS/$c.log" 2>/dev/null || true; done ;;
  help|-h|--help) sed -n 2,21p "$0" | sed 's/^# \{0,1\}//' ;;
  *) echo "unknown command: $CMD (prepare|build|up|seed|wait-ready|status|down|env|logs)" >&2; exit 2 ;;
esac
exit
}
