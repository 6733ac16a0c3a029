# Sourced by the scripts that test a running server (contract.sh, opendata.sh):
# `start_demo_server RELAIS PYTHON` serves RELAIS with demo data on SQLite in a fresh
# directory, on a free port, and sets `port` and `data`; the server is stopped and the
# directory removed on exit.
start_demo_server() {
  local relais=$1 python=$2
  data=$(mktemp -d)
  port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  env -u DATABASE_URL RELAIS_DATA_DIR="$data" "$relais" serve --demo --listen "127.0.0.1:$port" >"$data/server.log" 2>&1 &
  server=$!
  trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$data"' EXIT
  for _ in $(seq 120); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    sleep 1
  done
  cat "$data/server.log" >&2
  return 1
}
