# Pods of the local control plane: kube-scheduler and simulated nodes.
# Sourced by controlplane.sh: uses its variables (STATE, PKI, LOGS, PORT,
# SCRIPT_DIR) and helpers (log, die, kc, start_proc, stop_proc, pid_of,
# sign_cert, write_kubeconfig, wait_for).
#
# There is no kubelet. kube-scheduler (from the same k8s.io/kubernetes as the
# API server, a subcommand of the kube binary) binds pods to Node objects that
# kwok (sigs.k8s.io/kwok v0.7.0, kwok/) keeps Ready, and kwok plays each pod's
# lifecycle from the Stage documents in kwok/stages/: pods become Running and
# Ready, Job pods complete, and pods labelled platformops.io/simulate crash-loop
# or fail (see kwok/stages/platformops-simulate.yaml).

SCHEDULER_PORT=$((PORT + 9))
# Simulated nodes kwok manages: the ones carrying this annotation.
KWOK_NODE_ANNOTATION="kwok.x-k8s.io/node"
KWOK_NODES=(kwok-node-0 kwok-node-1)
KWOK_STAGES_DIR="$SCRIPT_DIR/kwok/stages"
# Controllers that turn workloads into pods (and clean them up), besides those
# the control plane ran before pods existed. No node-lifecycle controller (see
# apply_kwok_nodes): nothing evicts pods from the simulated nodes.
KCM_CONTROLLERS=garbage-collector-controller,namespace-controller,serviceaccount-controller,serviceaccount-token-controller,clusterrole-aggregation-controller,root-ca-certificate-publisher-controller
KCM_CONTROLLERS+=,deployment-controller,replicaset-controller,statefulset-controller,daemonset-controller
KCM_CONTROLLERS+=,job-controller,cronjob-controller,ttl-after-finished-controller,pod-garbage-collector-controller
KCM_CONTROLLERS+=,endpoints-controller,endpointslice-controller,endpointslice-mirroring-controller
KCM_CONTROLLERS+=,replicationcontroller-controller,disruption-controller

# prepare_pods: the scheduler's client certificate (the user RBAC's bootstrap
# roles expect), its kubeconfig and configuration.
prepare_pods() {
  sign_cert scheduler "/CN=system:kube-scheduler" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
  write_kubeconfig "$STATE/scheduler.kubeconfig" system:kube-scheduler "$PKI/scheduler.crt" "$PKI/scheduler.key"
  cat > "$STATE/scheduler.yaml" <<EOF
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: $STATE/scheduler.kubeconfig
leaderElection:
  leaderElect: false
EOF
}

scheduler_healthy() { curl -ksf --max-time 2 "https://127.0.0.1:$SCHEDULER_PORT/healthz" -o /dev/null; }

# Every simulated node is Ready (kwok sets the condition and renews its lease)
# and no longer tainted not-ready (apply_kwok_nodes).
kwok_nodes_ready() {
  conditions_true nodes Ready "${KWOK_NODES[@]}" &&
    [ -z "$(kc get nodes "${KWOK_NODES[@]}" -o jsonpath='{.items[*].spec.taints[?(@.key=="node.kubernetes.io/not-ready")].key}' 2>/dev/null)" ]
}

apply_kwok_nodes() {
  local n
  for n in "${KWOK_NODES[@]}"; do
    cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: $n
  annotations:
    $KWOK_NODE_ANNOTATION: fake
  labels:
    type: kwok
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: $n
    kubernetes.io/os: linux
    node-role.kubernetes.io/agent: ""
status:
  allocatable: { cpu: "32", memory: 256Gi, pods: "110" }
  capacity: { cpu: "32", memory: 256Gi, pods: "110" }
EOF
  done | kc apply -f - >/dev/null
  # The API server taints a new node not-ready (TaintNodesByCondition); the
  # node-lifecycle controller, which would lift it once kwok reports Ready, does
  # not run (under load it would mark the simulated pods unready whenever a
  # lease renewal is late).
  for n in "${KWOK_NODES[@]}"; do
    kc taint nodes "$n" node.kubernetes.io/not-ready:NoSchedule- >/dev/null 2>&1 || true
  done
}

# start_pods BIN: starts kube-scheduler and kwok and applies the simulated
# nodes, once the API server runs.
start_pods() {
  local bin="$1" stages=() f
  start_proc scheduler "$bin/kube" scheduler \
    --config="$STATE/scheduler.yaml" \
    --authentication-kubeconfig="$STATE/scheduler.kubeconfig" \
    --authorization-kubeconfig="$STATE/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$SCHEDULER_PORT" \
    --cert-dir="$STATE/scheduler-certs" \
    --v=1
  for f in "$KWOK_STAGES_DIR"/*.yaml; do stages+=(--config "$f"); done
  # The admin identity, as Crossplane's; no kwok server (no port: logs, exec
  # and port-forward of simulated pods are not served).
  start_proc kwok "$bin/kwok" --kubeconfig="$STATE/kubeconfig" "${stages[@]}" \
    --manage-nodes-with-annotation-selector="$KWOK_NODE_ANNOTATION=fake" \
    --node-lease-duration-seconds=40 \
    --cidr=10.244.0.0/16 --node-ip=10.240.0.1
  apply_kwok_nodes
}

# wait_pods: returns once the scheduler is healthy and the nodes are Ready.
wait_pods() {
  wait_for "kube-scheduler" 60 scheduler_healthy ||
    { tail -n 30 "$LOGS/scheduler.log" >&2; die "kube-scheduler did not become healthy"; }
  wait_for "simulated nodes" 60 kwok_nodes_ready ||
    { tail -n 30 "$LOGS/kwok.log" >&2; die "kwok did not make the nodes Ready (${KWOK_NODES[*]})"; }
  log "pods: kube-scheduler and ${#KWOK_NODES[@]} simulated nodes Ready (${KWOK_NODES[*]})"
}

# An instance started before the controllers for workloads were added runs a
# controller-manager without them: up restarts it (a few seconds; the API
# server and everything else keep running).
restart_stale_controller_manager() {
  pid_of controller-manager >/dev/null || return 0
  [ "$(cat "$STATE/controller-manager.controllers" 2>/dev/null)" = "$KCM_CONTROLLERS" ] && return 0
  log "the running controller-manager predates the controllers for workloads: restarting it"
  stop_proc controller-manager
}

# pending_demo_workloads: the demo's Deployments (demo/40-workloads.yaml) not
# yet Available, one "Deployment/NAMESPACE/NAME=STATUS" a line, except those
# labelled platformops.io/expect-healthy=false (the crash-looping canary).
pending_demo_workloads() {
  local demo_deployments available
  demo_deployments="$(awk '/^kind:/{k=$2} /^  name:/{n=$2} /^  namespace:/{if (k=="Deployment") print "Deployment/"$2"/"n}' "$SCRIPT_DIR/demo/40-workloads.yaml")"
  available="$(kc get deployments -A -l 'platformops.io/expect-healthy!=false' \
    -o jsonpath='{range .items[*]}Deployment/{.metadata.namespace}/{.metadata.name}={.status.conditions[?(@.type=="Available")].status}{"\n"}{end}' 2>/dev/null)" ||
    { echo "deployments=cannot list"; return; }
  grep -F -f <(sed 's/$/=/' <<<"$demo_deployments") <<<"$available" | grep -v '=True$' || true
}
