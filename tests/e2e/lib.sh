# Helpers shared by the end-to-end scripts (sourced). Every process started
# with `start` is stopped by `stop_all` (installed as the EXIT trap), so a
# failing assertion never leaves servers behind. Loopback and ephemeral ports
# only; every wait is bounded.
set -euo pipefail

pids=()
stop_all() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
trap stop_all EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
say() { printf '[%s] %s\n' "$(date -u +%T)" "$*"; }

# wait_for FILE REGEX [SECONDS]: prints the first line of FILE matching REGEX.
wait_for() {
  local deadline=$(( $(date +%s) + ${3:-60} ))
  while (( $(date +%s) < deadline )); do
    if grep -qE "$2" "$1" 2>/dev/null; then grep -m1 -E "$2" "$1"; return 0; fi
    sleep 0.1
  done
  echo "timed out waiting for '$2' in $1" >&2
  tail -20 "$1" >&2 || true
  return 1
}

# start NAME CMD...: runs CMD in the background (stdout NAME.out, stderr NAME.log)
# and sets $last_pid.
start() {
  local name=$1; shift
  "$@" >"$name.out" 2>"$name.log" &
  last_pid=$!
  pids+=("$last_pid")
}

# listening_url NAME: the URL from a "listening on HOST:PORT" line.
listening_url() { echo "http://$(wait_for "$1.out" '^listening on ' | sed 's/^listening on //')"; }

# stop PID: SIGTERM and wait; sets $stopped_rc to the exit status. (Not in a
# $(...) subshell: only this shell can wait for its children.)
stop() {
  kill -TERM "$1" 2>/dev/null || true
  stopped_rc=0
  wait "$1" 2>/dev/null || stopped_rc=$?
  local kept=() p
  for p in "${pids[@]}"; do [[ $p == "$1" ]] || kept+=("$p"); done
  pids=("${kept[@]}")
}

# json_field FILE PYTHON-EXPR: evaluates EXPR over the JSON document `d` in FILE.
json_field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# metric_sum METRICS-FILE REGEX: sum of the sample values on lines matching REGEX.
metric_sum() { awk -v re="$2" '$0 ~ re && $0 !~ /^#/ {s += $NF} END {printf "%d\n", s}' "$1"; }
