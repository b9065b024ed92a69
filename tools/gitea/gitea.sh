#!/usr/bin/env bash
# Local Git host (Gitea, SQLite, HTTP on 127.0.0.1) for the GitOps integration
# tests: the portal opens pull requests on it as it would on a team's Git host.
#
#   gitea.sh build|up|status|down [--purge]|env|logs [--name NAME] [--port PORT]
#
# build  compiles Gitea from this module (go.mod pins the version), cached in
#        ~/.cache/platformops/gitea/bin-<hash of go.mod, go.sum, tools.go, Go>
# up     starts instance NAME (default "local", port 3300) in .gitea/NAME/,
#        waits until /api/v1/version answers, creates the admin user
#        "platformops" and an access token (repositories, users, organizations:
#        write) in .gitea/NAME/token; reused when already up
# env    prints GITEA_URL, GITEA_USERNAME, GITEA_TOKEN_FILE (source it)
set -euo pipefail
# One block, read before any of it runs (an edit during a long build is safe).
{

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
export PATH="$PATH:/usr/local/go/bin"

NAME="local"
PORT=""
PURGE=0
CMD="${1:-help}"
[ $# -gt 0 ] && shift
while [ $# -gt 0 ]; do
  case "$1" in
    --name) NAME="$2"; shift 2 ;;
    --name=*) NAME="${1#*=}"; shift ;;
    --port) PORT="$2"; shift 2 ;;
    --port=*) PORT="${1#*=}"; shift ;;
    --purge) PURGE=1; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
LOG_TAG=gitea
# shellcheck source=../lib/instance.sh
source "$SCRIPT_DIR/../lib/instance.sh"
check_instance_name "$NAME"
STATE="$REPO_ROOT/.gitea/$NAME"
# Without --port, an existing instance keeps the port it was started with.
if [ -z "$PORT" ]; then
  PORT="$(cat "$STATE/port" 2>/dev/null || true)"
  PORT="${PORT:-3300}"
fi
check_instance_port "$PORT"

URL="http://127.0.0.1:$PORT"
CACHE_ROOT="${PLATFORMOPS_CACHE:-$HOME/.cache/platformops}/gitea"
ADMIN_USER="platformops"
TOKEN_SCOPES="write:repository,write:user,write:organization"


# ------------------------------------------------------------------ build ---

GITEA_VERSION="1.25.4" # keep in step with go.mod (stamped into the binary, /api/v1/version)
BUILD_TAGS="sqlite sqlite_unlock_notify"
BUILD_LDFLAGS="-s -w -X 'main.Version=$GITEA_VERSION' -X 'main.Tags=$BUILD_TAGS'"

source_hash() {
  (
    cd "$SCRIPT_DIR"
    { go version 2>/dev/null || echo "no-go"; echo "$BUILD_LDFLAGS"; cat go.mod go.sum tools.go; } | sha256sum | cut -c1-16
  )
}

bin_dir() { echo "$CACHE_ROOT/bin-$(source_hash)"; }

# Gitea reads its templates and options (translations, licenses) from
# STATIC_ROOT_PATH unless built with bindata, which needs generated files the
# module does not ship: they are copied from the module next to the binary.
install_static() { # BIN_DIR
  [ -d "$1/static/options" ] && [ -d "$1/static/templates" ] && return 0
  local src
  src="$(cd "$SCRIPT_DIR" && go list -m -f '{{.Dir}}' code.gitea.io/gitea)"
  rm -rf "$1/static"; mkdir -p "$1/static"
  cp -R "$src/options" "$src/templates" "$1/static/"
  chmod -R u+w "$1/static"
}

