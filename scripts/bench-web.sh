#!/usr/bin/env bash
# Measures server time of the main pages on demo data (SQLite) and writes the
# results into docs/PERFORMANCE.md. Usage: scripts/bench-web.sh [REQUESTS]
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-200}
cargo build -q -p relais --release
bin=${CARGO_TARGET_DIR:-target}/release/relais
dir=$(mktemp -d)
port=18181
"$bin" demo seed --data-dir "$dir" >/dev/null
# A 60-measure plan, every field given, as the 3rd national plan's size.
plan="$dir/plan.csv"
echo "axis,axis_title,action,action_title,measure,title,pilot,partners,deadline,indicator,baseline,target,cost_eur,funding,status,rapporteur_status" >"$plan"
statuses=(not_started in_progress partially_done done abandoned)
ratings=(done partially_done not_done)
for n in $(seq 60); do
  axis=$(( (n - 1) / 10 + 1 ))
  echo "$axis,Axe $axis,$(( (n - 1) / 5 + 1 )),Action $(( (n - 1) / 5 + 1 )),$n,Mesure de charge $n,MIPROF,DGT;DGEF,2027-06,Indicateur $n,0,100,$(( n * 1000 )).50,Programme 137,${statuses[$(( n % 5 ))]},${ratings[$(( n % 3 ))]}" >>"$plan"
done
"$bin" plan import "$plan" --code BENCH-60 --title "Plan de mesure (60 mesures)" --start 2024 --end 2028 --create-bodies --data-dir "$dir" >/dev/null
"$bin" serve --data-dir "$dir" --listen "127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

csrf() { curl -s -b "$1" -c "$1" "$base$2" | grep -o 'name="csrf" value="[^"]*"' | head -n 1 | cut -d'"' -f4; }
# Signs EMAIL in (password and TOTP) with the cookie jar JAR.
signin() {
  local jar=$1 email=$2 token code
  token=$(csrf "$jar" /login)
  curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "email=$email" \
    --data-urlencode "password=demo-relais-2026" "$base/login"
  token=$(csrf "$jar" /login/mfa)
  code=$("$bin" demo code "$email" --data-dir "$dir")
  curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "code=$code" "$base/login/mfa"
}
admin="$dir/admin.jar" police="$dir/police.jar" officer="$dir/officer.jar" anonymous="$dir/anonymous.jar"
signin "$admin" admin@demo.relais.test
signin "$police" police@demo.relais.test
signin "$officer" identification@demo.relais.test
# The first demo referral of each list, for its own pages.
referral=$(curl -s -b "$police" "$base/referrals" | grep -o 'href="/referrals/[0-9a-f]\{32\}">Voir' | head -n 1 | cut -d'"' -f2)
item=$(curl -s -b "$officer" "$base/triage" | grep -o 'href="/triage/[0-9a-f]\{32\}"' | head -n 1 | cut -d'"' -f2)

measure() {
  for _ in $(seq "$requests"); do
    curl -s -b "$1" -o /dev/null -w '%{time_total}\n' "$base$2"
  done | sort -n | awk '{a[NR]=$1} END {printf "%.1f | %.1f | %.1f", a[int(NR*0.5)]*1000, a[int(NR*0.95)]*1000, a[NR]*1000}'
}

table="| page | as | median (ms) | p95 (ms) | max (ms) |\n|---|---|---|---|---|\n"
# row JAR PATH WHO [LABEL]: LABEL replaces ids in the table.
row() { table+="| \`${4:-$2}\` | $3 | $(measure "$1" "$2") |\n"; }
for page in /login /signalement /assets/dsfr/dsfr.min.css; do row "$anonymous" "$page" "anonymous"; done
for page in /dashboard /account /admin/users /admin/organisations /admin/audit /admin/api-tokens; do row "$admin" "$page" "administrator"; done
draft=$(curl -s -b "$police" "$base/referrals" | grep -o 'href="/referrals/[0-9a-f]\{32\}">Reprendre' | head -n 1 | cut -d'"' -f2)
for check in "$police $referral" "$police $draft/steps/indicators" "$officer $item"; do
  set -- $check
  status=$(curl -s -b "$1" -o /dev/null -w '%{http_code}' "$base$2")
  [ "$status" = 200 ] || { echo "bench: $2 answered $status" >&2; exit 1; }
