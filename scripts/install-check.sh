#!/usr/bin/env bash
# Installs the PlatformOps suite into a fresh Backstage app made by
# @backstage/create-app, following the packages' READMEs, and checks that the
# app type-checks, builds and serves the suite against a local control plane.
# See "Install check" in README.md. Prints each phase's time; exits non-zero
# on failure.
#
#   scripts/install-check.sh [--dir DIR] [--control-plane NAME] [--frontend-build] [--keep]
#
# The app is made in $PLATFORMOPS_INSTALL_CHECK_DIR (default
# $TMPDIR/platformops-install-check), Yarn's cache kept in
# $PLATFORMOPS_INSTALL_CHECK_CACHE (default ~/.cache/platformops-install-check)
# so that a second run on the same machine installs fast.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
exec node "$PLATFORMOPS_ROOT/scripts/install-check/index.js" "$@"