cmd_build() {
  command -v go >/dev/null || die "Go is required (looked in PATH and /usr/local/go/bin)"
  local bin; bin="$(bin_dir)"
  if [ -f "$bin/.complete" ]; then install_static "$bin"; log "build: cached binary in $bin"; return 0; fi
  mkdir -p "$CACHE_ROOT"
  # Serialise concurrent builds (several test runs starting at once).
  exec 9>"$CACHE_ROOT/build.lock"
  if ! flock -n 9; then
    log "build: another build is running, waiting for it"
    flock 9
  fi
  if [ -f "$bin/.complete" ]; then install_static "$bin"; log "build: cached binary in $bin"; flock -u 9; return 0; fi
  local start=$SECONDS tmp="$bin.tmp.$$" blog="$CACHE_ROOT/build.log"
  rm -rf "$tmp"; mkdir -p "$tmp"
  log "build: Gitea into $bin (a first build downloads modules and compiles: about 8 minutes on a loaded 2-core machine; log $blog)"
  # The sqlite tags link SQLite in; without them Gitea cannot use it.
  (cd "$SCRIPT_DIR" && go build -trimpath -ldflags="$BUILD_LDFLAGS" -tags "$BUILD_TAGS" \
    -o "$tmp/gitea" code.gitea.io/gitea) >"$blog" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 30); do sleep 1; kill -0 "$pid" 2>/dev/null || break; done
    kill -0 "$pid" 2>/dev/null && log "build: still running ($((SECONDS - start))s)"
  done
  if ! wait "$pid"; then
    tail -n 40 "$blog" >&2
    rm -rf "$tmp"
    die "build failed (full log: $blog)"
  fi
  install_static "$tmp"
  touch "$tmp/.complete"
  rm -rf "$bin"; mv "$tmp" "$bin"
  # Keep only the newest two builds.
  ls -1dt "$CACHE_ROOT"/bin-* 2>/dev/null | grep -v '\.tmp\.' | tail -n +3 | xargs -r rm -rf
  flock -u 9
  log "build: complete in $((SECONDS - start))s"
}

# -------------------------------------------------------------- processes ---

pid_of() { # prints the server's pid if it runs in this instance's state dir
  local pid
  pid="$(cat "$STATE/pid" 2>/dev/null)" || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$STATE" ] || return 1
  echo "$pid"
}

api_up() { curl -fsS --max-time 3 "$URL/api/v1/version" >/dev/null 2>&1; }


gitea() { (cd "$STATE" && "$(cat "$STATE/bin")/gitea" --config "$STATE/custom/conf/app.ini" --work-path "$STATE" "$@"); }
# Gitea's commands print its warning about root first: the answer is the last line.
gitea_answer() { gitea "$@" | tail -n 1; }


# app.ini is written at every start (the binary's directory may have
# changed); its secrets are made once, kept in secrets/.
write_config() {
  local conf="$STATE/custom/conf/app.ini" secrets="$STATE/secrets" name
  mkdir -p "$STATE/custom/conf" "$STATE/data" "$STATE/repos" "$STATE/log" "$secrets"
  chmod 700 "$STATE" "$secrets"
  for name in SECRET_KEY INTERNAL_TOKEN JWT_SECRET; do
    [ -s "$secrets/$name" ] || (umask 077; gitea_answer generate secret "$name" > "$secrets/$name")
  done
  (umask 077; cat > "$conf" <<EOF
; Local test Git host: root is allowed here (containers, CI), never in production.
I_AM_BEING_UNSAFE_RUNNING_AS_ROOT = true
APP_NAME = PlatformOps local Git
RUN_MODE = prod
WORK_PATH = $STATE

[server]
PROTOCOL = http
HTTP_ADDR = 127.0.0.1
HTTP_PORT = $PORT
ROOT_URL = $URL/
STATIC_ROOT_PATH = $(cat "$STATE/bin")/static
DISABLE_SSH = true
OFFLINE_MODE = true
LFS_START_SERVER = false

[database]
DB_TYPE = sqlite3
PATH = $STATE/data/gitea.db

[repository]
ROOT = $STATE/repos
DEFAULT_BRANCH = main

[security]
INSTALL_LOCK = true
SECRET_KEY = $(cat "$secrets/SECRET_KEY")
INTERNAL_TOKEN = $(cat "$secrets/INTERNAL_TOKEN")

[oauth2]
JWT_SECRET = $(cat "$secrets/JWT_SECRET")

[service]
DISABLE_REGISTRATION = true

[actions]
ENABLED = false

[cron]
ENABLED = false

[session]
PROVIDER = memory

[log]
MODE = file
LEVEL = Warn
ROOT_PATH = $STATE/log
EOF
  )
}

