#!/usr/bin/env bash
# The journey on the sample bookstore. Each capability adds its step here.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)"
