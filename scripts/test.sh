#!/usr/bin/env bash
# `make test`: every check, on SQLite and PostgreSQL, and in a real browser.
# Nothing is skipped silently: a missing tool is installed, or the run fails.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp -d)/relais-test
mkdir -p "$log"
# Each step says how long the one before took, so a slow step shows in CI's log.
started=$SECONDS
previous=$SECONDS
step() {
  printf '\n==> %s (previous step: %d s, total: %d s)\n' "$*" $((SECONDS - previous)) $((SECONDS - started))
  previous=$SECONDS
}

step "front-end packages"
scripts/assets.sh

step "format"
cargo fmt --all --check

step "lint (clippy, warnings denied)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "PostgreSQL"
TEST_DATABASE_URL=$(scripts/postgres.sh)
export TEST_DATABASE_URL
drop_test_databases() {
  psql "$TEST_DATABASE_URL" -Atc "select datname from pg_database where datname like 'relais\_test\_%'" 2>/dev/null |
    while read -r db; do psql "$TEST_DATABASE_URL" -qc "drop database if exists \"$db\"" >/dev/null 2>&1 || true; done
}
drop_test_databases
trap drop_test_databases EXIT

step "unit and integration tests (SQLite and PostgreSQL)"
# The browser tests move time with the test clock, which only the `test-clock` feature
# honours: the binary is built here, with the tests' features. Built apart, without the
# dev-dependencies' features of tokio, reqwest and rand, it rebuilt them: four minutes.
cargo test --workspace --locked --features relais/test-clock 2>&1 | tee "$log/cargo.txt"
status=${PIPESTATUS[0]}
[ "$status" = 0 ] || exit "$status"

step "browser tests (chromium, axe-core) on SQLite and PostgreSQL"
scripts/chromium.sh
export RELAIS_BIN="$PWD/target/debug/relais"
(cd web && node --test tests/) 2>&1 | tee "$log/browser-sqlite.txt"
status=${PIPESTATUS[0]}
[ "$status" = 0 ] || exit "$status"
browser_db="relais_test_browser_$$"
psql "$TEST_DATABASE_URL" -qc "create database $browser_db" >/dev/null
(cd web && DATABASE_URL="${TEST_DATABASE_URL%/*}/$browser_db" RELAIS_SECRET_KEY=$(printf 'ab%.0s' $(seq 32)) node --test tests/) 2>&1 | tee "$log/browser-postgres.txt"
status=${PIPESTATUS[0]}
[ "$status" = 0 ] || exit "$status"

step "API contract (schemathesis against /api/v1/openapi.json, SQLite)"
scripts/contract.sh 2>&1 | tee "$log/contract.txt"
status=${PIPESTATUS[0]}
[ "$status" = 0 ] || exit "$status"

step "open data (frictionless validates the demo release against its Table Schema and checksum)"
scripts/opendata.sh 2>&1 | tee "$log/opendata.txt"
status=${PIPESTATUS[0]}
[ "$status" = 0 ] || exit "$status"
grep -q "a changed file is refused" "$log/opendata.txt" || { echo "the open-data check did not run" >&2; exit 1; }

step "operations (docs/OPERATIONS.md's install steps in a throwaway folder, /healthz, relais doctor)"
# The binary the browser tests used: a release build would add ten minutes to CI.
ADMIN_DATABASE_URL="$TEST_DATABASE_URL" scripts/operations.sh --binary "$RELAIS_BIN" 2>&1 | tee "$log/operations.txt"
status=${PIPESTATUS[0]}
[ "$status" = 0 ] || exit "$status"
grep -q "^operations: .* passed$" "$log/operations.txt" || { echo "the operations check did not run" >&2; exit 1; }

step "load (10k cases, 30 s: officers, integrations and the public on SQLite; any error response fails)"
scripts/load.sh --cases 10000 --duration 30 2>&1 | tee "$log/load.txt"
status=${PIPESTATUS[0]}
[ "$status" = 0 ] || exit "$status"
grep -q "^load: passed$" "$log/load.txt" || { echo "the load run did not run" >&2; exit 1; }

count() { grep -cE "$1" "$2" || true; }
sqlite=$(count '^test .*sqlite::.* \.\.\. ok$' "$log/cargo.txt")
postgres=$(count '^test .*postgres::.* \.\.\. ok$' "$log/cargo.txt")
all=$(grep -E '^test result: ok\.' "$log/cargo.txt" | awk '{s += $4} END {print s + 0}')
browser_sqlite=$(grep -oE 'browser: [0-9]+ passed' "$log/browser-sqlite.txt" | grep -oE '[0-9]+' | tail -n 1)
browser_postgres=$(grep -oE 'browser: [0-9]+ passed' "$log/browser-postgres.txt" | grep -oE '[0-9]+' | tail -n 1)
contract=$(grep -oE '[0-9]+ generated, [0-9]+ passed' "$log/contract.txt" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' | tail -n 1)
if [ "$sqlite" = 0 ] || [ "$postgres" = 0 ] || [ -z "$browser_sqlite" ] || [ -z "$browser_postgres" ] || [ -z "$contract" ]; then
  echo "a suite ran no test" >&2
  exit 1
fi
echo
echo "Summary"
echo "  Rust tests:          $all passed (of which $sqlite on SQLite, $postgres on PostgreSQL, the rest backend-free)"
echo "  Browser (SQLite):    $browser_sqlite passed"
echo "  Browser (PostgreSQL): $browser_postgres passed"
echo "  API contract:        $contract schemathesis cases passed"
echo "  Open data:           the demo release validated by frictionless"
echo "  Load:                $(grep -E '^all: ' "$log/load.txt")"
echo "  Time:                $((SECONDS - started)) s (the last step: $((SECONDS - previous)) s)"
echo "$((all + browser_sqlite + browser_postgres)) passed, 0 failed"
