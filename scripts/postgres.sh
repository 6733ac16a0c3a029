#!/usr/bin/env bash
# Prints a PostgreSQL URL where tests may create databases.
#   1. TEST_DATABASE_URL if set;
#   2. a server on 127.0.0.1:5432 that accepts the postgres user;
#   3. otherwise a throwaway cluster started here (the server package is
#      installed when missing), stopped by scripts/postgres-stop.sh.
# Progress goes to stderr; only the URL goes to stdout.
set -euo pipefail

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "$TEST_DATABASE_URL"
  exit 0
fi

local_url="postgres://postgres@127.0.0.1:5432/postgres"
if command -v psql >/dev/null && psql "$local_url" -Atc 'select 1' >/dev/null 2>&1; then
  echo "using the PostgreSQL server on 127.0.0.1:5432" >&2
  echo "$local_url"
  exit 0
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "installing the PostgreSQL server package…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

dir=${RELAIS_PG_DIR:-/tmp/relais-test-pg}
port=${RELAIS_PG_PORT:-55432}
run_as=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  run_as=(runuser -u postgres --)
fi
if [ ! -f "$dir/PG_VERSION" ]; then
  rm -rf "$dir" && mkdir -p "$dir" && chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  "${run_as[@]}" "$bindir/initdb" -D "$dir" -U postgres --auth=trust >/dev/null
fi
if ! "${run_as[@]}" "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  echo "starting a throwaway PostgreSQL on port $port…" >&2
  "${run_as[@]}" "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
fi
echo "postgres://postgres@127.0.0.1:$port/postgres"
