#!/usr/bin/env bash
# Measures server time of the main pages on demo data (SQLite) and writes the
# results into docs/PERFORMANCE.md. Usage: scripts/bench-web.sh [REQUESTS]
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-200}
cargo build -q -p relais --release
bin=target/release/relais
dir=$(mktemp -d)
port=18181
"$bin" demo seed --data-dir "$dir" >/dev/null
"$bin" serve --data-dir "$dir" --listen "127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

jar="$dir/cookies"
csrf() { curl -s -b "$jar" -c "$jar" "$base$1" | grep -o 'name="csrf" value="[^"]*"' | head -n 1 | cut -d'"' -f4; }
token=$(csrf /login)
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "email=admin@demo.relais.test" \
  --data-urlencode "password=demo-relais-2026" "$base/login"
token=$(csrf /login/mfa)
code=$("$bin" demo code admin@demo.relais.test --data-dir "$dir")
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "code=$code" "$base/login/mfa"

measure() {
  for _ in $(seq "$requests"); do
    curl -s -b "$jar" -o /dev/null -w '%{time_total}\n' "$base$1"
  done | sort -n | awk '{a[NR]=$1} END {printf "%.1f | %.1f | %.1f", a[int(NR*0.5)]*1000, a[int(NR*0.95)]*1000, a[NR]*1000}'
}

table="| page | median (ms) | p95 (ms) | max (ms) |\n|---|---|---|---|\n"
for page in /login /dashboard /account /admin/users /admin/organisations /admin/audit /assets/dsfr/dsfr.min.css; do
  table+="| \`$page\` | $(measure "$page") |\n"
done

section=$(printf '## Web pages (relais-web)\n\nMeasured by `scripts/bench-web.sh %s` on %s: release build, SQLite, demo data, one\nclient on the same 2-core machine, %s sequential requests per page, signed in as the\nplatform administrator. Times are full round trips seen by curl over loopback (server time\nplus a fraction of a millisecond). Target: well under 50 ms.\n\n%b' \
  "$requests" "$(date +%F)" "$requests" "$table")
python3 - "$section" <<'PY'
import re, sys
path = "docs/PERFORMANCE.md"
text = open(path).read()
section = sys.argv[1].rstrip() + "\n"
pattern = re.compile(r"## Web pages \(relais-web\)\n.*?(?=\n## |\Z)", re.S)
text = pattern.sub(section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section
open(path, "w").write(text)
PY
echo "$section"