# The admin user and its token: created once; a token the server no longer
# knows (a purged database) is replaced.
ensure_admin() {
  local pwfile="$STATE/password" tokfile="$STATE/token"
  [ -s "$pwfile" ] || (umask 077; openssl rand -hex 24 > "$pwfile")
  if ! gitea admin user list --admin 2>/dev/null | awk '{print $2}' | grep -qx "$ADMIN_USER"; then
    log "creating admin user $ADMIN_USER"
    gitea admin user create --admin --username "$ADMIN_USER" --password "$(cat "$pwfile")" \
      --email "$ADMIN_USER@localhost" --must-change-password=false >/dev/null
  fi
  if [ -s "$tokfile" ] && curl -fsS --max-time 5 -H "Authorization: token $(cat "$tokfile")" "$URL/api/v1/user" >/dev/null 2>&1; then
    return 0
  fi
  log "generating an access token for $ADMIN_USER ($TOKEN_SCOPES)"
  local token
  token="$(gitea_answer admin user generate-access-token --username "$ADMIN_USER" \
    --token-name "platformops-$(date +%s)" --scopes "$TOKEN_SCOPES" --raw)"
  [[ "$token" =~ ^[0-9a-f]{40}$ ]] || die "no access token in Gitea's answer"
  (umask 077; printf '%s\n' "$token" > "$tokfile")
}

write_env() {
  cat > "$STATE/env" <<EOF
GITEA_URL=$URL
GITEA_NAME=$NAME
GITEA_USERNAME=$ADMIN_USER
GITEA_TOKEN_FILE=$STATE/token
export GITEA_URL GITEA_NAME GITEA_USERNAME GITEA_TOKEN_FILE
EOF
}

cmd_up() {
  for tool in curl openssl flock; do command -v "$tool" >/dev/null || die "$tool is required"; done
  lock_instance
  # One started but still starting (a slow machine) is waited for.
  if pid_of >/dev/null; then
    local wait_end=$((SECONDS + 120))
    until api_up || [ $SECONDS -ge $wait_end ]; do sleep 1; done
  fi
  if pid_of >/dev/null && api_up; then
    log "already up at $URL"
  else
    if pid_of >/dev/null; then cmd_down; lock_instance; fi
    cmd_build
    bin_dir > "$STATE/bin"
    write_config
    port_free "$PORT" || die "port $PORT is in use (another instance or program?); choose another --port"
    echo "$PORT" > "$STATE/port"
    log "starting Gitea at $URL"
    echo "=== $(date -u +%FT%TZ) starting" >> "$STATE/log/web.log"
    (
      cd "$STATE"
      exec setsid "$(cat "$STATE/bin")/gitea" web --config "$STATE/custom/conf/app.ini" --work-path "$STATE" \
        >> "$STATE/log/web.log" 2>&1 < /dev/null 8>&- 9>&-
    ) &
    echo $! > "$STATE/pid"
    local end=$((SECONDS + 120))
    until api_up; do
      pid_of >/dev/null || { tail -n 30 "$STATE/log/web.log" >&2; die "Gitea exited at start"; }
      [ $SECONDS -lt $end ] || { tail -n 30 "$STATE/log/web.log" >&2; die "Gitea did not answer at $URL/api/v1/version"; }
      sleep 1
    done
    log "up at $URL (version $(curl -fsS "$URL/api/v1/version"))"
  fi
  ensure_admin
  write_env
  log "token in $STATE/token (source $STATE/env)"
}

cmd_status() {
  local pid
  printf '%-10s %s\n' "instance" "$NAME ($URL, state $STATE)"
  if pid="$(pid_of)"; then
    if api_up; then printf '%-10s up (pid %s, healthy)\n' gitea "$pid"; return 0; fi
    printf '%-10s up (pid %s, not answering)\n' gitea "$pid"; return 1
  fi
  printf '%-10s down\n' gitea
  return 1
}

cmd_down() {
  local pid
  [ -d "$STATE" ] && lock_instance
  if pid="$(pid_of)"; then
    log "stopping Gitea (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { log "did not stop in 15s, killing"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$STATE/pid"
  if [ "$PURGE" = 1 ]; then log "purging $STATE"; rm -rf "$STATE"; fi
  log "down"
}

case "$CMD" in
  build) cmd_build ;;
  up) cmd_up ;;
  status) cmd_status ;;
  down) cmd_down ;;
  env) [ -s "$STATE/env" ] || die "instance $NAME was never up (run: $0 up --name $NAME)"; cat "$STATE/env" ;;
  logs) tail -n 30 "$STATE/log/web.log" "$STATE/log/gitea.log" 2>/dev/null || true ;;
  help|-h|--help) sed -n 2,14p "$0" | sed 's/^# \{0,1\}//' ;;
  *) echo "unknown command: $CMD (build|up|status|down|env|logs)" >&2; exit 2 ;;
esac
exit
}
