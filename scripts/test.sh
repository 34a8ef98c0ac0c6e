#!/usr/bin/env bash
# Installs dependencies, configures, builds everything and runs every test through CTest.
#   scripts/test.sh            the default preset (build/)
#   scripts/test.sh asan       AddressSanitizer + UBSan (build-asan/)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-default}"
scripts/deps.sh
cmake --preset "$preset"
cmake --build --preset "$preset" -j "$(nproc)"
ctest --preset "$preset" -j "$(nproc)"
