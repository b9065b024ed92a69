# Helpers shared by the local instances' scripts (tools/controlplane,
# tools/gitea): each runs named instances with a state directory and a
# base port. The sourcing script sets LOG_TAG, NAME and STATE.

log() { printf '[%s %s] %s\n' "$LOG_TAG" "$NAME" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Exit 2 naming the flag that is wrong.
check_instance_name() {
  [[ "$1" =~ ^[a-z0-9][a-z0-9-]*$ ]] || { echo "invalid --name '$1' (use a-z, 0-9, -)" >&2; exit 2; }
}
check_instance_port() {
  [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge 1024 ] && [ "$1" -le 65000 ] || { echo "invalid --port '$1'" >&2; exit 2; }
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# One up/down at a time per instance (e.g. the portal and a test run starting
# the same instance); other instances are not blocked.
lock_instance() {
  mkdir -p "$STATE"
  exec 8>"$STATE/.up.lock"
  if ! flock -n 8; then
    log "another up/down of this instance is running, waiting for it (at most 10 minutes)"
    flock -w 600 8 || log "lock still held after 10 minutes; going on"
  fi
}

# Files other processes read while an instance prepares again (the portal's
# start reads a CA beside a background `up`) are replaced whole, never
# truncated.
write_file() { # FILE [MODE] < content
  local tmp; tmp="$(mktemp "$1.XXXX")"
  cat > "$tmp"
  chmod "${2:-644}" "$tmp"
  mv "$tmp" "$1"
}
copy_file() { write_file "$2" "${3:-644}" < "$1"; } # SOURCE TARGET [MODE]
