#!/usr/bin/env bash
# The journey on the sample bookstore, in pipeline order:
#   1 run the monolith and exercise its API     5 write the HTML report
#   2 analyse it into a fact store              6 plan: strangler.yaml for the catalog's extraction step
#   3 propose services and an extraction plan   7 migrate: catalog-service (with a bug) behind the proxy in
#   4 look for distributed-monolith smells        shadow -> mismatches -> fix -> canary -> migrated
# Every output lands under out/demo/; the last lines say where.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)"

out=out/demo
rm -rf "$out"
mkdir -p "$out"/{bookstore,analyzer,decomposer,smells,report,proxy,migration}
seam=build/bin/seam
proxy=build/bin/strangler-proxy

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

# wait_for FILE REGEX: the first line of FILE matching REGEX, within 60 s.
wait_for() {
  for _ in $(seq 1 600); do
    if grep -qE "$2" "$1" 2>/dev/null; then grep -m1 -E "$2" "$1"; return 0; fi
    sleep 0.1
  done
  echo "demo: timed out waiting for '$2' in $1" >&2
  return 1
}

# start_bookstore NAME: starts a bookstore on an ephemeral port over out/demo/bookstore/NAME.db
# (seeded on first use) and sets $url.
start_bookstore() {
  build/bin/bookstore --db "$out/bookstore/$1.db" --port 0 --seed \
    >"$out/bookstore/$1.out" 2>"$out/bookstore/$1.log" &
  pids+=($!)
  url="http://$(wait_for "$out/bookstore/$1.out" '^listening on ' | sed 's/^listening on //')"
}

step "1/7 bookstore: the monolith serves its API"
start_bookstore legacy
legacy_url=$url
echo "bookstore: serving $legacy_url"
curl -fsS "$legacy_url/api/catalog/books?per_page=3&sort=rating" >"$out/bookstore/books.json"
curl -fsS "$legacy_url/api/reporting/dashboard" >"$out/bookstore/dashboard.json"
curl -sS -X POST "$legacy_url/api/orders" -H 'Content-Type: application/json' \
  -d '{"customer_id": 1, "items": [{"book_id": 1, "quantity": 1}], "card_number": "4242424242424242"}' \
  >"$out/bookstore/order.json"
build/bin/bookstore-load --url "$legacy_url" --duration 5 --concurrency 4 | tee "$out/bookstore/load.txt"

step "2/7 analyze: Clang reads the bookstore's compile database into a fact store"
db=$out/analyzer/seam.db
$seam analyze -p build/bookstore --db "$db"
$seam show modules --db "$db" >"$out/analyzer/modules.txt"
$seam show tables --db "$db" | tee "$out/analyzer/tables.txt"
$seam show routes --db "$db" >"$out/analyzer/routes.txt"
echo "analyze: fact store $db; modules, tables and routes in $out/analyzer/"

step "3/7 decompose: candidate services, table owners, extraction order"
$seam decompose --db "$db" --truth sample-monolith/architecture.yaml -o "$out/decomposer/plan.json" \
  | tee "$out/decomposer/summary.txt"
$seam plan --db "$db" --plan "$out/decomposer/plan.json" -o "$out/decomposer/steps.json"
$seam plan --show "$out/decomposer/plan.json" | head -30

step "4/7 smells: the bookstore as one service, cut per module, and the proposed plan"
for cut in monolith per-module; do
  $seam smells --db "$db" --services "tests/smells/bookstore/$cut.yaml" --fail-on never -o "$out/smells/$cut.txt"
  echo "smells ($cut): $(head -1 "$out/smells/$cut.txt")"
done
$seam smells --db "$db" --plan "$out/decomposer/plan.json" --fail-on never --format json -o "$out/smells/plan.json"
$seam smells --db "$db" --plan "$out/decomposer/plan.json" --fail-on never --format sarif -o "$out/smells/plan.sarif"
$seam smells --db "$db" --plan "$out/decomposer/plan.json" --fail-on never | head -1
# What each cut becomes at run time: queries, commands, events, and the sagas (docs/interactions.md).
$seam interactions --db "$db" --plan "$out/decomposer/plan.json" --json > "$out/smells/interactions.json"
$seam interactions --db "$db" --plan sample-monolith/architecture.yaml | sed -n 1p

step "5/7 report: one offline HTML file"
$seam report --db "$db" --plan "$out/decomposer/plan.json" --smells "$out/smells/plan.json" \
  --title "Bookstore: Seam report" -o "$out/report/report.html"
$seam report --db "$db" --plan "$out/decomposer/plan.json" --format dot -o "$out/report/report.dot"
echo "report: $out/report/report.html (opens offline, from disk)"

step "6/7 plan: the proxy configuration for the catalog's extraction step"
# The catalog service (catalog + reviews modules) runs as its own process over
# its own database, seeded from the monolith's (read-only) and re-synced while
# the monolith still writes (docs/bookstore.md, "The extracted catalog service").
# It starts WITH a deliberate bug (one cent more on some prices) for the shadow.
start_catalog() {  # start_catalog NAME PORT [--bug price]
  build/bin/catalog-service --db "$out/migration/catalog.db" --monolith-db "$out/bookstore/legacy.db" \
    --port "$2" --sync-interval 300 "${@:3}" >"$out/migration/$1.out" 2>"$out/migration/$1.log" &
  catalog_pid=$!
  pids+=($catalog_pid)
  url="http://$(wait_for "$out/migration/$1.out" '^listening on ' | sed 's/^listening on //')"
}
start_catalog catalog-buggy 0 --bug price
service_url=$url
echo "catalog-service: serving $service_url (with --bug price)"
$seam plan --db "$db" --plan "$out/decomposer/plan.json" --legacy "$legacy_url" --service "catalog=$service_url" \
  --step catalog --listen 127.0.0.1:0 --admin 127.0.0.1:0 --state-file "$out/proxy/state.db" \
  --window 5s --min-requests 10 -o "$out/proxy/strangler.yaml" 2>"$out/proxy/plan-notes.txt"
