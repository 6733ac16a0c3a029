#!/usr/bin/env bash
# `make fuzz`: every arbitrary-input target (parsers, importers, the router
# in-process) with CASES inputs each (default a million), optimised build.
# `cargo test` runs the same targets with 256 inputs each. Figures go to
# docs/PERFORMANCE.md; see docs/adr/0021-input-robustness.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-1000000}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
scripts/assets.sh
# One target at a time: each reports its own inputs and time.
PROPTEST_CASES=$cases cargo test --release --locked \
  -p relais-domain -p relais-stats -p relais-store -p relais-web fuzz -- --nocapture --test-threads=1 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
echo
echo "Fuzz summary ($cases inputs asked per target)"
grep -E '^fuzz .*: [0-9]+ inputs in' "$log" | sed 's/^/  /'
exit "$status"
