#!/usr/bin/env bash
# Soak test: the release build on SQLite with demo data, driven for DURATION
# seconds (default 600) at 100 requests/s of mixed traffic on loopback (page
# views by signed-in users, public signalements, API reads; scripts/soak.py).
# Fails on any error, or when the server's memory (RSS, sampled every 10 s)
# in the last minute differs by more than 5 % from the second minute.
# Not part of `make test`; figures in docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-600}
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }
scripts/assets.sh
cargo build -p relais --release --locked
relais="$PWD/target/release/relais"

data=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export RELAIS_DATA_DIR="$data"
# Public posts come "through a proxy" with varied addresses, as from many people.
export RELAIS_TRUSTED_PROXIES='["127.0.0.1/32"]'
"$relais" serve --demo --listen "127.0.0.1:$port" >"$data/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
for _ in $(seq 120); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$data/server.log" >&2; exit 1; }
password=$(sed -n 's/.*password for all: //p' "$data/server.log" | head -n 1)
[ -n "$password" ] || { echo "no demo password in the server output" >&2; cat "$data/server.log" >&2; exit 1; }
python3 scripts/soak.py --port "$port" --pid "$server" --relais "$relais" --password "$password" --duration "$duration"
