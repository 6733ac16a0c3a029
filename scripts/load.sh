#!/usr/bin/env bash
# Load test (issue 17): generates N fictional cases (`relais demo generate`), serves them on
# loopback and drives them with Locust for S seconds: 50 officers signed in with think times
# (triage queue with filters, case queue, decision page, case file, a note written, directory,
# equal-access and timeliness pages), 10 integrations sending referrals through the API with
# their own tokens, and the public sending signalements (scripts/load/locustfile.py). Prints
# p50/p95/p99 per route and throughput from W seconds on (the users arrive at 25 a second on a
# server just started: its first seconds are reported apart, with the whole run's), errors and
# the servers' memory (RSS, sampled every second, summed over the instances); fails on any error
# response, whenever it came, or if the audit chain does not verify afterwards.
#
# Usage: scripts/load.sh [--cases N] [--duration S] [--warmup W] [--users U] [--seed S]
#                        [--keep DIR] [--postgres] [--instances K] [--intake C]
# Defaults: 10000 cases, 30 s, a warm-up of 10 s, 50 users, SQLite, one instance. --keep DIR
# generates into DIR and keeps it, or, when DIR already holds a SQLite database, serves that
# one without generating (large runs: 1M cases take half an hour to generate). --postgres: a
# new database on the PostgreSQL server of scripts/postgres.sh, dropped at the end; with
# --keep DIR, the database is named in DIR/database, kept, and served again without
# generating by a later run with the same DIR. --instances K: K `relais serve` processes on
# the one database behind haproxy (installed from Debian if absent), round robin, as in
# production. --intake C: instead of the mixed scenario, C integrations send referrals back
# to back with no think time, to measure the API's intake rate (the throughput line).
# RELAIS_BIN: the binary (default: the release build, built if absent). Installs its pinned
# tools (scripts/requirements-load.txt) into a venv under ~/.cache. Loopback only; bounded by
# the duration.
set -euo pipefail
cd "$(dirname "$0")/.."
cases=10000 duration=30 warmup=10 users=50 seed=17 keep= postgres= instances=1 intake=
while [ $# -gt 0 ]; do
  case $1 in
    --cases) cases=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --users) users=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --postgres) postgres=yes; shift ;;
    --instances) instances=$2; shift 2 ;;
    --intake) intake=$2; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "load: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$warmup" -lt "$duration" ] || { echo "load: the warm-up ($warmup s) must be shorter than the run ($duration s)" >&2; exit 2; }
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
servers=()
sampler=""
proxy=""
database=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  [ -n "$proxy" ] && kill "$proxy" 2>/dev/null || true
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$database" ] && [ -z "$keep" ] && psql "$admin_url" -qc "drop database if exists $database" >/dev/null 2>&1 || true
  [ -n "$keep" ] || rm -rf "$data"
}
trap cleanup EXIT
unset DATABASE_URL
export RELAIS_DATA_DIR="$data"
# Public posts come "through a proxy" with varied addresses, as from many people.
export RELAIS_TRUSTED_PROXIES='["127.0.0.1/32"]'
if [ -n "$postgres" ]; then
  admin_url=$(scripts/postgres.sh)
  if [ -n "$keep" ] && [ -f "$data/database" ]; then
    database=$(cat "$data/database")
  else
    database="relais_load_$$"
    psql "$admin_url" -qc "create database $database" >/dev/null
    [ -z "$keep" ] || echo "$database" >"$data/database"
  fi
  export DATABASE_URL="${admin_url%/*}/$database"
  # Every process of one installation has the same keys.
  RELAIS_SECRET_KEY=$(printf 'ab%.0s' $(seq 32))
  export RELAIS_SECRET_KEY
fi

# One query's rows, whichever the database: `sql QUERY [ARG]` ($1 in the query is ARG).
sql() {
  if [ -n "$postgres" ]; then
    # psql replaces :'arg' (quoted) in what it reads from standard input, not in -c.
    psql "$DATABASE_URL" -Atq -v arg="${2:-}" <<<"${1//\$1/:\'arg\'};"
  else
    "$venv/bin/python" -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=1)
for row in db.execute(sys.argv[2].replace("$1", "?"), sys.argv[3:4]):
    print("|".join(str(v) for v in row))' "$data/relais.db" "$1" ${2:+"$2"}
  fi
}

if { [ -n "$postgres" ] && ! grep -q '^Generated' "$data/generate.log" 2>/dev/null; } ||
   { [ -z "$postgres" ] && [ ! -f "$data/relais.db" ]; }; then
  echo "load: generating $cases cases (seed $seed)${postgres:+ on PostgreSQL}"
  "$relais" demo generate --cases "$cases" --seed "$seed" >"$data/generate.log"
fi
tail -n 1 "$data/generate.log" || true
password=$(sed -n 's/.*password for all: //p' "$data/generate.log" | head -n 1)
echo "load: $(sql "select count(*) from audit_log") audit rows"

