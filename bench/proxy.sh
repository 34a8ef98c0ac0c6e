#!/usr/bin/env bash
# bench/proxy.sh: strangler-proxy against nginx as a reverse proxy, same
# upstream, same worker count, on loopback.
#
#   upstream: nginx `return 200` (its own process, 1 worker)
#   A: wrk -> strangler-proxy --workers W -> upstream
#   B: wrk -> nginx (proxy_pass, keepalive pool, HTTP/1.1, Connection "") -> upstream
#
# Prints req/s and p50/p99 latency for each at full load (C connections) and
# at a light load (C/8 connections; wrk cannot fix a request rate, so "half
# load" is approximated by fewer connections), the ratios, and the RSS of
# 10,000 idle client connections held open against each proxy.
#
# With --runs R each load figure is measured R times, alternating proxy and
# nginx, and the median run (by req/s) is reported for each: on a shared
# machine neighbours' load swings single runs by 2x.
#
# Usage: bench/proxy.sh [--build DIR] [--workers W] [--connections C] [--duration S] [--idle N] [--runs R]
# Needs: nginx-light, wrk (scripts/deps.sh --bench). Runs as root or as a
# user; everything lives in a temp dir and listens on 127.0.0.1 free ports.
set -euo pipefail

BUILD="$(cd "$(dirname "$0")/.." && pwd)/build"
WORKERS=1
CONNS=64
DURATION=10
IDLE=10000
RUNS=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) BUILD="$2"; shift 2 ;;
    --workers) WORKERS="$2"; shift 2 ;;
    --connections) CONNS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --idle) IDLE="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "bench/proxy.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

PROXY="$BUILD/bin/strangler-proxy"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
for tool in "$PROXY" "$NGINX" "$(command -v wrk || true)"; do
  if [[ -z "$tool" || ! -x "$tool" ]]; then
    echo "bench/proxy.sh: missing ${tool:-wrk} (build first; scripts/deps.sh --bench)" >&2
    exit 3
  fi
done

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
TMP="$(mktemp -d /tmp/strangler-bench.XXXXXX)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
wait_port() {
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "bench/proxy.sh: nothing listening on $1" >&2
  exit 1
}

UP_PORT=$(free_port)
NGX_PORT=$(free_port)
SP_PORT=$(free_port)

nginx_conf() {  # name, workers, server block
  cat > "$TMP/$1.conf" <<CONF
worker_processes $2;
daemon off;
pid $TMP/$1.pid;
error_log $TMP/$1.error.log warn;
worker_rlimit_nofile 65536;
events { worker_connections 30000; multi_accept on; }
http {
  access_log off;
  client_body_temp_path $TMP/$1-body;
  proxy_temp_path $TMP/$1-proxy;
  fastcgi_temp_path $TMP/$1-fcgi;
  uwsgi_temp_path $TMP/$1-uwsgi;
  scgi_temp_path $TMP/$1-scgi;
  keepalive_requests 1000000;
  $3
}
CONF
}

