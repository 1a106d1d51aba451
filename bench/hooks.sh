#!/usr/bin/env bash
# Hook latency, warm, side by side in one run:
#   fast:  "<checkout>/hooks/run" <Hook>            (the command `wyren install` writes)
#   jbang: "<checkout>/jbang" "<checkout>/hooks/<Hook>.java"
# with the hook's JSON on stdin, on a clone with memory (30 bullets) and a local bare remote; once
# with WYREN_SKIP_PULL (no network, as the original Node hooks' ~100 ms were measured) and once
# fetching from the remote. Medians of RUNS (10); ratios to jbang and to the Node hooks' 100 ms.
# Needs hyperfine (Debian: apt-get install hyperfine).
set -euo pipefail
runs="${RUNS:-10}"
here=$(cd "$(dirname "$0")/.." && pwd)
command -v hyperfine >/dev/null || { echo "bench: hyperfine not found (apt-get install hyperfine)" >&2; exit 1; }

work=$(mktemp -d /tmp/wyren-hook-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_GLOBAL="$work/gitconfig" GIT_CONFIG_NOSYSTEM=1 WYREN_TURNS_THRESHOLD=1000000
export WYREN_HOOK_CACHE="$work/hook-cache"
git config --global user.name Bench; git config --global user.email bench@example.com
git config --global init.defaultBranch main
git init -q --bare "$work/remote.git"
git clone -q "$work/remote.git" "$work/a" 2>/dev/null
cd "$work/a"
echo app > app.txt; git add app.txt; git commit -qm init; git push -q origin main
"$here/jbang" "$here/wyren.java" init >/dev/null
{ echo; echo "## Decisions"; for i in $(seq 1 30); do echo "- Decision $i about the cart service and its storage [bench000, turn $i]"; done; } >> .wyren/memory.md
"$here/jbang" "$here/wyren.java" sync >/dev/null
"$here/hooks/run" --build 2>/dev/null
for hook in SessionStart UserPromptSubmit Stop; do
  "$here/jbang" build "$here/hooks/$hook.java" >/dev/null 2>&1
  printf '{"session_id":"bench-session","transcript_path":"%s/t.jsonl","cwd":"%s","hook_event_name":"%s","prompt":"hi","source":"startup"}' \
    "$work" "$work/a" "$hook" > "$work/$hook.json"
done
fast_bytes=$("$here/hooks/run" SessionStart < "$work/SessionStart.json" | wc -c)
jbang_bytes=$("$here/jbang" "$here/hooks/SessionStart.java" < "$work/SessionStart.json" | wc -c)

echo "Hook latency, $runs warm runs each (clone with 30 bullets, local bare remote; SessionStart printed $fast_bytes / $jbang_bytes bytes fast / jbang)"
args=()
for mode in skip fetch; do
  for hook in SessionStart UserPromptSubmit Stop; do
    prefix=""; [[ $mode == skip ]] && prefix="WYREN_SKIP_PULL=1 "
    # UserPromptSubmit fetches at most every 15 s: clear its marker so every run fetches.
    [[ $hook == UserPromptSubmit && $mode == fetch ]] && prefix="rm -f $work/a/.wyren/state/live-fetch; "
    args+=(-n "$hook $mode fast" "${prefix}$here/hooks/run $hook < $work/$hook.json > /dev/null")
    args+=(-n "$hook $mode jbang" "${prefix}$here/jbang $here/hooks/$hook.java < $work/$hook.json > /dev/null")
  done
done
hyperfine --runs "$runs" --warmup 2 --export-json "$work/r.json" "${args[@]}" >/dev/null
python3 - "$work/r.json" <<'PY'
import json, sys
results = {r["command"]: r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"]}
print(f"{'hook':<28}{'fast ms':>9}{'jbang ms':>10}{'fast/jbang':>12}{'fast/Node 100 ms':>18}")
for mode in ("skip", "fetch"):
    for hook in ("SessionStart", "UserPromptSubmit", "Stop"):
        fast, jbang = results[f"{hook} {mode} fast"], results[f"{hook} {mode} jbang"]
        label = f"{hook} ({'no network' if mode == 'skip' else 'fetch'})"
        print(f"{label:<28}{fast:>9.0f}{jbang:>10.0f}{fast / jbang:>12.2f}{fast / 100:>18.2f}")
PY
