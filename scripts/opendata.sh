#!/usr/bin/env bash
# Open-data check: frictionless (from PyPI) validates the demo's published release — its CSV
# against the Table Schema and the SHA-256 of its Data Package — then must refuse the same
# files with one count changed, so the check is known to bite; then the partners' Eurostat and
# CTDC files of the demo's last full year against the descriptors `relais observatory export`
# writes with them.
# Installs its pinned tools (scripts/requirements-opendata.txt) into a venv under ~/.cache;
# fails if it cannot. Run by `make test` (scripts/test.sh).
# RELAIS_BIN: the binary to serve (default: target/debug/relais, built if absent).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }
venv="${XDG_CACHE_HOME:-$HOME/.cache}/relais-opendata/venv"
requirements=scripts/requirements-opendata.txt
if ! cmp -s "$requirements" "$venv/requirements.txt" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/requirements.txt"
fi
relais="${RELAIS_BIN:-$PWD/target/debug/relais}"
[ -x "$relais" ] || cargo build -p relais --locked

# shellcheck source=lib/demo-server.sh
. scripts/lib/demo-server.sh
start_demo_server "$relais" "$venv/bin/python"
release="http://127.0.0.1:$port/publications/2024/1"
mkdir "$data/release"
curl -fsS "$release/datapackage.json" -o "$data/release/datapackage.json"
curl -fsS "$release/tableaux.csv" -o "$data/release/tableaux.csv"
(cd "$data/release" && "$venv/bin/frictionless" validate datapackage.json)
echo "open data: the demo release is valid"
# One figure changed: the checksum no longer matches.
sed -i '2s/,\([0-9][0-9]*\),/,1\1,/' "$data/release/tableaux.csv"
if (cd "$data/release" && "$venv/bin/frictionless" validate datapackage.json >/dev/null); then
  echo "frictionless accepted a file that does not match its checksum" >&2
  exit 1
fi
echo "open data: a changed file is refused"

# The partners' files, written by the command line from the same database.
year=$(( $(date +%Y) - 1 ))
for partner in eurostat ctdc; do
  RELAIS_DATA_DIR="$data" "$relais" observatory export "$partner" --year "$year" \
    --out "$data/$partner.csv" --schema "$data/$partner.schema.json"
  [ "$(wc -l <"$data/$partner.csv")" -gt 1 ] || { echo "the $partner file of $year is empty" >&2; exit 1; }
  (cd "$data" && "$venv/bin/frictionless" validate --schema "$partner.schema.json" "$partner.csv")
  echo "open data: the $partner file of $year is valid"
done
