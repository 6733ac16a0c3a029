#!/usr/bin/env bash
# The steps of docs/OPERATIONS.md ("Install on a machine with systemd"), done
# in a throwaway folder on this machine: no root, no systemd. The unit's
# Environment= and ExecStart= lines are run by hand, on a throwaway PostgreSQL
# database of the server of ADMIN_DATABASE_URL (by default
# postgres://postgres@127.0.0.1:5432/postgres; the new role must be let in, e.g. trust
# on the loopback as scripts/postgres.sh sets up). Checks /healthz and
# `relais doctor`, then a backup and a restore drill. Exit 0 when all pass.
#
#   scripts/operations.sh [--binary FILE]   (default: cargo build --release)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
binary=
if [ "${1:-}" = "--binary" ]; then binary=$(realpath "$2"); fi
admin_url=${ADMIN_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
# A new machine has no RELAIS_* variable but the unit's: the test harness's own (RELAIS_BIN…)
# would be reported by `relais doctor` as misspelt configuration keys.
while IFS= read -r variable; do unset "$variable"; done < <(compgen -e | grep '^RELAIS_' || true)
step() { printf '\n==> %s\n' "$*"; }
fail() { echo "operations.sh: $*" >&2; exit 1; }

work=$(mktemp -d)
name="relais_ops_$$"
restored="${name}_restored"
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  for db in "$name" "$restored"; do psql "$admin_url" -qc "drop database if exists $db" >/dev/null 2>&1 || true; done
  psql "$admin_url" -qc "drop role if exists $name" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

step "1. build the binary"
if [ -z "$binary" ]; then
  cargo build --release --locked -p relais
  binary=$repo/target/release/relais
fi

step "2. a PostgreSQL role and database for Relais"
psql "$admin_url" -v ON_ERROR_STOP=1 -qc "create role $name login" -c "create database $name owner $name"
hostport=$(python3 -c 'import sys, urllib.parse as u; p = u.urlparse(sys.argv[1]); print(f"{p.hostname}:{p.port or 5432}")' "$admin_url")
database_url="postgres://$name@$hostport/$name"

step "3. deploy/install.sh (prefix $work, user $(id -un))"
deploy/install.sh --prefix "$work" --binary "$binary" --user "$(id -un)"
config=$work/etc/relais/relais.toml
unit=$work/etc/systemd/system/relais.service
for path in "$config" "$work/etc/relais/secret.key" "$unit" "$work/usr/local/bin/relais"; do
  [ -e "$path" ] || fail "install.sh did not write $path"
done
[ "$(stat -c %a "$work/etc/relais/secret.key")" = 600 ] || fail "the key file is not 0600"
[ "$(stat -c %a "$work/var/lib/relais")" = 700 ] || fail "the state folder is not 0700"
if command -v systemd-analyze >/dev/null; then
  # The installed unit, whose binary exists here: any complaint fails the run.
  systemd-analyze verify "$unit" || fail "systemd-analyze verify found problems in the unit"
  echo "systemd-analyze verify: no problem"
fi

step "4. configure: database, listening address, public address"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -i -e "s|^database_url = .*|database_url = \"$database_url\"|" \
       -e "s|^listen = .*|listen = \"127.0.0.1:$port\"|" \
       -e "s|^public_url = .*|public_url = \"http://127.0.0.1:$port\"|" "$config"

# The unit's environment and command, as systemd would run them.
mapfile -t unit_env < <(sed -n 's/^Environment=//p' "$unit")
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
relais() { env "${unit_env[@]}" "$work/usr/local/bin/relais" "$@"; }

step "5. relais doctor before the first start"
relais doctor || fail "relais doctor found something to fix before the first start"

step "6. start the service (the unit's ExecStart) and wait for /healthz"
# shellcheck disable=SC2086 # the ExecStart line is words, as systemd splits it
env "${unit_env[@]}" $exec_start > "$work/server.out" 2> "$work/server.log" &
server=$!
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.out" "$work/server.log" >&2; fail "the server stopped"; }
  sleep 0.5
done
[ "$(curl -fsS "http://127.0.0.1:$port/healthz")" = ok ] || fail "/healthz does not answer ok"
echo "/healthz: ok"
# The unit asks for JSON logs at level info: one object per line, /healthz's request among them.
grep -q '"route":"/healthz"' "$work/server.log" || fail "the request to /healthz is not in the log"
python3 -c 'import json, sys; [json.loads(line) for line in open(sys.argv[1])]' "$work/server.log" ||
  fail "a log line is not JSON"

step "7. the first administrator"
# Outputs go to a file, then are searched: `grep -q` stops reading at its first match, and a
# command still writing then fails on the closed pipe, which pipefail reports (it failed once).
relais admin create --email "exploitation@relais.test" > "$work/admin.txt" || fail "relais admin create failed"
grep -q "/setup/" "$work/admin.txt" || fail "no setup link"

step "8. relais doctor on the running instance"
relais doctor | tee "$work/doctor.txt" || fail "relais doctor found something to fix"
grep -q "^OK .*Migrations : à jour" "$work/doctor.txt" || fail "migrations not up to date"
grep -q "^OK .*Base de données : joignable, PostgreSQL" "$work/doctor.txt" || fail "database not checked"

step "9. stop the service (its jobs write: the drill compares still databases)"
kill "$server"
wait "$server" 2>/dev/null || true
server=

step "10. back up, then a restore drill into an empty database"
install -d -m 0700 "$work/backups"
backup=$work/backups/relais-$(date +%F).backup
relais backup --to "$backup"
relais db digest > "$work/digest-before.txt"
psql "$admin_url" -v ON_ERROR_STOP=1 -qc "create database $restored owner $name"
DATABASE_URL="postgres://$name@$hostport/$restored" relais restore --from "$backup" > "$work/restore.txt" ||
  fail "the restore drill failed"
grep -q "Audit chain intact" "$work/restore.txt" || fail "the restore drill did not verify the audit chain"
DATABASE_URL="postgres://$name@$hostport/$restored" relais db digest > "$work/digest-after.txt"
# The restored copy is the backed-up database; the original has one audit row more: the backup's own record.
grep -v '^audit_log \|^audit_head \|^total ' "$work/digest-before.txt" > "$work/before.txt"
grep -v '^audit_log \|^audit_head \|^total ' "$work/digest-after.txt" > "$work/after.txt"
diff "$work/before.txt" "$work/after.txt" || fail "the restored database differs from the backed-up one"
relais doctor > "$work/doctor.txt" || fail "relais doctor found something to fix after the backup"
grep -q "^OK .*Sauvegarde" "$work/doctor.txt" || fail "doctor does not see the backup"

echo
echo "operations: install, doctor, start, /healthz, administrator, backup and restore drill passed"
