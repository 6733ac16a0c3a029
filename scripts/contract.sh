#!/usr/bin/env bash
# API contract test: schemathesis, against a running server on SQLite with
# demo data and a valid API token, generates requests from
# /api/v1/openapi.json and checks every response: no server error, status,
# content type, headers and body as the description says.
# Installs its pinned tools (scripts/requirements-contract.txt) into a venv
# under ~/.cache; fails if it cannot. Run by `make test` (scripts/test.sh).
# RELAIS_BIN: the binary to serve (default: target/debug/relais, built if absent).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }
venv="${XDG_CACHE_HOME:-$HOME/.cache}/relais-contract/venv"
requirements=scripts/requirements-contract.txt
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
# `relais demo code` (for the second factor) reads the same database.
export RELAIS_DATA_DIR="$data"
unset DATABASE_URL
password=$(sed -n 's/.*password for all: //p' "$data/server.log" | head -n 1)
token=$(PYTHONPATH=scripts/lib "$venv/bin/python" -c '
import os, sys, relais_client
admin = relais_client.sign_in("127.0.0.1", int(sys.argv[1]), sys.argv[2], dict(os.environ), "admin@demo.relais.test", sys.argv[3])
print(relais_client.issue_token(admin, "contract"))
' "$port" "$relais" "$password")
# One referral of this token, whose status the GET operation reads.
RELAIS_CONTRACT_REFERENCE=$(curl -fsS "http://127.0.0.1:$port/api/v1/referrals" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"family_name": "Contrat", "age": "adult", "sex": "female", "nationality": "BGR", "departement": "31",
       "languages": "bulgare", "interpreter_needed": "no", "circumstances": "Test de contrat", "forms": ["labour"],
       "location": "france", "act": "yes", "consent": "given", "consent_language": "bulgare",
       "consent_interpreter": "no", "consent_explained_by": "Agent Contrat", "consent_date": "2026-12-01"}' |
  "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["reference"])')
export RELAIS_CONTRACT_REFERENCE
"$venv/bin/schemathesis" --config-file scripts/schemathesis.toml run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks all \
  --max-examples 100 \
  --seed 1 \
  --generation-database none \
  --no-color
