# Crossplane v2 line of the local control plane (`controlplane.sh ... --crossplane v2`).
# Sourced by controlplane.sh: uses its variables (STATE, PKI, CACHE_ROOT, ports)
# and helpers (log, die, kc, run_step, start_proc, pid_of, sign_cert, cmd_build).
#
# Same etcd, kube-apiserver and kube-controller-manager as the v1 line (from
# cmd_build's cache), then Crossplane core v2.1.0, provider-nop v2 (namespaced
# nop.m.crossplane.io and cluster-scoped nop.crossplane.io NopResources) and two
# composition functions as local processes: function-template (ours) and
# function-auto-ready v0.5.0. Each function serves gRPC with mTLS on a Unix
# socket in the state dir (no port to reserve), with a server certificate of the
# instance's CA for "localhost" (the authority gRPC uses for unix: targets).
# Crossplane runs the package manager with --package-runtime=External: the
# Functions are installed with packagePullPolicy: Never from the offline
# package cache, and each active FunctionRevision's status.endpoint is set here.

V2_MODULE="$SCRIPT_DIR/crossplane-v2"
V2_FUNCTIONS=(function-template function-auto-ready)
# Package references of the functions. Never pulled: Crossplane reads them from
# its package cache (--cache-dir), where xpkg_cache_file puts them.
declare -A V2_FUNCTION_PACKAGE=(
  [function-template]=xpkg.platformops.dev/platformops/function-template:v0.1.0
  [function-auto-ready]=xpkg.crossplane.io/crossplane-contrib/function-auto-ready:v0.5.0
)
V2_FUNCTIONS_DIR="$STATE/functions"

# ------------------------------------------------------------------ build ---

v2_source_hash() {
  (
    cd "$SCRIPT_DIR"
    {
      go version 2>/dev/null || echo "no-go"
      find crossplane-v2 crossplane/provider-nop/crds -type f \( -name go.mod -o -name go.sum -o -name '*.go' -o -name '*.yaml' \) ! -name '*_test.go' |
        LC_ALL=C sort | while read -r f; do echo "$f"; cat "$f"; done
    } | sha256sum | cut -c1-16
  )
}

v2_bin_dir() { echo "$CACHE_ROOT/v2/bin-$(v2_source_hash)"; }

