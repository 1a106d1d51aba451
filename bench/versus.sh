#!/usr/bin/env bash
# This checkout against another (an older commit: `git worktree add /tmp/before <rev>`), side by
# side in one hyperfine run per setting: the installed hooks (hooks/run, no network) and the CLI
# (`wyren status` and `wyren sync` through `java -cp` on JBang's classpath). Prints medians and the
# ratio this/other.
#   bench/versus.sh /path/to/other-checkout        RUNS=15 by default; needs hyperfine, python3
set -euo pipefail
runs="${RUNS:-15}"
here=$(cd "$(dirname "$0")/.." && pwd)
other=$(cd "${1:?usage: bench/versus.sh /path/to/other-checkout}" && pwd)
command -v hyperfine >/dev/null || { echo "bench: hyperfine not found (apt-get install hyperfine)" >&2; exit 1; }
source "$here/bench/lib.sh"
bench_repo "$here"
trap 'rm -rf "$work"' EXIT
bench_inputs
export WYREN_TURNS_THRESHOLD=1000000 WYREN_SKIP_PULL=1
declare -A root=([this]="$here" [other]="$other")
declare -A classpath
for side in this other; do
  WYREN_HOOK_CACHE="$work/cache-$side" "${root[$side]}/hooks/run" --build 2>/dev/null
  classpath[$side]=$("${root[$side]}/jbang" info classpath "${root[$side]}/wyren.java" 2>/dev/null)
done
# Each command of this checkout right beside the same of the other, so that a drift of the
# machine's speed during the run falls on both alike.
args=()
for hook in SessionStart UserPromptSubmit Stop; do
  for side in this other; do
    args+=(-n "$hook $side" "WYREN_HOOK_CACHE=$work/cache-$side ${root[$side]}/hooks/run $hook < $work/$hook.json > /dev/null")
  done
done
for command in status sync; do
  for side in this other; do
    args+=(-n "wyren-$command $side" "cd $work/a && java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp ${classpath[$side]} wyren $command > /dev/null")
  done
done
echo "this: $(git -C "$here" log -1 --format='%h %s' | cut -c1-70)"
echo "other: $(git -C "$other" log -1 --format='%h %s' 2>/dev/null | cut -c1-70 || echo "$other")"
hyperfine -S bash --runs "$runs" --warmup 2 --export-json "$work/versus.json" "${args[@]}" >/dev/null
python3 - "$work/versus.json" <<'PY'
import json, sys
results = {r["command"]: r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"]}
print(f"\n{'command':<20}{'this ms':>9}{'other ms':>10}{'this/other':>12}")
for name in ("SessionStart", "UserPromptSubmit", "Stop", "wyren-status", "wyren-sync"):
    this, other = results[f"{name} this"], results[f"{name} other"]
    print(f"{name:<20}{this:>9.0f}{other:>10.0f}{this / other:>12.2f}")
print("\nmedians; hooks without network (WYREN_SKIP_PULL=1), same clone, one run")
PY
