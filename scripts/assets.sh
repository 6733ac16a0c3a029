#!/usr/bin/env bash
# Installs the npm packages whose files are embedded in the binary (DSFR,
# htmx) and those the browser tests use, when missing or out of date.
set -euo pipefail
cd "$(dirname "$0")/../web"
command -v npm >/dev/null || { echo "npm is required (Node.js 20 or later)" >&2; exit 1; }
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