# build_v2: the v1 line's build (for kube-apiserver, controller-manager and
# etcd; cached when any v1 instance ran here), then the v2 binaries into
# $CACHE_ROOT/v2/bin-<hash>.
build_v2() {
  cmd_build
  local bin; bin="$(v2_bin_dir)"
  if [ -f "$bin/.complete" ]; then
    log "build: cached Crossplane v2 binaries in $bin"
    return 0
  fi
  mkdir -p "$CACHE_ROOT/v2"
  exec 9>"$CACHE_ROOT/v2/build.lock"
  if ! flock -n 9; then
    log "build: another Crossplane v2 build is running, waiting for it"
    flock 9
  fi
  if [ -f "$bin/.complete" ]; then log "build: cached Crossplane v2 binaries in $bin"; flock -u 9; return 0; fi
  local total_start=$SECONDS tmp="$bin.tmp.$$" blog="$CACHE_ROOT/v2/build-logs"
  rm -rf "$tmp"; mkdir -p "$tmp/crds/crossplane" "$tmp/crds/provider-nop" "$tmp/packages" "$blog"
  log "build: Crossplane v2 line into $bin"
  local flags="-trimpath -ldflags='-s -w'"
  run_step "download Go modules (crossplane v2, provider-nop v2, function-template)" "$blog/download.log" \
    bash -c "cd '$V2_MODULE' && go mod download -x"
  run_step "download Go modules (function-auto-ready)" "$blog/download-auto-ready.log" \
    bash -c "cd '$V2_MODULE/function-auto-ready' && go mod download -x"
  run_step "compile provider-nop v2" "$blog/provider-nop.log" \
    bash -c "cd '$V2_MODULE' && go build $flags -o '$tmp/provider-nop' ./provider-nop"
  run_step "compile function-template" "$blog/function-template.log" \
    bash -c "cd '$V2_MODULE' && go build $flags -o '$tmp/function-template' ./function-template"
  run_step "compile crossplane v2.1.0" "$blog/crossplane.log" \
    bash -c "cd '$V2_MODULE' && go build $flags -o '$tmp/crossplane' github.com/crossplane/crossplane/v2/cmd/crossplane"
  run_step "compile function-auto-ready v0.5.0" "$blog/function-auto-ready.log" \
    bash -c "cd '$V2_MODULE/function-auto-ready' && go build $flags -o '$tmp/function-auto-ready' github.com/crossplane/function-auto-ready"
  local xpdir fadir
  xpdir="$(cd "$V2_MODULE" && go list -m -f '{{.Dir}}' github.com/crossplane/crossplane/v2)"
  fadir="$(cd "$V2_MODULE/function-auto-ready" && go list -m -f '{{.Dir}}' github.com/crossplane/function-auto-ready)"
  cp "$xpdir"/cluster/crds/*.yaml "$tmp/crds/crossplane/"
  cp "$V2_MODULE"/provider-nop/crds/*.yaml "$SCRIPT_DIR"/crossplane/provider-nop/crds/*.yaml "$tmp/crds/provider-nop/"
  cp "$V2_MODULE/function-template/package/crossplane.yaml" "$tmp/packages/function-template.yaml"
  cp "$fadir/package/crossplane.yaml" "$tmp/packages/function-auto-ready.yaml"
  chmod -R u+w "$tmp"
  touch "$tmp/.complete"
  rm -rf "$bin"; mv "$tmp" "$bin"
  ls -1dt "$CACHE_ROOT"/v2/bin-* 2>/dev/null | grep -v '\.tmp\.' | tail -n +4 | xargs -r rm -rf
  flock -u 9
  log "build: Crossplane v2 line complete in $((SECONDS - total_start))s"
}

# ------------------------------------------------------------- functions ---

function_socket() { echo "$V2_FUNCTIONS_DIR/$1.sock"; }

# A healthy function completes an mTLS handshake with Crossplane's client
# certificate (and h2, as gRPC requires) on its socket.
function_healthy() {
  local sock; sock="$(function_socket "$1")"
  [ -S "$sock" ] || return 1
  openssl s_client -unix "$sock" -CAfile "$PKI/ca.crt" -cert "$PKI/crossplane-client.crt" \
    -key "$PKI/crossplane-client.key" -servername localhost -verify_hostname localhost \
    -verify_return_error -alpn h2 -brief </dev/null >/dev/null 2>&1
}

start_functions_v2() {
  local bin="$1" fn sock
  mkdir -p "$V2_FUNCTIONS_DIR/tls"
  chmod 700 "$V2_FUNCTIONS_DIR"
  sign_cert functions "/CN=platformops-functions" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1"
  cp "$PKI/ca.crt" "$V2_FUNCTIONS_DIR/tls/ca.crt"
  cp "$PKI/functions.crt" "$V2_FUNCTIONS_DIR/tls/tls.crt"
  cp "$PKI/functions.key" "$V2_FUNCTIONS_DIR/tls/tls.key"
  for fn in "${V2_FUNCTIONS[@]}"; do
    sock="$(function_socket "$fn")"
    [ "${#sock}" -le 100 ] || die "socket path too long for a Unix socket (${#sock} > 100): $sock"
    pid_of "$fn" >/dev/null && continue
    rm -f "$sock" # left by a killed process, would fail the listen
    start_proc "$fn" "$bin/$fn" --network unix --address "$sock" --tls-certs-dir "$V2_FUNCTIONS_DIR/tls"
  done
}

# xpkg_cache_file CACHE_DIR REF: where Crossplane's package cache looks for a
# package (xpkg.BuildPath): the reference as a path, its extension (after the
# last dot of the last element) replaced by .gz.
xpkg_cache_file() {
  local path="$1/$2" base="${2##*/}"
  [[ "$base" == *.* ]] && path="${path%.*}"
  echo "$path.gz"
}

active_function_revision() { # FUNCTION
  kc get functionrevisions -l "pkg.crossplane.io/package=$1" \
    -o jsonpath='{range .items[?(@.spec.desiredState=="Active")]}{.metadata.name}{"\n"}{end}' 2>/dev/null | head -n1
}

# Every Function of the instance is Healthy (installed and reachable).
functions_installed_v2() { conditions_true functions Healthy "${V2_FUNCTIONS[@]}"; }

