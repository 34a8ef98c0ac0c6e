#!/usr/bin/env bash
# The journey on the sample bookstore, in pipeline order:
#   1 run the monolith and exercise its API     4 look for distributed-monolith smells
#   2 analyse it into a fact store              5 write the HTML report
#   3 propose services and an extraction plan   6 put the strangler proxy in front, canary a route
# Every output lands under out/demo/; the last lines say where.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)"

out=out/demo
rm -rf "$out"
mkdir -p "$out"/{bookstore,analyzer,decomposer,smells,report,proxy}
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

step "1/6 bookstore: the monolith serves its API"
start_bookstore legacy
legacy_url=$url
echo "bookstore: serving $legacy_url"
curl -fsS "$legacy_url/api/catalog/books?per_page=3&sort=rating" >"$out/bookstore/books.json"
curl -fsS "$legacy_url/api/reporting/dashboard" >"$out/bookstore/dashboard.json"
curl -sS -X POST "$legacy_url/api/orders" -H 'Content-Type: application/json' \
  -d '{"customer_id": 1, "items": [{"book_id": 1, "quantity": 1}], "card_number": "4242424242424242"}' \
  >"$out/bookstore/order.json"
build/bin/bookstore-load --url "$legacy_url" --duration 5 --concurrency 4 | tee "$out/bookstore/load.txt"

step "2/6 analyze: Clang reads the bookstore's compile database into a fact store"
db=$out/analyzer/seam.db
$seam analyze -p build/bookstore --db "$db"
$seam show modules --db "$db" >"$out/analyzer/modules.txt"
$seam show tables --db "$db" | tee "$out/analyzer/tables.txt"
$seam show routes --db "$db" >"$out/analyzer/routes.txt"
echo "analyze: fact store $db; modules, tables and routes in $out/analyzer/"

step "3/6 decompose: candidate services, table owners, extraction order"
$seam decompose --db "$db" --truth sample-monolith/architecture.yaml -o "$out/decomposer/plan.json" \
  | tee "$out/decomposer/summary.txt"
$seam plan --db "$db" --plan "$out/decomposer/plan.json" -o "$out/decomposer/steps.json"
$seam plan --show "$out/decomposer/plan.json" | head -30

step "4/6 smells: the bookstore as one service, cut per module, and the proposed plan"
for cut in monolith per-module; do
  $seam smells --db "$db" --services "tests/smells/bookstore/$cut.yaml" --fail-on never -o "$out/smells/$cut.txt"
  echo "smells ($cut): $(head -1 "$out/smells/$cut.txt")"
done
$seam smells --db "$db" --plan "$out/decomposer/plan.json" --fail-on never --format json -o "$out/smells/plan.json"
$seam smells --db "$db" --plan "$out/decomposer/plan.json" --fail-on never --format sarif -o "$out/smells/plan.sarif"
$seam smells --db "$db" --plan "$out/decomposer/plan.json" --fail-on never | head -1

step "5/6 report: one offline HTML file"
$seam report --db "$db" --plan "$out/decomposer/plan.json" --smells "$out/smells/plan.json" \
  --title "Bookstore: Seam report" -o "$out/report/report.html"
$seam report --db "$db" --plan "$out/decomposer/plan.json" --format dot -o "$out/report/report.dot"
echo "report: $out/report/report.html (opens offline, from disk)"

step "6/6 strangler proxy: the catalog routes go canary, then migrated"
# Until the catalog service is extracted from the bookstore, a second bookstore
# instance over its own copy of the data stands in for it.
start_bookstore catalog-service
service_url=$url
export STRANGLER_TOKEN=demo-token
cat >"$out/proxy/strangler.yaml" <<YAML
listener: {address: 127.0.0.1:0}
admin: {address: 127.0.0.1:0, token_env: STRANGLER_TOKEN}
state_file: $out/proxy/state.db
access_log: $out/proxy/access.log
legacy: bookstore
upstreams:
  - {name: bookstore, url: "$legacy_url"}
  - {name: catalog-service, url: "$service_url"}
routes:
  - name: catalog
    match: {prefix: /api/catalog/, methods: [GET, HEAD]}
    service: catalog-service
    state: canary 25%
    sticky: header:X-Customer-Id
YAML
$proxy --config "$out/proxy/strangler.yaml" --check
$proxy --config "$out/proxy/strangler.yaml" --workers 2 2>"$out/proxy/proxy.log" &
pids+=($!)
ports=$(wait_for "$out/proxy/proxy.log" 'listening on port')
proxy_url="http://127.0.0.1:$(sed -E 's/.*listening on port ([0-9]+).*/\1/' <<<"$ports")"
export STRANGLER_ADMIN="http://127.0.0.1:$(sed -E 's/.*admin on port ([0-9]+).*/\1/' <<<"$ports")"
echo "proxy: traffic on $proxy_url, admin on $STRANGLER_ADMIN"
build/bin/bookstore-load --url "$proxy_url" --duration 5 --concurrency 4 | tee "$out/proxy/load-canary.txt"
$proxy ctl routes
$proxy ctl set catalog migrated --reason "demo: canary clean"
build/bin/bookstore-load --url "$proxy_url" --duration 5 --concurrency 4 | tee "$out/proxy/load-migrated.txt"
$proxy ctl routes
$proxy ctl metrics >"$out/proxy/metrics.txt"
$proxy export --config "$out/proxy/strangler.yaml" >"$out/proxy/httproute.yaml" 2>"$out/proxy/export-notes.txt"

step "done"
cat <<EOF
results under $out/:
  bookstore/   API responses and the load run against the monolith
  analyzer/    seam.db (the fact store), modules.txt, tables.txt, routes.txt
  decomposer/  plan.json, steps.json, summary.txt (metrics vs. baselines and the target architecture)
  smells/      monolith.txt, per-module.txt, plan.json, plan.sarif
  report/      report.html (open it in a browser), report.dot
  proxy/       strangler.yaml, state.db, access.log, metrics.txt, load runs, Gateway API export
EOF
