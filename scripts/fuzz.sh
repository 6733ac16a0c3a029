#!/usr/bin/env bash
# `make fuzz`: arbitrary-input targets (parsers, importers, the router
# in-process) with CASES inputs each (default a million), optimised build,
# one target at a time. `cargo test` runs the same targets with 256 inputs
# each. Figures go to docs/PERFORMANCE.md; see docs/adr/0021-input-robustness.md.
#
#   scripts/fuzz.sh [CASES [TARGET...]]    every target when none is named
#   scripts/fuzz.sh --list                 the targets' names
set -euo pipefail
cd "$(dirname "$0")/.."

# name, then the test's path in its test binary (unique across the packages below).
targets=(
  newtypes:fuzz_newtypes
  follow_up_codes:fuzz_follow_up_codes
  referral_form:fuzz_referral_form
  public_form:fuzz_public_form
  case_forms:fuzz_case_forms
  catalogue_yaml:fuzz_catalogue_yaml
  mse_csv:fuzz_mse_csv
  mse_counts:fuzz_mse_counts
  directory_services_csv:directory::fuzz::fuzz_directory_services_csv
  directory_contacts_csv:directory::fuzz::fuzz_directory_contacts_csv
  api_referrals:fuzz_sqlite::api_referrals
  api_reads:fuzz_sqlite::api_reads
  public_forms:fuzz_sqlite::public_forms
  every_route:fuzz_sqlite::every_route
)
# --tests: unit and integration tests, not the doctests (compiled again on every run).
packages=(-p relais-domain -p relais-stats -p relais-store -p relais-web --tests)

names() { for t in "${targets[@]}"; do echo "${t%%:*}"; done; }
if [ "${1:-}" = "--list" ] || [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
  echo "usage: scripts/fuzz.sh [CASES [TARGET...]]  (CASES default 1000000; every target by default)"
  echo "targets:"
  names | sed 's/^/  /'
  exit 0
fi
cases=${1:-1000000}
case $cases in '' | *[!0-9]*) echo "CASES must be a number, not '$cases' (scripts/fuzz.sh --list)" >&2; exit 2 ;; esac
shift || true
chosen=("$@")
if [ ${#chosen[@]} -eq 0 ]; then
  mapfile -t chosen < <(names)
fi
paths=()
for name in "${chosen[@]}"; do
  path=
  for t in "${targets[@]}"; do
    if [ "${t%%:*}" = "$name" ]; then path=${t#*:}; fi
  done
  if [ -z "$path" ]; then
    echo "unknown target '$name'; scripts/fuzz.sh --list names them" >&2
    exit 2
  fi
  paths+=("$path")
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT
scripts/assets.sh
# Build once; every run below then reuses the same binaries.
cargo test --release --locked "${packages[@]}" --no-run
status=0
for i in "${!paths[@]}"; do
  echo "== ${chosen[$i]} ($cases inputs)"
  # One target at a time, each reporting its own inputs and time.
  if ! PROPTEST_CASES=$cases cargo test --release --locked "${packages[@]}" -q -- \
    --exact "${paths[$i]}" --nocapture --test-threads=1 2>&1 | tee -a "$log"; then
    status=1
    echo "fuzz ${chosen[$i]}: FAILED" | tee -a "$log"
  fi
done
echo
echo "Fuzz summary ($cases inputs asked per target)"
grep -E '^fuzz .*: ([0-9]+ inputs in|FAILED)' "$log" | sed 's/^/  /'
exit "$status"