# Functions installed from the package cache; the active revision of each gets
# its local endpoint, TLS server Secret and RuntimeHealthy condition (with the
# External package runtime nothing else sets them; the function was checked to
# serve mTLS before).
install_functions_v2() {
  local bin="$1" fn ref file rev sock
  for fn in "${V2_FUNCTIONS[@]}"; do
    ref="${V2_FUNCTION_PACKAGE[$fn]}"
    file="$(xpkg_cache_file "$STATE/crossplane-cache/xpkg" "$ref")"
    mkdir -p "$(dirname "$file")"
    gzip -c "$bin/packages/$fn.yaml" > "$file"
    kc apply -f - >/dev/null <<EOF
apiVersion: pkg.crossplane.io/v1
kind: Function
metadata:
  name: $fn
  labels:
    platformops.io/owner: platform-team
spec:
  package: $ref
  packagePullPolicy: Never
EOF
  done
  local end=$((SECONDS + 60))
  for fn in "${V2_FUNCTIONS[@]}"; do
    sock="$(function_socket "$fn")"
    until rev="$(active_function_revision "$fn")" && [ -n "$rev" ]; do
      [ $SECONDS -lt $end ] || { tail -n 20 "$LOGS/crossplane.log" >&2; die "Crossplane created no active FunctionRevision for $fn"; }
      sleep 1
    done
    # The package manager also waits for the revision's TLS server Secret,
    # which the runtime controller would create (its tls.crt would be the CA
    # bundle of CRD conversion webhooks, which functions do not have).
    kc -n crossplane-system create secret generic "$fn-tls-server" --from-file=tls.crt="$PKI/functions.crt" \
      --dry-run=client -o yaml | kc apply -f - >/dev/null
    # Server-side apply merges RuntimeHealthy into the conditions by type.
    kc apply --server-side --force-conflicts --subresource=status --field-manager=platformops-controlplane \
      -f - >/dev/null <<EOF
apiVersion: pkg.crossplane.io/v1
kind: FunctionRevision
metadata:
  name: $rev
status:
  endpoint: unix://$sock
  tlsServerSecretName: $fn-tls-server
  conditions:
    - type: RuntimeHealthy
      status: 'True'
      reason: HealthyPackageRevision
      message: local process serving mTLS on unix://$sock
      lastTransitionTime: $(date -u +%FT%TZ)
EOF
  done
  # shellcheck disable=SC2046
  kc wait --for=condition=Healthy --timeout=90s $(printf 'function/%s ' "${V2_FUNCTIONS[@]}") >/dev/null ||
    { kc get functions,functionrevisions >&2; die "Functions did not become Healthy (see $LOGS/crossplane.log)"; }
  log "functions installed: ${V2_FUNCTIONS[*]} (endpoints unix://$V2_FUNCTIONS_DIR/<name>.sock)"
}

# ------------------------------------------------------------------- up ---

# start_crossplane_v2: CRDs, Crossplane core v2, provider-nop v2 and the
# functions, once the API server and controller-manager run.
start_crossplane_v2() {
  local bin; bin="$(v2_bin_dir)"
  log "installing Crossplane v2 and provider-nop CRDs"
  kc apply --server-side --force-conflicts -f "$bin/crds/crossplane/" -f "$bin/crds/provider-nop/" >/dev/null
  kc create namespace crossplane-system --dry-run=client -o yaml | kc apply -f - >/dev/null
  kc wait --for=condition=Established --timeout=60s \
    crd/compositeresourcedefinitions.apiextensions.crossplane.io crd/compositions.apiextensions.crossplane.io \
    crd/compositionrevisions.apiextensions.crossplane.io crd/functions.pkg.crossplane.io \
    crd/functionrevisions.pkg.crossplane.io crd/nopresources.nop.m.crossplane.io crd/nopresources.nop.crossplane.io >/dev/null

  mkdir -p "$STATE/crossplane-cache/xpkg"
  start_proc crossplane env KUBECONFIG="$STATE/kubeconfig" \
    TLS_CLIENT_CERTS_DIR="$STATE/crossplane-tls" POD_NAMESPACE=crossplane-system \
    "$bin/crossplane" core start \
    --enable-webhooks=false \
    --metrics-port="$XP_METRICS_PORT" --health-probe-port="$XP_HEALTH_PORT" --webhook-port="$XP_WEBHOOK_PORT" \
    --cache-dir="$STATE/crossplane-cache/xpkg" \
    --package-runtime=External \
    --enable-usages=false \
    --enable-realtime-compositions=false \
    --poll-interval=30s \
    --sync-interval=10m

  start_proc provider-nop env KUBECONFIG="$STATE/kubeconfig" "$bin/provider-nop" \
    --metrics-bind-address="127.0.0.1:$NOP_METRICS_PORT" \
    --health-probe-bind-address="127.0.0.1:$NOP_HEALTH_PORT" \
    --poll=30s

  start_functions_v2 "$bin"

  wait_for "crossplane" 90 http_ok "http://127.0.0.1:$XP_HEALTH_PORT/readyz" ||
    { tail -n 30 "$LOGS/crossplane.log" >&2; die "Crossplane did not become ready"; }
  wait_for "provider-nop" 60 http_ok "http://127.0.0.1:$NOP_HEALTH_PORT/readyz" ||
    { tail -n 30 "$LOGS/provider-nop.log" >&2; die "provider-nop did not become ready"; }
  local fn
  for fn in "${V2_FUNCTIONS[@]}"; do
    wait_for "$fn" 30 function_healthy "$fn" ||
      { tail -n 20 "$LOGS/$fn.log" >&2; die "$fn does not serve mTLS on $(function_socket "$fn")"; }
  done
  install_functions_v2 "$bin"
}

