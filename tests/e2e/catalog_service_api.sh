#!/usr/bin/env bash
# The bookstore's API suite against the extracted catalog-service (CTest
# CatalogService.*):
#   direct  the service alone (owning its tables, --cutover): the catalog tests
#           that need no other service
#   proxy   strangler-proxy in front of the monolith with the catalog and
#           reviews reads in shadow on the service: the whole suite, unchanged
# usage: catalog_service_api.sh direct|proxy BIN_DIR API_TEST STRANGLER_PROXY WORK_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=$1 bin=$2 api_test=$3 proxy=$4 work=$5
source "$here/lib.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work"

start bookstore "$bin/bookstore" --db shop.db --port 0 --seed --threads 8
legacy_url=$(listening_url bookstore)

if [[ $mode == direct ]]; then
  start catalog "$bin/catalog-service" --db catalog.db --monolith-db shop.db --port 0 --cutover
  url=$(listening_url catalog)
  # Tests that also need inventory or orders (another service) are left out.
  BOOKSTORE_URL=$url "$api_test" --gtest_brief=1 \
    --gtest_filter='BookstoreCatalog.*:BookstoreHealth.HealthzAnswersOk:BookstoreHealth.UnknownRouteIsJson404:-BookstoreCatalog.ShowsBookWithAuthorsAndAvailability:BookstoreCatalog.DiscontinuedBookCannotBeOrdered'
  exit 0
fi

start catalog "$bin/catalog-service" --db catalog.db --monolith-db shop.db --port 0 --sync-interval 300
service_url=$(listening_url catalog)
export STRANGLER_TOKEN=api-token
cat >strangler.yaml <<YAML
listener: {address: 127.0.0.1:0}
admin: {address: 127.0.0.1:0, token_env: STRANGLER_TOKEN}
legacy: bookstore
upstreams:
  - {name: bookstore, url: "$legacy_url"}
  - {name: catalog, url: "$service_url"}
routes:
  - {name: catalog-reads, match: {prefix: /api/catalog, methods: [GET, HEAD]}, service: catalog, state: shadow}
  - {name: reviews-reads, match: {prefix: /api/reviews, methods: [GET, HEAD]}, service: catalog, state: shadow}
YAML
"$proxy" --config strangler.yaml --check >/dev/null
start proxy "$proxy" --config strangler.yaml --workers 1
ports=$(wait_for proxy.log 'listening on port')
proxy_url="http://127.0.0.1:$(sed -E 's/.*listening on port ([0-9]+).*/\1/' <<<"$ports")"
BOOKSTORE_URL=$proxy_url "$api_test" --gtest_brief=1
