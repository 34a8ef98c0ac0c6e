#!/usr/bin/env bash
# Installs exactly the Debian packages Seam needs, only those missing.
# Idempotent: a second run installs nothing and makes no network request.
#   scripts/deps.sh           build + test dependencies
#   scripts/deps.sh --bench   also the references the benchmarks compare against
set -euo pipefail

PACKAGES=(
  # toolchain
  cmake ninja-build g++ clang-14 ccache pkg-config
  # analyzer: Clang LibTooling 14
  llvm-14-dev libclang-14-dev libclang-cpp14-dev
  # libraries (see docs/dependencies.md for why each)
  libboost1.74-dev libsqlite3-dev sqlite3 libfmt-dev libyaml-cpp-dev
  nlohmann-json3-dev libcli11-dev libcpp-httplib-dev
  # reports: OpenSSL's libcrypto (CSP hashes); Node.js to install the pinned front-end (npm ci)
  libssl-dev nodejs
  # tests
  googletest libgtest-dev libgmock-dev curl git
  # reports browser test: headless Chromium driven by playwright-core
  chromium
  # proxy export test: the exported nginx.conf runs (unprivileged) in front of loopback upstreams
  nginx-light
)
BENCH_PACKAGES=(wrk hyperfine python3-igraph python3-leidenalg python3-networkx)

if [[ "${1:-}" == "--bench" ]]; then PACKAGES+=("${BENCH_PACKAGES[@]}"); fi

# npm: Debian ships it as its own package; a nodejs from elsewhere may bundle it.
if ! command -v npm >/dev/null 2>&1; then PACKAGES+=(npm); fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "deps: all ${#PACKAGES[@]} packages present"

# The report's front-end (cytoscape.js) and browser-test driver (playwright-core),
# pinned by reports/web/package-lock.json. Only when missing or stale: offline otherwise.
REPORT_WEB="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/reports/web"
if [[ ! -f "$REPORT_WEB/node_modules/.package-lock.json" ||
      "$REPORT_WEB/package-lock.json" -nt "$REPORT_WEB/node_modules/.package-lock.json" ]]; then
  echo "deps: npm ci in reports/web"
  (cd "$REPORT_WEB" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "deps: reports/web node_modules present"

# The validators the contracts tests run over every OpenAPI/AsyncAPI document
# (@readme/openapi-parser, @asyncapi/parser), pinned by tests/contracts/validator/package-lock.json.
CONTRACTS_VALIDATOR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/contracts/validator"
if [[ ! -f "$CONTRACTS_VALIDATOR/node_modules/.package-lock.json" ||
      "$CONTRACTS_VALIDATOR/package-lock.json" -nt "$CONTRACTS_VALIDATOR/node_modules/.package-lock.json" ]]; then
  echo "deps: npm ci in tests/contracts/validator"
  (cd "$CONTRACTS_VALIDATOR" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "deps: tests/contracts/validator node_modules present"