nginx_conf upstream 1 "server { listen 127.0.0.1:$UP_PORT reuseport; location / { return 200 'ok\n'; } }"
nginx_conf proxy "$WORKERS" "upstream legacy { server 127.0.0.1:$UP_PORT; keepalive 64; }
  server { listen 127.0.0.1:$NGX_PORT reuseport;
    location / { proxy_pass http://legacy; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"

"$NGINX" -c "$TMP/upstream.conf" -p "$TMP" & PIDS+=($!)
wait_port "$UP_PORT"
"$NGINX" -c "$TMP/proxy.conf" -p "$TMP" & PIDS+=($!)
NGX_MASTER=$!
"$PROXY" --listen "127.0.0.1:$SP_PORT" --legacy "http://127.0.0.1:$UP_PORT" --workers "$WORKERS" 2>"$TMP/strangler.log" & PIDS+=($!)
SP_PID=$!
wait_port "$NGX_PORT"
wait_port "$SP_PORT"

# wrk output -> "req/s p50_ms p99_ms"
run_wrk() {  # port connections
  wrk -t1 -c"$2" -d"${DURATION}s" --latency "http://127.0.0.1:$1/" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps=$2 }
    /^ +50%/ { p50=ms($2) }
    /^ +99%/ { p99=ms($2) }
    /Non-2xx/ { bad=$NF }
    /Socket errors/ { err=$0 }
    / requests in / { reqs=$1 }
    END { gsub(/ +/, "_", err); printf "%.0f %.3f %.3f %s %d\n", rps, p50, p99, (bad=="" && err=="") ? "clean" : "ERRORS:" bad err, reqs }'
}

rss_kb() {  # pids... -> total VmRSS in KiB
  local total=0
  for p in "$@"; do
    local v
    v=$(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
nginx_pids() { echo "$NGX_MASTER $(pgrep -P "$NGX_MASTER" | tr '\n' ' ')"; }

# Warm up both (pools, page cache).
wrk -t1 -c8 -d1s "http://127.0.0.1:$SP_PORT/" >/dev/null
wrk -t1 -c8 -d1s "http://127.0.0.1:$NGX_PORT/" >/dev/null

# CPU time (user + system, all threads) the proxy spent per request: unlike
# req/s and latency it does not depend on how much of the machine the
# neighbours leave us, so it is the figure to compare on a busy host.
cpu_ticks() {  # pids... -> utime + stime in clock ticks
  local total=0
  for p in "$@"; do
    local t
    t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
    total=$((total + ${t:-0}))
  done
  echo "$total"
}
HZ=$(getconf CLK_TCK)
wrk_with_cpu() {  # port connections pids... -> "rps p50 p99 status requests cpu_us_per_request"
  local port=$1 conns=$2; shift 2
  local t0 t1 line
  t0=$(cpu_ticks "$@")
  line=$(run_wrk "$port" "$conns")
  t1=$(cpu_ticks "$@")
  echo "$line" | awk -v dt=$((t1 - t0)) -v hz="$HZ" '{ printf "%s %.1f\n", $0, ($5 > 0 ? dt * 1e6 / hz / $5 : 0) }'
}
# R runs of each (alternating proxy / nginx), median line by req/s.
median_of() { sort -n -k1,1 "$1" | awk -v n="$RUNS" 'NR == int((n + 1) / 2)'; }
measure() {  # connections -> sets SP_LINE / NG_LINE
  : > "$TMP/sp.runs"; : > "$TMP/ng.runs"
  for _ in $(seq "$RUNS"); do
    wrk_with_cpu "$SP_PORT" "$1" "$SP_PID" >> "$TMP/sp.runs"
    # shellcheck disable=SC2046
    wrk_with_cpu "$NGX_PORT" "$1" $(nginx_pids) >> "$TMP/ng.runs"
  done
  SP_LINE=$(median_of "$TMP/sp.runs"); NG_LINE=$(median_of "$TMP/ng.runs")
}
LIGHT=$(( CONNS / 8 > 1 ? CONNS / 8 : 1 ))
measure "$CONNS"
read -r SP_RPS SP_P50 SP_P99 SP_OK _ SP_CPU <<<"$SP_LINE"
read -r NG_RPS NG_P50 NG_P99 NG_OK _ NG_CPU <<<"$NG_LINE"
measure "$LIGHT"
read -r SPL_RPS SPL_P50 SPL_P99 SPL_OK _ SPL_CPU <<<"$SP_LINE"
read -r NGL_RPS NGL_P50 NGL_P99 NGL_OK _ NGL_CPU <<<"$NG_LINE"

# Idle connections: open N, hold, measure RSS growth of each proxy.
idle_rss() {
  local port=$1; shift
  local before after opened py
  before=$(rss_kb "$@")
  rm -f "$TMP/idle.ready" "$TMP/idle.stop"
  python3 - "$port" "$IDLE" "$TMP/idle.ready" "$TMP/idle.stop" >/dev/null 2>&1 <<'PY' &
import os, socket, sys, time
port, n, ready, stop = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
socks = []
try:
    for _ in range(n):
        socks.append(socket.create_connection(("127.0.0.1", port), timeout=10))
finally:
    with open(ready, "w") as f:
        f.write(str(len(socks)))
deadline = time.time() + 120
while not os.path.exists(stop) and time.time() < deadline:
    time.sleep(0.1)
PY
  py=$!
  for _ in $(seq 1200); do [[ -s "$TMP/idle.ready" ]] && break; sleep 0.1; done
  sleep 1  # let the proxy finish accepting
  after=$(rss_kb "$@")
  opened=$(cat "$TMP/idle.ready" 2>/dev/null || echo 0)
  touch "$TMP/idle.stop"
  wait "$py" 2>/dev/null || true
  echo $(( after > before ? after - before : 0 )) "$after" "$opened"
}
# Idle timeouts must outlast the measurement: both default to 60 s or more.
read -r SP_IDLE SP_IDLE_TOTAL SP_OPENED <<<"$(idle_rss "$SP_PORT" "$SP_PID")"
read -r NG_IDLE NG_IDLE_TOTAL NG_OPENED <<<"$(idle_rss "$NGX_PORT" $(nginx_pids))"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }

echo "strangler-proxy vs nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') | workers=$WORKERS connections=$CONNS/$LIGHT duration=${DURATION}s runs=$RUNS | $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
printf "%-34s %12s %12s %8s\n" "" strangler nginx ratio
printf "%-34s %12s %12s %8s\n" "req/s (c=$CONNS)" "$SP_RPS" "$NG_RPS" "$(ratio "$SP_RPS" "$NG_RPS")"
printf "%-34s %12s %12s %8s\n" "p50 ms (c=$CONNS)" "$SP_P50" "$NG_P50" "$(ratio "$SP_P50" "$NG_P50")"
printf "%-34s %12s %12s %8s\n" "p99 ms (c=$CONNS)" "$SP_P99" "$NG_P99" "$(ratio "$SP_P99" "$NG_P99")"
printf "%-34s %12s %12s %8s\n" "CPU us/request (c=$CONNS)" "$SP_CPU" "$NG_CPU" "$(ratio "$SP_CPU" "$NG_CPU")"
printf "%-34s %12s %12s %8s\n" "req/s (c=$LIGHT, light load)" "$SPL_RPS" "$NGL_RPS" "$(ratio "$SPL_RPS" "$NGL_RPS")"
printf "%-34s %12s %12s %8s\n" "p99 ms (c=$LIGHT, light load)" "$SPL_P99" "$NGL_P99" "$(ratio "$SPL_P99" "$NGL_P99")"
printf "%-34s %12s %12s %8s\n" "CPU us/request (c=$LIGHT)" "$SPL_CPU" "$NGL_CPU" "$(ratio "$SPL_CPU" "$NGL_CPU")"
printf "%-34s %12s %12s %8s\n" "idle conns opened" "$SP_OPENED" "$NG_OPENED" ""
printf "%-34s %12s %12s %8s\n" "RSS growth, $IDLE idle conns (KiB)" "$SP_IDLE" "$NG_IDLE" "$(ratio "$SP_IDLE" "$NG_IDLE")"
printf "%-34s %12s %12s %8s\n" "RSS total with idle conns (KiB)" "$SP_IDLE_TOTAL" "$NG_IDLE_TOTAL" "$(ratio "$SP_IDLE_TOTAL" "$NG_IDLE_TOTAL")"
printf "%-34s %12s %12s\n" "bytes per idle conn (growth)" "$(( SP_IDLE * 1024 / (SP_OPENED > 0 ? SP_OPENED : 1) ))" "$(( NG_IDLE * 1024 / (NG_OPENED > 0 ? NG_OPENED : 1) ))"
echo "wrk status: strangler $SP_OK/$SPL_OK, nginx $NG_OK/$NGL_OK"
