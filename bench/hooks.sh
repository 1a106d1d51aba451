#!/usr/bin/env bash
# Hook latency, warm, through the command a hook configuration uses today:
#   "<checkout>/jbang" "<checkout>/hooks/<Hook>.java" with the hook's JSON on stdin.
# On a clone with memory (30 bullets) and a local bare remote; once with WYREN_SKIP_PULL (no network,
# as the original Node hooks were measured) and once fetching from the remote. Medians of RUNS (10).
# Needs hyperfine (Debian: apt-get install hyperfine).
set -euo pipefail
runs="${RUNS:-10}"
here=$(cd "$(dirname "$0")/.." && pwd)
command -v hyperfine >/dev/null || { echo "bench: hyperfine not found (apt-get install hyperfine)" >&2; exit 1; }

work=$(mktemp -d /tmp/wyren-hook-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_GLOBAL="$work/gitconfig" GIT_CONFIG_NOSYSTEM=1 WYREN_TURNS_THRESHOLD=1000000
git config --global user.name Bench; git config --global user.email bench@example.com
git config --global init.defaultBranch main
git init -q --bare "$work/remote.git"
git clone -q "$work/remote.git" "$work/a" 2>/dev/null
cd "$work/a"
echo app > app.txt; git add app.txt; git commit -qm init; git push -q origin main
"$here/jbang" "$here/wyren.java" init >/dev/null
{ echo; echo "## Decisions"; for i in $(seq 1 30); do echo "- Decision $i about the cart service and its storage [bench000, turn $i]"; done; } >> .wyren/memory.md
"$here/jbang" "$here/wyren.java" sync >/dev/null
for hook in SessionStart UserPromptSubmit Stop; do
  "$here/jbang" build "$here/hooks/$hook.java" >/dev/null 2>&1
  printf '{"session_id":"bench-session","transcript_path":"%s/t.jsonl","cwd":"%s","hook_event_name":"%s","prompt":"hi","source":"startup"}' \
    "$work" "$work/a" "$hook" > "$work/$hook.json"
done
sessionstart_out=$("$here/jbang" "$here/hooks/SessionStart.java" < "$work/SessionStart.json" | wc -c)

echo "Hook latency, $runs warm runs each, command: \"$here/jbang\" \"$here/hooks/<Hook>.java\" < input.json"
echo "(clone with 30 bullets, local bare remote; SessionStart printed $sessionstart_out bytes of JSON)"
args=()
for mode in skip fetch; do
  for hook in SessionStart UserPromptSubmit Stop; do
    env_prefix=""; [[ $mode == skip ]] && env_prefix="WYREN_SKIP_PULL=1 "
    # UserPromptSubmit fetches at most every WYREN_FETCH_INTERVAL_S; 1 s between runs is not guaranteed, so force it.
    [[ $hook == UserPromptSubmit && $mode == fetch ]] && env_prefix="rm -f $work/a/.wyren/state/live-fetch; "
    args+=(-n "$hook ($mode)" "${env_prefix}$here/jbang $here/hooks/$hook.java < $work/$hook.json > /dev/null")
  done
done
hyperfine --runs "$runs" --warmup 2 --export-json "$work/r.json" "${args[@]}" >/dev/null
python3 - "$work/r.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
print(f"{'hook':<26}{'median ms':>10}{'min ms':>9}{'max ms':>9}")
for r in results:
    print(f"{r['command']:<26}{r['median']*1000:>10.0f}{r['min']*1000:>9.0f}{r['max']*1000:>9.0f}")
PY
