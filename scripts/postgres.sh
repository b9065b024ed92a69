#!/usr/bin/env bash
# Starts a throwaway PostgreSQL (Debian's package, installed when missing) on
# 127.0.0.1:${PLATFORMOPS_PG_PORT:-55432} for the tests that need a real
# database, and prints the connection URL. Idempotent.
set -euo pipefail
port="${PLATFORMOPS_PG_PORT:-55432}"
dir="${PLATFORMOPS_PG_DIR:-/tmp/platformops-postgres}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "postgres: installing Debian's postgresql" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
fi
# PostgreSQL refuses to run as root: run it as the postgres user.
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
if ! as_pg "$bin/pg_isready -q -h 127.0.0.1 -p $port"; then
  if [ ! -f "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_pg "$bin/initdb -D $dir -U postgres --auth=trust >/dev/null"
  fi
  as_pg "$bin/pg_ctl -D $dir -l $dir/server.log -o '-p $port -k /tmp -c listen_addresses=127.0.0.1' -w start >/dev/null"
fi
echo "postgresql://postgres@127.0.0.1:$port/postgres"