free_port() {
  "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_healthy() {
  for _ in $(seq 600); do
    curl -fsS "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  curl -fsS "http://127.0.0.1:$1/healthz" >/dev/null
}
started=$(date +%s%N)
ports=()
for n in $(seq "$instances"); do
  ports+=("$(free_port)")
  "$relais" serve --listen "127.0.0.1:${ports[-1]}" >"$data/server-$n.log" 2>&1 &
  servers+=($!)
done
for n in $(seq "$instances"); do
  wait_healthy "${ports[$((n - 1))]}" || { cat "$data/server-$n.log" >&2; exit 1; }
done
echo "load: $instances server(s) ready in $(( ($(date +%s%N) - started) / 1000000 )) ms"
port=${ports[0]}
if [ "$instances" -gt 1 ]; then
  if ! command -v haproxy >/dev/null; then
    echo "load: installing haproxy (Debian)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends haproxy >/dev/null
  fi
  port=$(free_port)
  {
    printf 'global\n  maxconn 4096\ndefaults\n  mode http\n  timeout connect 5s\n  timeout client 120s\n  timeout server 120s\n'
    printf 'frontend relais\n  bind 127.0.0.1:%s\n  default_backend instances\nbackend instances\n  balance roundrobin\n' "$port"
    for n in $(seq "$instances"); do printf '  server relais%s 127.0.0.1:%s\n' "$n" "${ports[$((n - 1))]}"; done
  } >"$data/haproxy.cfg"
  haproxy -f "$data/haproxy.cfg" -db >"$data/haproxy.log" 2>&1 &
  proxy=$!
  wait_healthy "$port" || { cat "$data/haproxy.log" >&2; exit 1; }
  echo "load: haproxy on port $port, round robin over ${ports[*]}"
fi

# The servers' memory (RSS summed over the instances, KiB), sampled every second into $1.
sample_memory() {
  ( while kill -0 "${servers[0]}" 2>/dev/null; do
      total=0
      for pid in "${servers[@]}"; do
        kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
        total=$((total + ${kib:-0}))
      done
      echo "$total"
      sleep 1
    done ) >"$1" &
  sampler=$!
}

# A process that starts runs the day's jobs at once (retention, the observatory's NRM refresh,
# the audit check); one process of several runs each. The load measures the servers once they
# are done, and says how long they took and the memory they needed.
sample_memory "$data/rss-jobs.txt"
jobs_started=$(date +%s)
today=$(date -u +%F)
for _ in $(seq 900); do
  running=$(sql "select count(*) from job_runs where state = 'running'" || echo 1)
  checked=$(sql "select count(*) from job_runs where job = 'audit-verify' and state <> 'running' and run_key = \$1" "$today" || echo 0)
  [ "$running" = 0 ] && [ "$checked" -gt 0 ] && break
  sleep 1
done
kill "$sampler" 2>/dev/null || true
jobs_peak=$(sort -n "$data/rss-jobs.txt" | tail -n 1)
echo "load: the day's jobs at start took $(( $(date +%s) - jobs_started )) s, the servers' memory at most \
$(( ${jobs_peak:-0} / 1024 )) MiB meanwhile"

# The open cases the officers will open: read once from the database, before the load.
sql "select id from cases where status <> 'closed' order by id limit 500" |
  "$venv/bin/python" scripts/load/load_setup.py "$port" "$relais" "$password" 10 "$data/setup.json"

sample_memory "$data/rss.txt"


if [ -n "$intake" ]; then
  echo "load: $intake integrations sending referrals back to back for ${duration} s"
  scenario=(Intake) clients=$intake
else
  echo "load: $users officers, 10 integrations, 2 public reporters for ${duration} s"
  scenario=(Officer Integration Public) clients=$((users + 12))
fi
set +e
RELAIS_LOAD_TIMINGS="$data/load_timings.csv" RELAIS_LOAD_SETUP="$data/setup.json" RELAIS_LOAD_USERS="$users" RELAIS_LOAD_INTAKE="$intake" "$venv/bin/locust" \
  -f scripts/load/locustfile.py --headless --host "http://127.0.0.1:$port" "${scenario[@]}" \
  --users "$clients" --spawn-rate 25 --run-time "${duration}s" --stop-timeout 10 \
  --csv "$data/load" --only-summary --loglevel WARNING >"$data/locust.log" 2>&1
locust_status=$?
set -e
"$venv/bin/python" scripts/load/summary.py "$data/load_stats.csv" "$data/load_failures.csv" \
  "$data/load_timings.csv" "$data/rss.txt" "$duration" "$warmup" \
  || { tail -n 30 "$data/locust.log" >&2; exit 1; }
[ "$locust_status" = 0 ] || { echo "load: locust exited with $locust_status" >&2; tail -n 30 "$data/locust.log" >&2; exit 1; }
# Every request of every process chained its audit rows: the chain must still verify.
"$relais" audit verify | sed 's/^/load: /'
echo "load: passed"
