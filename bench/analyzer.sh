#!/usr/bin/env bash
# Analyzer speed against the floor, `clang++ -fsyntax-only`, on one compile database.
#   bench/analyzer.sh PROJECT_BUILD_DIR [JOBS]
# Prints: syntax-only time, full `seam analyze` time and their ratio; an
# unchanged re-run; a re-run after touching one .cc file (content changed).
# Targets (docs/scaling.md): full <= 1.10x syntax-only; unchanged < 2% of full;
# one edited TU costs that TU plus under 20%.
set -euo pipefail
build_dir="${1:?usage: bench/analyzer.sh PROJECT_BUILD_DIR [JOBS]}"
jobs="${2:-$(nproc)}"
here="$(cd "$(dirname "$0")/.." && pwd)"
seam="${SEAM:-$here/build/bin/seam}"
db_file="$build_dir/compile_commands.json"
[[ -f "$db_file" ]] || { echo "no $db_file" >&2; exit 3; }
[[ -x "$seam" ]] || { echo "no seam binary at $seam (set SEAM=...)" >&2; exit 3; }
clangxx="$(command -v clang++-14 || command -v clang++)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# One line per TU: cd DIR && clang++ -fsyntax-only <original flags minus -o/-c/-M*>.
python3 - "$db_file" "$clangxx" > "$work/syntax.sh" <<'PY'
import json, shlex, sys
db, clang = sys.argv[1], sys.argv[2]
seen = set()
for e in json.load(open(db)):
    args = e.get("arguments") or shlex.split(e["command"])
    f = e["file"]
    if f in seen: continue
    seen.add(f)
    out, skip = [clang, "-fsyntax-only", "-w"], False
    for a in args[1:]:
        if skip: skip = False; continue
        if a in ("-o", "-MF", "-MT", "-MQ"): skip = True; continue
        if a in ("-c", "-MD", "-MMD") or a.startswith("-o"): continue
        out.append(a)
    print("cd " + shlex.quote(e["directory"]) + " && " + " ".join(shlex.quote(a) for a in out))
PY
tus=$(wc -l < "$work/syntax.sh")
now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.3f}')"; }

t0=$(now); xargs -P "$jobs" -d '\n' -I{} bash -c '{}' < "$work/syntax.sh" >/dev/null 2>&1 || true; t1=$(now)
syntax=$(elapsed "$t0" "$t1")

t0=$(now); "$seam" analyze -p "$build_dir" --db "$work/seam.db" -j "$jobs" -q; t1=$(now)
full=$(elapsed "$t0" "$t1")

t0=$(now); "$seam" analyze -p "$build_dir" --db "$work/seam.db" -j "$jobs" -q; t1=$(now)
unchanged=$(elapsed "$t0" "$t1")

# Edit one TU (append a comment), re-run, restore it.
one=$(python3 -c "import json;print(sorted({e['file'] if e['file'].startswith('/') else e['directory']+'/'+e['file'] for e in json.load(open('$db_file')) if e['file'].endswith(('.cc','.cpp','.cxx','.c'))})[0])")
cp "$one" "$work/orig"
echo "// seam bench edit" >> "$one"
t0=$(now); "$seam" analyze -p "$build_dir" --db "$work/seam.db" -j "$jobs" -q; t1=$(now)
cp "$work/orig" "$one"
edited=$(elapsed "$t0" "$t1")
# The same TU alone, syntax-only, for the "that TU plus X%" comparison.
line=$(grep -F -- "$(basename "$one")" "$work/syntax.sh" | head -1)
t0=$(now); bash -c "$line" >/dev/null 2>&1 || true; t1=$(now)
one_tu=$(elapsed "$t0" "$t1")
"$seam" analyze -p "$build_dir" --db "$work/seam.db" -j "$jobs" -q  # back to the original state

python3 - <<PY
syntax, full, unchanged, edited, one_tu = $syntax, $full, $unchanged, $edited, $one_tu
print(f"TUs                      {$tus}  (-j $jobs)")
print(f"clang++ -fsyntax-only    {syntax:8.2f} s")
print(f"seam analyze (full)      {full:8.2f} s   ratio {full / syntax:.2f}x   (target <= 1.10x)")
print(f"seam analyze (unchanged) {unchanged:8.2f} s   {100 * unchanged / full:.1f}% of full (target < 2%)")
print(f"seam analyze (1 edited)  {edited:8.2f} s   that TU alone (syntax-only) {one_tu:.2f} s: +{100 * (edited - one_tu) / max(one_tu, 1e-9):.0f}% (target < 20%)")
PY
