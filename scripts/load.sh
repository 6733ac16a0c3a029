#!/usr/bin/env bash
# Load test (issue 17): generates N fictional cases on SQLite (`relais demo generate`),
# serves them on loopback and drives them with Locust for S seconds: 50 officers signed in
# with think times (triage queue with filters, case queue, decision page, case file, a note
# written, directory, equal-access and timeliness pages), 10 integrations sending referrals
# through the API with their own tokens, and the public sending signalements
# (scripts/load/locustfile.py). Prints p50/p95/p99 per route, throughput, errors and the
# server's memory (RSS, sampled every second); fails on any error response.
#
# Usage: scripts/load.sh [--cases N] [--duration S] [--users U] [--seed S] [--keep DIR]
# Defaults: 10000 cases, 30 s, 50 users. --keep DIR generates into DIR and keeps it, or, when
# DIR already holds a database, serves that one without generating (large runs: 1M cases
# take an hour to generate). RELAIS_BIN: the binary (default: the release
# build, built if absent). Installs its pinned tools (scripts/requirements-load.txt) into a
# venv under ~/.cache. Loopback only; bounded by the duration.
set -euo pipefail
cd "$(dirname "$0")/.."
cases=10000 duration=30 users=50 seed=17 keep=
while [ $# -gt 0 ]; do
  case $1 in
    --cases) cases=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --users) users=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "load: unknown option $1" >&2; exit 2 ;;
  esac
done
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }
venv="${XDG_CACHE_HOME:-$HOME/.cache}/relais-load/venv"
requirements=scripts/requirements-load.txt
if ! cmp -s "$requirements" "$venv/requirements.txt" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/requirements.txt"
fi
relais="${RELAIS_BIN:-$PWD/target/release/relais}"
[ -x "$relais" ] || cargo build -p relais --release --locked

if [ -n "$keep" ]; then
  mkdir -p "$keep"
  data=$(cd "$keep" && pwd)
else
  data=$(mktemp -d)
fi
server=""
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  [ -n "$server" ] && { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
  [ -n "$keep" ] || rm -rf "$data"
}
trap cleanup EXIT
unset DATABASE_URL
export RELAIS_DATA_DIR="$data"
# Public posts come "through a proxy" with varied addresses, as from many people.
export RELAIS_TRUSTED_PROXIES='["127.0.0.1/32"]'

if [ ! -f "$data/relais.db" ]; then
  echo "load: generating $cases cases (seed $seed)"
  "$relais" demo generate --cases "$cases" --seed "$seed" >"$data/generate.log"
fi
tail -n 1 "$data/generate.log" || true
password=$(sed -n 's/.*password for all: //p' "$data/generate.log" | head -n 1)
audit_rows=$("$venv/bin/python" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from audit_log").fetchone()[0])' "$data/relais.db")
echo "load: $audit_rows audit rows, database $(du -sh "$data" | cut -f1)"

port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
started=$(date +%s%N)
"$relais" serve --listen "127.0.0.1:$port" >"$data/server.log" 2>&1 &
server=$!
for _ in $(seq 600); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$data/server.log" >&2; exit 1; }
echo "load: server ready in $(( ($(date +%s%N) - started) / 1000000 )) ms"

# A process that starts runs the day's jobs at once (retention, the observatory's NRM refresh,
# the audit check). The NRM refresh reads every referral in one transaction, which holds the
# database's write lock all along (ADR 0052): requests meanwhile wait, then answer 503. The load
# measures the server once they are done, and says how long they took.
jobs_started=$(date +%s)
today=$(date -u +%F)
for _ in $(seq 900); do
  "$venv/bin/python" -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=1)
running = db.execute("select count(*) from job_runs where state = ?", ("running",)).fetchone()[0]
checked = db.execute("select count(*) from job_runs where job = ? and run_key = ? and state <> ?",
                     ("audit-verify", sys.argv[2], "running")).fetchone()[0]
sys.exit(0 if running == 0 and checked > 0 else 1)' "$data/relais.db" "$today" 2>/dev/null && break
  sleep 1
done
echo "load: the day's jobs at start took $(( $(date +%s) - jobs_started )) s"

# The open cases the officers will open: read once from the database, before the load.
"$venv/bin/python" -c '
import sqlite3, sys
for (case,) in sqlite3.connect(sys.argv[1]).execute("select id from cases where status <> '"'closed'"' order by id limit 500"):
    print(case)' "$data/relais.db" |
  "$venv/bin/python" scripts/load/load_setup.py "$port" "$relais" "$password" 10 "$data/setup.json"

( while kill -0 "$server" 2>/dev/null; do
    awk '/^VmRSS:/ {print $2}' "/proc/$server/status" 2>/dev/null || true
    sleep 1
  done ) >"$data/rss.txt" &
sampler=$!

echo "load: $users officers, 10 integrations, 2 public reporters for ${duration} s"
set +e
RELAIS_LOAD_SETUP="$data/setup.json" RELAIS_LOAD_USERS="$users" "$venv/bin/locust" \
  -f scripts/load/locustfile.py --headless --host "http://127.0.0.1:$port" \
  --users $((users + 12)) --spawn-rate 25 --run-time "${duration}s" --stop-timeout 10 \
  --csv "$data/load" --only-summary --loglevel WARNING >"$data/locust.log" 2>&1
locust_status=$?
set -e
"$venv/bin/python" scripts/load/summary.py "$data/load_stats.csv" "$data/load_failures.csv" "$data/rss.txt" "$duration" \
  || { tail -n 30 "$data/locust.log" >&2; exit 1; }
[ "$locust_status" = 0 ] || { echo "load: locust exited with $locust_status" >&2; tail -n 30 "$data/locust.log" >&2; exit 1; }
echo "load: passed"
