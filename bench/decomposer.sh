#!/usr/bin/env bash
# Leiden speed and quality against the references, in one run:
#   this Leiden (build/bin/seam-bench-leiden), leidenalg (C++ core, via
#   /usr/bin/python3) and, on the smaller graphs, networkx's Louvain.
# Graphs: planted partitions of about 10k, 100k and 1M edges (80% inside groups).
# Prints time and modularity of each and the ratios against leidenalg.
# Target: modularity >= leidenalg's - 0.002 and time <= leidenalg's at every size.
#   bench/decomposer.sh [BUILD_DIR]     (default build/; SIZES="10000 100000" to limit)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
bin="$build/bin/seam-bench-leiden"
py=/usr/bin/python3   # the system interpreter with python3-igraph/leidenalg/networkx
ref=bench/leiden_reference.py
[[ -x "$bin" ]] || { echo "bench: build $bin first (cmake --build $build --target seam-bench-leiden)" >&2; exit 2; }
"$py" -c 'import igraph, leidenalg, networkx' 2>/dev/null || { echo "bench: run scripts/deps.sh --bench" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sizes="${SIZES:-10000 100000 1000000}"
seed=1
field() { "$py" -c 'import json,sys; print(json.loads(sys.stdin.read())[sys.argv[1]])' "$1"; }

printf "%-9s %-8s %-18s %10s %11s %6s\n" edges nodes algorithm seconds modularity comms
for m in $sizes; do
  n=$((m / 10)); k=$((n / 500 > 10 ? n / 500 : 10))
  g="$work/planted-$m.tsv"
  "$py" "$ref" generate "$n" "$k" "$m" "$seed" "$g"
  ours="$(timeout 900 "$bin" "$g" --seed "$seed")"
  theirs="$(timeout 900 "$py" "$ref" leidenalg "$g" "$seed")"
  for row in "seam-leiden|$ours" "leidenalg|$theirs"; do
    name="${row%%|*}"; j="${row#*|}"
    printf "%-9s %-8s %-18s %10s %11s %6s\n" "$m" "$n" "$name" "$(field seconds <<<"$j")" \
      "$(field modularity <<<"$j")" "$(field communities <<<"$j")"
  done
  if (( m <= 100000 )); then
    lv="$(timeout 900 "$py" "$ref" louvain "$g" "$seed")"
    printf "%-9s %-8s %-18s %10s %11s %6s\n" "$m" "$n" "networkx-louvain" "$(field seconds <<<"$lv")" \
      "$(field modularity <<<"$lv")" "$(field communities <<<"$lv")"
  fi
  "$py" - "$ours" "$theirs" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
dq = a["modularity"] - b["modularity"]
ratio = a["seconds"] / b["seconds"] if b["seconds"] > 0 else float("inf")
ok = dq >= -0.002 and ratio <= 1.0
print("          time ratio seam/leidenalg %.2f   modularity delta %+.4f   %s" % (ratio, dq, "OK" if ok else "MISSED TARGET"))
PY
done
