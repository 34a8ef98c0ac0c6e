#!/usr/bin/env bash
# The journey on the sample bookstore. Each capability adds its step here.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)"

# --- bookstore: run the sample monolith, exercise its API, stop it.
demo_out=out/demo/bookstore
mkdir -p "$demo_out"
rm -f "$demo_out"/bookstore.db*
build/bin/bookstore --db "$demo_out/bookstore.db" --port 0 --seed >"$demo_out/server.out" 2>"$demo_out/server.log" &
bookstore_pid=$!
for _ in $(seq 1 600); do grep -q '^listening on ' "$demo_out/server.out" 2>/dev/null && break; sleep 0.1; done
bookstore_url="http://$(sed -n 's/^listening on //p' "$demo_out/server.out")"
echo "bookstore: serving $bookstore_url"
curl -fsS "$bookstore_url/api/catalog/books?per_page=3&sort=rating" >"$demo_out/books.json"
curl -fsS "$bookstore_url/api/reporting/dashboard" >"$demo_out/dashboard.json"
curl -sS -X POST "$bookstore_url/api/orders" -H 'Content-Type: application/json' \
  -d '{"customer_id": 1, "items": [{"book_id": 1, "quantity": 1}], "card_number": "4242424242424242"}' \
  >"$demo_out/order.json" || true
build/bin/bookstore-load --url "$bookstore_url" --duration 5 --concurrency 4 | tee "$demo_out/load.txt"
kill -TERM "$bookstore_pid"
wait "$bookstore_pid"
echo "bookstore: results in $demo_out/ (books.json, dashboard.json, order.json, load.txt, server.log)"

# --- proxy control plane: validate a strangler.yaml for the bookstore and
# export its routing (with a canary) as a Kubernetes Gateway API HTTPRoute.
ctl_out=out/demo/proxyctl
mkdir -p "$ctl_out"
cat >"$ctl_out/strangler.yaml" <<'YAML'
listener: {address: 127.0.0.1:0}
admin: {address: 127.0.0.1:0, token_env: STRANGLER_TOKEN}
legacy: bookstore
upstreams:
  - {name: bookstore, url: "http://127.0.0.1:8080"}
  - {name: catalog-svc, url: "http://127.0.0.1:9100"}
routes:
  - name: catalog
    match: {prefix: /api/catalog/, methods: [GET, HEAD]}
    service: catalog-svc
    state: canary 25%
    sticky: cookie:session
YAML
STRANGLER_TOKEN=demo build/bin/strangler-proxy --config "$ctl_out/strangler.yaml" --check
STRANGLER_TOKEN=demo build/bin/strangler-proxy export --config "$ctl_out/strangler.yaml" \
  >"$ctl_out/httproute.yaml" 2>"$ctl_out/export-notes.txt"
echo "proxyctl: config valid; Gateway API export in $ctl_out/httproute.yaml ($(wc -l <"$ctl_out/export-notes.txt") notes)"

# --- analyzer: the bookstore's fact store, and three views of it.
analyze_out=out/demo/analyzer
mkdir -p "$analyze_out"
build/bin/seam analyze -p build/bookstore --db "$analyze_out/seam.db"
build/bin/seam show modules --db "$analyze_out/seam.db" | tee "$analyze_out/modules.txt"
build/bin/seam show tables --db "$analyze_out/seam.db" | tee "$analyze_out/tables.txt"
build/bin/seam show routes --db "$analyze_out/seam.db" > "$analyze_out/routes.txt"
echo "analyzer: $(wc -l < "$analyze_out/routes.txt") route lines; store in $analyze_out/seam.db"

# --- report: one offline HTML file over the bookstore's facts, plan and smells.
report_out=out/demo/report
mkdir -p "$report_out"
report_args=(--db out/demo/analyzer/seam.db --title "Bookstore: Seam report")
if build/bin/seam decompose --db out/demo/analyzer/seam.db -o "$report_out/plan.json" >/dev/null; then
  report_args+=(--plan "$report_out/plan.json")
  if build/bin/seam smells --db out/demo/analyzer/seam.db --plan "$report_out/plan.json" --format json \
       -o "$report_out/smells.json" >/dev/null; then
    report_args+=(--smells "$report_out/smells.json")
  fi
fi
build/bin/seam report "${report_args[@]}" -o "$report_out/report.html"
build/bin/seam report "${report_args[@]}" --format dot -o "$report_out/report.dot"
echo "report: open $report_out/report.html in a browser (works offline, from disk)"

# --- decomposer: candidate services scored against the bookstore's intended
# architecture (MoJoFM, c2c coverage, table owners), baselines, extraction order.
decompose_out=out/demo/decomposer
mkdir -p "$decompose_out"
build/bin/seam decompose --db out/demo/analyzer/seam.db --truth sample-monolith/architecture.yaml \
  -o "$decompose_out/plan.json" | tee "$decompose_out/summary.txt"
build/bin/seam plan --db out/demo/analyzer/seam.db --plan "$decompose_out/plan.json" -o "$decompose_out/steps.json"
build/bin/seam plan --db out/demo/analyzer/seam.db --plan "$decompose_out/plan.json" | head -40
echo "decomposer: plan in $decompose_out/plan.json, steps in $decompose_out/steps.json"

# --- smells: distributed-monolith smells of the bookstore as one service, cut
# per module, and cut as its target architecture (SARIF for code scanning);
# then a CI gate that fails only on findings not in the baseline.
smells_out=out/demo/smells
smells_db=out/demo/analyzer/seam.db
mkdir -p "$smells_out"
for cut in monolith per-module; do
  build/bin/seam smells --db "$smells_db" --services "tests/smells/bookstore/$cut.yaml" --fail-on never \
    -o "$smells_out/$cut.txt"
  echo "smells ($cut): $(head -1 "$smells_out/$cut.txt")"
done
build/bin/seam smells --db "$smells_db" --services sample-monolith/architecture.yaml --fail-on never \
  --format sarif -o "$smells_out/target-architecture.sarif"
build/bin/seam smells --db "$smells_db" --services tests/smells/bookstore/per-module.yaml --fail-on never \
  --format json -o "$smells_out/per-module.json" --write-baseline "$smells_out/baseline.json"
build/bin/seam smells --db "$smells_db" --services tests/smells/bookstore/per-module.yaml --fail-on warning \
  --baseline "$smells_out/baseline.json" -o /dev/null
SEAM_BOOKSTORE_DB="$smells_db" build/bin/smells_tests --gtest_brief=1 \
  --gtest_filter=SmellsPipeline.BookstoreEntanglements | tail -1
echo "smells: reports in $smells_out/ (monolith.txt, per-module.txt/.json, target-architecture.sarif, baseline.json)"