# ----------------------------------------------------------------- seed ---

# seed_v2: the namespaces and workloads of demo/ and the platform of demo-v2/.
seed_v2() {
  local demo="$SCRIPT_DIR/demo" demo2="$SCRIPT_DIR/demo-v2"
  log "seed: namespaces and XRDs (demo-v2)"
  kc apply -f "$demo/00-namespaces.yaml" -f "$demo2/10-xrds.yaml" >/dev/null
  local xrds claimed
  xrds="$(awk '/^kind: CompositeResourceDefinition/{x=1} x&&/^  name:/{print "xrd/"$2; x=0}' "$demo2/10-xrds.yaml")"
  # shellcheck disable=SC2086
  kc wait --for=condition=Established --timeout=120s $xrds >/dev/null ||
    die "XRDs did not become Established (see $LOGS/crossplane.log)"
  # shellcheck disable=SC2086
  claimed="$(kc get $xrds -o jsonpath='{range .items[?(@.spec.claimNames)]}xrd/{.metadata.name} {end}')"
  if [ -n "$claimed" ]; then
    # shellcheck disable=SC2086
    kc wait --for=condition=Offered --timeout=120s $claimed >/dev/null ||
      die "XRD claims were not Offered (see $LOGS/crossplane.log)"
  fi
  log "seed: XRDs Established and Offered; compositions, composites, claims and workloads"
  kc apply -f "$demo2/20-compositions.yaml" >/dev/null
  kc apply -f "$demo2/30-composites.yaml" -f "$demo/40-workloads.yaml" >/dev/null
  log "seed: done ($(kc get composite -A --no-headers 2>/dev/null | wc -l) composites, $(kc get claim -A --no-headers 2>/dev/null | wc -l) claims)"
}

# ----------------------------------------------------------- wait-ready ---

# wait_ready_v2: every composite and claim except those labelled
# platformops.io/expect-healthy=false is Ready=True, and the demo's Deployments
# are Available.
wait_ready_v2() {
  local end=$((SECONDS + TIMEOUT)) pending total kinds
  local ready='{range .items[*]}{.kind}/{.metadata.namespace}/{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}'
  while :; do
    pending=""
    for kinds in composite claim; do
      pending+="$(kc get "$kinds" -A -l 'platformops.io/expect-healthy!=false' -o jsonpath="$ready" 2>/dev/null ||
        echo "$kinds=cannot list")"$'\n'
    done
    pending+="$(pending_demo_workloads)"
    pending="$(echo "$pending" | grep -v -e '=True$' -e '^$' || true)"
    total="$(kc get composite -A --no-headers 2>/dev/null | wc -l)"
    if [ -z "$pending" ] && [ "$total" -gt 0 ]; then
      log "wait-ready: all expected-healthy composites and claims are Ready ($total composites, $(kc get claim -A --no-headers 2>/dev/null | wc -l) claims) and the demo's Deployments Available"
      return 0
    fi
    if [ $SECONDS -ge $end ]; then
      log "wait-ready: timed out after ${TIMEOUT}s; not ready:"; echo "$pending" >&2
      return 1
    fi
    sleep 3
  done
}