done
for page in /referrals /shared-cases; do row "$police" "$page" "first responder"; done
row "$police" "$referral" "first responder" "/referrals/{id}"
row "$police" "$draft/steps/indicators" "first responder" "/referrals/{id}/steps/indicators"
row "$police" "$draft/steps/person" "first responder" "/referrals/{id}/steps/person"
for page in /triage /cases /statistics/timeliness /statistics/equal-access /directory /directory/prefectures; do
  row "$officer" "$page" "identification officer"
done
row "$officer" "$item" "identification officer" "/triage/{id}"
# Accept the item, then measure the case's own pages.
token=$(csrf "$officer" "$item")
curl -s -b "$officer" -c "$officer" -o /dev/null --data-urlencode "csrf=$token" "$base$item/accept"
case=$(curl -s -b "$officer" "$base/cases" | grep -o 'href="/cases/[0-9a-f]\{32\}"' | head -n 1 | cut -d'"' -f2)
[ -n "$case" ] || { echo "bench: no case after accepting $item" >&2; exit 1; }
for sub in "" /file /file/people /support /onward /onward/placement; do
  row "$officer" "$case$sub" "identification officer" "/cases/{id}$sub"
done
coordinator="$dir/coordinator.jar"
signin "$coordinator" coordination@demo.relais.test
# Five years of budget for the 60-measure plan, through the coordinator's
# forms: each year 12 lines (4 programmes, 3 actions, both natures), each
# funding 5 measures, and 10 grants.
budget=/coordination/plans/BENCH-60/budget
programmes=(137 177 104 303)
for year in 2024 2025 2026 2027 2028; do
  for l in $(seq 0 11); do
    nature=$([ $(( l % 2 )) = 0 ] && echo intervention || echo operating)
    token=$(csrf "$coordinator" "$budget/lines/new")
    line=$(curl -s -b "$coordinator" -c "$coordinator" -o /dev/null -w '%{redirect_url}' \
      --data-urlencode "csrf=$token" --data-urlencode "year=$year" --data-urlencode "programme=${programmes[$(( l % 4 ))]}" \
      --data-urlencode "programme_label=Programme de charge ${programmes[$(( l % 4 ))]}" --data-urlencode "action=1$(( l / 4 ))" \
      --data-urlencode "action_label=Action de charge $l" --data-urlencode "nature=$nature" \
      --data-urlencode "ae_planned=500 000" --data-urlencode "ae_committed=$(( 100 + l * 30 )) 000" \
      --data-urlencode "cp_planned=400 000" --data-urlencode "cp_paid=$(( 50 + l * 25 )) 000,50" "$base$budget/lines")
    line=${line#"$base"}; line=${line%%\?*}
    [ -n "$line" ] || { echo "bench: no budget line for $year" >&2; exit 1; }
    args=(--data-urlencode "csrf=$(csrf "$coordinator" "$line")")
    for m in $(seq $(( l * 5 + 1 )) $(( l * 5 + 5 ))); do args+=(--data-urlencode "amount_$m=90 000"); done
    curl -s -b "$coordinator" -c "$coordinator" -o /dev/null "${args[@]}" "$base$line/measures"
  done
  for g in $(seq 10); do
    token=$(csrf "$coordinator" "$budget/grants/new")
    curl -s -b "$coordinator" -c "$coordinator" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "year=$year" \
      --data-urlencode "beneficiary=Association de charge $g" --data-urlencode "amount=$(( g * 1000 ))" \
      --data-urlencode "measure=$(( g * 6 ))" "$base$budget/grants"
  done
done
# The 2025 annual plan of the 60-measure plan: every measure's cost and funding, status,
# a milestone and an indicator with a value, entered through the forms.
token=$(csrf "$coordinator" /coordination/plans/BENCH-60/years/2025/measures/1)
post() { curl -s -b "$coordinator" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$token" "$@"; }
for n in $(seq 60); do
  at="$base/coordination/plans/BENCH-60/years/2025/measures/$n"
  codes="$(post -d version=0 -d "cost_eur=$(( n * 1000 ))" -d funding_kind=budget -d funding_programme=137 -d funding_action=15 "$at/money")"
  codes+=" $(post -d version=1 -d status=in_progress -d "evidence=Bilan $n" -d status_on=2025-06-30 "$at/status")"
  codes+=" $(post -d "milestone_title=Jalon $n" -d milestone_due=2025-09-30 "$at/milestones")"
  codes+=" $(post -d "definition=Indicateur $n" -d unit=personnes -d baseline=0 -d target=100 "$at/indicators")"
  [ "$codes" = "303 303 303 303" ] || { echo "bench: annual plan of measure $n answered $codes" >&2; exit 1; }
done
for page in /coordination/plans /coordination/plans/BENCH-60 /coordination/plans/BENCH-60/measures/30 /coordination/plans/PNLTEH-2 \
  "$budget?year=2026" /coordination/plans/DEMO-FICTIF/budget?year=2025 \
  /coordination/plans/BENCH-60/years/2025 /coordination/plans/BENCH-60/years/2025/measures/30; do
  row "$coordinator" "$page" "coordinator"
done
# A reporting round on the 60-measure plan's 2025 annual plan: one update asked per measure.
token=$(csrf "$coordinator" /coordination/plans/BENCH-60/rounds)
round=$(curl -s -b "$coordinator" -c "$coordinator" -o /dev/null -w '%{redirect_url}' --data-urlencode "csrf=$token" \
  --data-urlencode "title=Campagne de charge" --data-urlencode "due=2099-12-31" --data-urlencode "year=2025" \
  "$base/coordination/plans/BENCH-60/rounds")
round=${round#"$base"}; round=${round%%\?*}
[ -n "$round" ] || { echo "bench: the reporting round did not open" >&2; exit 1; }
row "$coordinator" /coordination/plans/BENCH-60/rounds "coordinator"
row "$coordinator" "$round" "coordinator" "/coordination/rounds/{id}"
row "$coordinator" "$round/measures/30" "coordinator" "/coordination/rounds/{id}/measures/{number}"
row "$coordinator" /coordination/bodies "coordinator"
# 20 committee meetings: the demo's three and 17 more held from 2017, each with its
# minutes, attendance, a decision and an action item.
member_ids=$(curl -s -b "$coordinator" "$base/coordination/committee/meetings/$(curl -s -b "$coordinator" "$base/coordination/committee" \
  | grep -o 'href="/coordination/committee/meetings/[0-9a-f]\{32\}"' | head -n 1 | cut -d/ -f5 | tr -d '"')" \
  | grep -o 'name="present" value="[0-9a-f]\{32\}"' | cut -d'"' -f4)
for n in $(seq 17); do
  token=$(csrf "$coordinator" /coordination/committee)
  year=$(( 2016 + (n + 1) / 2 )); month=$(( n % 2 == 0 ? 10 : 3 ))
  to=$(curl -s -b "$coordinator" -c "$coordinator" -o /dev/null -w '%{redirect_url}' --data-urlencode "csrf=$token" \
    --data-urlencode "date=$year-$(printf %02d $month)-15" --data-urlencode "start=14:00" --data-urlencode "end=16:30" \
    --data-urlencode "place=Paris (fictif)" --data-urlencode "agenda=Ordre du jour de charge $n" "$base/coordination/committee/meetings")
  meeting=$(echo "$to" | grep -o '/coordination/committee/meetings/[0-9a-f]\{32\}')
  [ -n "$meeting" ] || { echo "bench: meeting $n was not created" >&2; exit 1; }
  present=(); for id in $member_ids; do present+=(--data-urlencode "present=$id"); done
  curl -s -b "$coordinator" -o /dev/null --data-urlencode "csrf=$token" "${present[@]}" --data-urlencode "held=true" \
    --data-urlencode "minutes=Compte rendu de charge $n" "$base$meeting/record"
  curl -s -b "$coordinator" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "decision=Décision de charge $n" "$base$meeting/decisions"
  curl -s -b "$coordinator" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "text=Action de charge $n" \
    --data-urlencode "owner=MIPROF" --data-urlencode "due=$year-12-31" "$base$meeting/action-items"
done
meetings=$(curl -s -b "$coordinator" "$base/coordination/committee" | grep -c 'href="/coordination/committee/meetings/')
[ "$meetings" = 20 ] || { echo "bench: $meetings committee meetings instead of 20" >&2; exit 1; }
row "$coordinator" /coordination/committee "coordinator"
row "$coordinator" "$meeting" "coordinator" "/coordination/committee/meetings/{id}"
row "$coordinator" /coordination/plans/BENCH-60/evaluation "coordinator"
row "$anonymous" /plans "anonymous"
shelter="$dir/shelter.jar"
signin "$shelter" reseau@demo.relais.test
row "$shelter" /onward "shelter"

section=$(printf '## Web pages (relais-web)\n\nMeasured by `scripts/bench-web.sh %s` on %s: release build, SQLite, demo data, one\nclient on the same 2-core machine, %s sequential requests per page, each page as the\nuser it is for. Times are full round trips seen by curl over loopback (server time\nplus a fraction of a millisecond). Target: well under 50 ms.\n\n%b' \
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
