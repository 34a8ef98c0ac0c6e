#!/usr/bin/env bash
# bench/shadow.sh: what shadow verification costs the client.
#
#   legacy:  bookstore (seeded)          service: a second bookstore (same seed)
#   A: wrk -> strangler-proxy, route /api/catalog in state legacy   (no mirroring)
#   B: wrk -> strangler-proxy, route /api/catalog in state shadow   (100% mirrored + compared)
#
# Same proxy binary, worker count, upstreams and load; runs alternate A/B R
# times and the median of each (by req/s) is printed with p50/p99 and the
# ratios, plus the shadow results counted by the proxy during B
# (match/mismatch/error/dropped from /metrics).
#
# Usage: bench/shadow.sh [--build DIR] [--workers W] [--connections C] [--duration S] [--runs R]
# Needs: wrk (scripts/deps.sh --bench) and a build with bookstore and
# strangler-proxy. Everything listens on 127.0.0.1 free ports, lives in a temp
# dir and is stopped at exit. The bookstores get 48 threads: cpp-httplib holds
# a thread per keep-alive connection, and both proxies keep pools open.
set -euo pipefail

BUILD="$(cd "$(dirname "$0")/.." && pwd)/build"
WORKERS=1
CONNS=8
DURATION=10
RUNS=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) BUILD="$2"; shift 2 ;;
    --workers) WORKERS="$2"; shift 2 ;;
    --connections) CONNS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "bench/shadow.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

PROXY="$BUILD/bin/strangler-proxy"
BOOKSTORE="${BOOKSTORE:-$BUILD/bin/bookstore}"  # env BOOKSTORE= to take it from another build
for tool in "$PROXY" "$BOOKSTORE" "$(command -v wrk || true)"; do
  if [[ -z "$tool" || ! -x "$tool" ]]; then
    echo "bench/shadow.sh: missing ${tool:-wrk} (build first; scripts/deps.sh --bench)" >&2
    exit 3
  fi
done

TMP="$(mktemp -d)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ -n "${SHADOW_BENCH_DEBUG:-}" ]] && cat "$TMP/wrk.log" "$TMP"/proxy-*.log >&2
  rm -rf "$TMP"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
wait_port() {
  for _ in $(seq 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "bench/shadow.sh: nothing listening on $1" >&2
  exit 1
}

LEGACY_PORT=$(free_port)
SERVICE_PORT=$(free_port)
# Seed once (a clean stop checkpoints the WAL), copy: both sides answer
# from the same data.
"$BOOKSTORE" --db "$TMP/legacy.db" --port "$LEGACY_PORT" --seed --threads 1 --log-level warn >"$TMP/seed.log" 2>&1 &
SEED_PID=$!
wait_port "$LEGACY_PORT"
kill "$SEED_PID"
wait "$SEED_PID" 2>/dev/null || true
cp "$TMP/legacy.db" "$TMP/service.db"
"$BOOKSTORE" --db "$TMP/legacy.db" --port "$LEGACY_PORT" --threads 48 --log-level warn >"$TMP/legacy.log" 2>&1 &
PIDS+=($!)
wait_port "$LEGACY_PORT"
"$BOOKSTORE" --db "$TMP/service.db" --port "$SERVICE_PORT" --threads 48 --log-level warn >"$TMP/service.log" 2>&1 &
PIDS+=($!)
wait_port "$SERVICE_PORT"

TOKEN=bench
config() {  # state proxy_port admin_port
  cat > "$TMP/strangler-$1.yaml" <<YAML
listener: {address: 127.0.0.1:$2, workers: $WORKERS}
admin: {address: 127.0.0.1:$3, token: $TOKEN}
legacy: legacy
upstreams:
  - {name: legacy, endpoints: [127.0.0.1:$LEGACY_PORT]}
  - {name: catalog, endpoints: [127.0.0.1:$SERVICE_PORT]}
routes:
  - name: catalog
    match: {prefix: /api/catalog}
    service: catalog
    state: $1
    shadow:
      percent: 100%
      queue: 1024
      timeout: 2s
      compare: {headers: [content-type]}
YAML
}

run_wrk() {  # port -> "req/s p50_ms p99_ms status"
  wrk -t1 -c"$CONNS" -d"${DURATION}s" --timeout 10s --latency "http://127.0.0.1:$1/api/catalog/books?limit=5" | tee -a "$TMP/wrk.log" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps=$2 }
    /^ +50%/ { p50=ms($2) }
    /^ +99%/ { p99=ms($2) }
    /Non-2xx/ { bad=$NF }
    /Socket errors/ { err=$0 }
    END { printf "%.0f %.3f %.3f %s\n", rps, p50, p99, (bad=="" && err=="") ? "clean" : "ERRORS:" bad err }'
}

declare -A PORT ADMIN
for state in legacy shadow; do
  PORT[$state]=$(free_port)
  ADMIN[$state]=$(free_port)
  config "$state" "${PORT[$state]}" "${ADMIN[$state]}"
  "$PROXY" --config "$TMP/strangler-$state.yaml" 2>"$TMP/proxy-$state.log" &
  PIDS+=($!)
  wait_port "${PORT[$state]}"
  wrk -t1 -c4 -d1s "http://127.0.0.1:${PORT[$state]}/api/catalog/books?limit=5" >/dev/null  # warm up
done

: > "$TMP/legacy.runs"
: > "$TMP/shadow.runs"
for _ in $(seq "$RUNS"); do
  run_wrk "${PORT[legacy]}" >> "$TMP/legacy.runs"
  run_wrk "${PORT[shadow]}" >> "$TMP/shadow.runs"
done
median_of() { sort -n -k1,1 "$1" | awk -v n="$RUNS" 'NR == int((n + 1) / 2)'; }
read -r A_RPS A_P50 A_P99 A_OK < <(median_of "$TMP/legacy.runs")
read -r B_RPS B_P50 B_P99 B_OK < <(median_of "$TMP/shadow.runs")

echo "bench/shadow.sh: $WORKERS worker(s), $CONNS connections, ${DURATION}s x $RUNS runs, GET /api/catalog/books?limit=5"
printf '%-22s %10s %10s %10s  %s\n' "proxy route state" "req/s" "p50 ms" "p99 ms" "client errors"
printf '%-22s %10s %10s %10s  %s\n' "legacy (no mirroring)" "$A_RPS" "$A_P50" "$A_P99" "$A_OK"
printf '%-22s %10s %10s %10s  %s\n' "shadow 100%" "$B_RPS" "$B_P50" "$B_P99" "$B_OK"
awk -v a="$A_RPS" -v b="$B_RPS" -v ap="$A_P99" -v bp="$B_P99" \
  'BEGIN { printf "shadow/legacy: req/s x%.2f, p99 x%.2f\n", b / a, bp / ap }'
curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:${ADMIN[shadow]}/metrics" |
  awk '/^strangler_shadow_requests_total/ { sub(/.*result="/, ""); sub(/"}/, ""); printf "%s ", $0 } END { print "" }' |
  sed 's/^/shadow results during the runs: /'
