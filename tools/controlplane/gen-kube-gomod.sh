#!/usr/bin/env bash
# Regenerates kube/go.mod for a Kubernetes release: requires k8s.io/kubernetes at
# KUBE_VERSION and replaces each staging module (required as v0.0.0 upstream) with
# its published v0.X.Y tag. Usage: ./gen-kube-gomod.sh [v1.34.4]
set -euo pipefail
export PATH="$PATH:/usr/local/go/bin"
KUBE_VERSION="${1:-v1.34.4}"
STAGING_VERSION="v0.${KUBE_VERSION#v1.}"
cd "$(dirname "$0")/kube"
modfile="$(go mod download -json "k8s.io/kubernetes@${KUBE_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
ETCD_VERSION="$(awk '$1=="go.etcd.io/etcd/client/v3"{print $2; exit}' "$modfile")"
{
  echo "module platformops.dev/controlplane/kube"
  echo
  echo "go 1.24.0"
  echo
  echo "require ("
  echo "	k8s.io/kubernetes ${KUBE_VERSION}"
  echo "	go.etcd.io/etcd/server/v3 ${ETCD_VERSION}"
  echo ")"
  echo
  echo "replace ("
  awk '$1 ~ /^k8s.io\// && $2=="v0.0.0" {print $1}' "$modfile" | sort -u | while read -r m; do
    echo "	${m} => ${m} ${STAGING_VERSION}"
  done
  echo ")"
} > go.mod
GOFLAGS=-mod=mod go mod tidy
echo "kube/go.mod: k8s.io/kubernetes ${KUBE_VERSION}, staging ${STAGING_VERSION}, etcd ${ETCD_VERSION}"
