#!/usr/bin/env bash
# What the stale check adds to SessionStart, side by side in one hyperfine run (medians and ratios):
# the installed hook ("<checkout>/hooks/run" SessionStart, no network) in three clones of one repository
# with 2,000 source files, each with a 30-bullet memory:
#   no-paths   bullets that name no path (the check finds nothing to look at)
#   present    every bullet names a file that exists (one lstat each)
#   gone       the same bullets after 10 of the files were deleted and 1 moved (notes, and one bounded
#              search of the checkout for where the gone files went)
#
#   bench/stale.sh        RUNS=20 by default; needs hyperfine, python3
set -euo pipefail
runs="${RUNS:-20}"
here=$(cd "$(dirname "$0")/.." && pwd)
command -v hyperfine >/dev/null || { echo "bench: hyperfine not found (apt-get install hyperfine)" >&2; exit 1; }
source "$here/bench/lib.sh"
bench_repo "$here"
trap 'rm -rf "$work"' EXIT
export WYREN_TURNS_THRESHOLD=1000000 WYREN_SKIP_PULL=1 WYREN_HOOK_CACHE="$work/cache"

(cd "$work/a" && for d in $(seq 1 20); do mkdir -p "src/mod$d"; for f in $(seq 1 100); do echo "class F$f {}" > "src/mod$d/F$f.java"; done; done
 git add -A && git commit -qm "2,000 files" && git push -q origin main)
for clone in present gone; do
  git clone -q "$work/remote.git" "$work/$clone" 2>/dev/null
  (cd "$work/$clone" && "$here/jbang" "$here/wyren.java" sync >/dev/null
   { echo "# Team memory"; echo; echo "## Decisions"
     for i in $(seq 1 30); do echo "- Decision $i: the cart logic for module $i lives in src/mod$(( (i % 20) + 1 ))/F$i.java [bench000, turn $i]"; done
   } > .wyren/memory.md)
done
mv "$work/a" "$work/no-paths"
"$here/hooks/run" --build 2>/dev/null
for clone in no-paths present gone; do
  printf '{"session_id":"bench","transcript_path":"%s/t.jsonl","cwd":"%s","hook_event_name":"SessionStart","source":"startup"}' \
    "$work" "$work/$clone" > "$work/$clone.json"
  (cd "$work/$clone" && "$here/hooks/run" SessionStart < "$work/$clone.json" >/dev/null)  # records which paths exist
done
(cd "$work/gone" && for i in $(seq 1 10); do rm "src/mod$(( (i % 20) + 1 ))/F$i.java"; done
 mkdir -p src/moved && mv src/mod12/F11.java src/moved/)
notes=$(cd "$work/gone" && "$here/hooks/run" SessionStart < "$work/gone.json" | grep -o 'possibly stale' | wc -l)
echo "SessionStart with the stale check: $runs runs each, 30 bullets, 2,000 files; the 'gone' clone's injection carries $notes stale notes"

args=()
for clone in no-paths present gone; do
  args+=(-n "$clone" "cd $work/$clone && $here/hooks/run SessionStart < $work/$clone.json > /dev/null")
done
hyperfine -S bash --runs "$runs" --warmup 3 --export-json "$work/stale.json" "${args[@]}" >/dev/null
python3 - "$work/stale.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
base = results["no-paths"]["median"]
print(f"{'memory':<10} {'median ms':>10} {'ratio to no-paths':>18}")
for name in ("no-paths", "present", "gone"):
    median = results[name]["median"]
    print(f"{name:<10} {median * 1000:>10.1f} {median / base:>18.2f}")
PY