cat "$out/proxy/plan-notes.txt"
export STRANGLER_TOKEN=demo-token
$proxy --config "$out/proxy/strangler.yaml" --check
shadow_routes=$(awk '/^  - name: /{gsub(/"/,"",$3); name=$3} /^    state: shadow/{print name}' "$out/proxy/strangler.yaml")
echo "plan: $out/proxy/strangler.yaml; routes starting in shadow: $(echo $shadow_routes)"

step "7/7 migrate: shadow (bug found) -> fix -> shadow clean -> canary 25% -> migrated"
$proxy --config "$out/proxy/strangler.yaml" --workers 2 2>"$out/proxy/proxy.log" &
pids+=($!)
ports=$(wait_for "$out/proxy/proxy.log" 'listening on port')
proxy_url="http://127.0.0.1:$(sed -E 's/.*listening on port ([0-9]+).*/\1/' <<<"$ports")"
export STRANGLER_ADMIN="http://127.0.0.1:$(sed -E 's/.*admin on port ([0-9]+).*/\1/' <<<"$ports")"
echo "proxy: traffic on $proxy_url, admin on $STRANGLER_ADMIN"

metric() { awk -v re="$1" '$0 ~ re && $0 !~ /^#/ {s += $NF} END {printf "%d", s}' "$out/proxy/metrics.txt"; }
failed_total=0
# phase NAME SEED: load through the proxy, then one line of figures.
phase() {
  build/bin/bookstore-load --url "$proxy_url" --duration 6 --concurrency 4 --seed "$2" --json >"$out/proxy/load-$1.json"
  sleep 1  # shadow comparisons complete off the client's path
  $proxy ctl metrics >"$out/proxy/metrics.txt"
  cp "$out/proxy/metrics.txt" "$out/proxy/metrics-$1.txt"
  local failed
  failed=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["status"]["5xx"] + d["status"]["transport"])' "$out/proxy/load-$1.json")
  failed_total=$((failed_total + failed))
  python3 - "$out/proxy/load-$1.json" "$1" "$(metric 'result="(match|mismatch|noise)"')" "$(metric 'result="mismatch"')" \
    "$(metric '^strangler_requests_total.*upstream="catalog"')" "$(metric '^strangler_requests_total.*code_class="5xx"')" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"{sys.argv[2]:<14} client: {d['requests']} requests, {d['status']['5xx'] + d['status']['transport']} failed, "
      f"p99 {d['latency_ms']['p99']:.0f} ms | proxy so far: {sys.argv[3]} compared, {sys.argv[4]} mismatches, "
      f"{sys.argv[5]} answered by catalog-service, {sys.argv[6]} 5xx")
PY
}
phase shadow-bug 1
echo "-- one stored mismatch (strangler-proxy ctl diffs catalog-reads --limit 1):"
$proxy ctl diffs catalog-reads --limit 1 | head -20
$proxy ctl routes
echo "-- the route stays in shadow: nothing is promoted while the service answers differently"

echo "-- fix: restart catalog-service without the bug (same port; it re-syncs from the monolith)"
kill -TERM "$catalog_pid"; wait "$catalog_pid" 2>/dev/null || true
start_catalog catalog-fixed "${service_url##*:}"
phase shadow-fixed 2
for target in "canary 25" "migrated"; do
  for r in $shadow_routes; do $proxy ctl set "$r" $target --reason "demo: shadow clean" >/dev/null; done
  phase "${target// /-}" 3
done
$proxy ctl routes
$proxy ctl metrics >"$out/proxy/metrics.txt"
$proxy export --config "$out/proxy/strangler.yaml" >"$out/proxy/httproute.yaml" 2>"$out/proxy/export-notes.txt"
$proxy export --config "$out/proxy/strangler.yaml" --format nginx >"$out/proxy/nginx.conf" 2>>"$out/proxy/export-notes.txt"
$proxy export --config "$out/proxy/strangler.yaml" --format envoy >"$out/proxy/envoy.yaml" 2>>"$out/proxy/export-notes.txt"
echo "failed client requests over the whole migration: $failed_total"
[[ $failed_total == 0 ]] || { echo "demo: client requests failed during the migration" >&2; exit 1; }
cleanup  # stops the proxy, the service and the monolith (SIGTERM, clean exits)
pids=()
# The report again, now with the rollout's progress and the stored shadow diffs.
$seam report --db "$db" --plan "$out/decomposer/plan.json" --smells "$out/smells/plan.json" \
  --proxy-state "$out/proxy/state.db" --title "Bookstore: Seam report" -o "$out/report/report.html"
echo "report: $out/report/report.html (with the migration's progress)"
echo "demo: $(( SECONDS / 60 )) min $(( SECONDS % 60 )) s"

step "done"
cat <<EOF
results under $out/:
  bookstore/   API responses and the load run against the monolith
  analyzer/    seam.db (the fact store), modules.txt, tables.txt, routes.txt
  decomposer/  plan.json, steps.json, summary.txt (metrics vs. baselines and the target architecture)
  smells/      monolith.txt, per-module.txt, plan.json, plan.sarif
  report/      report.html (open it in a browser), report.dot
  proxy/       strangler.yaml (from seam plan), state.db, metrics and load runs per phase,
               exports: httproute.yaml, nginx.conf, envoy.yaml (+ export-notes.txt)
  migration/   catalog-service's database (catalog.db) and logs
EOF
