#!/usr/bin/env bash
# Hook latency, side by side in one hyperfine run per setting, medians and ratios:
#   installed:  "<checkout>/hooks/run" <Hook>          the command `wyren install` writes (default java)
#   installed25 the same on a JDK 24+ (AOT cache), when WYREN_BENCH_JDK25 names one (default: Temurin 25 if present)
#   jbang:      "<checkout>/jbang" "<checkout>/hooks/<Hook>.java"
#   node:       the original Node Wyren's hooks (github ssm-08/wyren, Apache-2.0), from the checkout given as $1
# SessionStart, UserPromptSubmit and Stop, with the hook's JSON on stdin, on one clone with a 30-bullet
# memory and a local bare remote; once without network (WYREN_SKIP_PULL, how the Node hooks were
# measured) and once fetching from the remote; each idle and with one core kept busy.
#
# hyperfine times each command's runs back to back, so a few seconds of a slower machine land on
# one command: every command is therefore listed ROUNDS times in the one hyperfine run (its RUNS
# split between them), and its median is taken over all its runs.
#
#   bench/hooks.sh [path/to/node-wyren-checkout]      RUNS=10, ROUNDS=3 by default; needs hyperfine, python3
set -euo pipefail
runs="${RUNS:-10}"
rounds="${ROUNDS:-3}"
per_round=$(( (runs + rounds - 1) / rounds ))
here=$(cd "$(dirname "$0")/.." && pwd)
node_wyren="${1:-}"
command -v hyperfine >/dev/null || { echo "bench: hyperfine not found (apt-get install hyperfine)" >&2; exit 1; }
[[ -z "$node_wyren" || -f "$node_wyren/hooks/session-start.mjs" ]] || { echo "bench: no Node Wyren hooks in $node_wyren" >&2; exit 1; }
jdk25="${WYREN_BENCH_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[[ -x "$jdk25/bin/java" ]] || jdk25=""

source "$here/bench/lib.sh"
bench_repo "$here"
busy=""
trap '[[ -n "$busy" ]] && kill "$busy" 2>/dev/null; rm -rf "$work"' EXIT
# No distiller: neither the turn count nor a Stop after two idle minutes (a setting's Stop block can
# start that long after the last one) starts one, in either implementation.
export WYREN_TURNS_THRESHOLD=1000000 WYREN_IDLE_MS=86400000
bench_inputs
cd "$work/a"

WYREN_HOOK_CACHE="$work/cache17" "$here/hooks/run" --build 2>/dev/null
[[ -n "$jdk25" ]] && JAVA_HOME="$jdk25" WYREN_HOOK_CACHE="$work/cache25" "$here/hooks/run" --build 2>/dev/null
declare -A node_script=([SessionStart]=session-start [UserPromptSubmit]=user-prompt-submit [Stop]=stop)
for hook in SessionStart UserPromptSubmit Stop; do
  "$here/jbang" build "$here/hooks/$hook.java" >/dev/null 2>&1
done
bytes=$(WYREN_HOOK_CACHE="$work/cache17" "$here/hooks/run" SessionStart < "$work/SessionStart.json" | wc -c)
# The builds above leave ~20 MB the kernel writes out 30 s later (vm.dirty_expire_centisecs), in
# the middle of the first rows: the first row measured 0.89x against 0.67-0.72 for the hooks
# measured after it. Write it out now, before anything is timed.
sync
echo "Hook latency: $(( per_round * rounds )) runs per command in $rounds rounds (clone with 30 bullets, local bare remote; SessionStart injects $bytes bytes)"
echo "java: $(java -version 2>&1 | head -1)${jdk25:+; installed25: $("$jdk25/bin/java" -version 2>&1 | head -1)}"
[[ -n "$node_wyren" ]] && echo "node: $(node --version), Node Wyren $(cd "$node_wyren" && (git describe --tags 2>/dev/null || echo "from $node_wyren"))"

for load in idle busy; do
  if [[ $load == busy ]]; then
    timeout 3600 bash -c 'while :; do :; done' & busy=$!
    # The first seconds of a new busy loop slow whatever runs then (SessionStart, run first, measured
    # 65 vs 59.5 ms in the seconds after): let the scheduler settle before any command is timed.
    sleep 3
  fi
  for mode in skip fetch; do
    args=()
    for (( round = 1; round <= rounds; round++ )); do
    for hook in SessionStart UserPromptSubmit Stop; do
      prefix=""; [[ $mode == skip ]] && prefix="WYREN_SKIP_PULL=1 "
      # Live sync fetches at most every 15 s: clear its marker so every UserPromptSubmit run fetches.
      [[ $hook == UserPromptSubmit && $mode == fetch ]] && prefix="rm -f $work/a/.wyren/state/live-fetch; "
      input="< $work/$hook.json > /dev/null"
      args+=(-n "$hook installed #$round" "${prefix}WYREN_HOOK_CACHE=$work/cache17 $here/hooks/run $hook $input")
      [[ -n "$jdk25" ]] && args+=(-n "$hook installed25 #$round" "${prefix}JAVA_HOME=$jdk25 WYREN_HOOK_CACHE=$work/cache25 $here/hooks/run $hook $input")
      args+=(-n "$hook jbang #$round" "${prefix}$here/jbang $here/hooks/$hook.java $input")
      [[ -n "$node_wyren" ]] && args+=(-n "$hook node #$round" "${prefix}node $node_wyren/hooks/${node_script[$hook]}.mjs $input")
    done
    done
    hyperfine -S bash --runs "$per_round" --warmup 2 --export-json "$work/$load-$mode.json" "${args[@]}" >/dev/null
  done
  [[ -n "$busy" ]] && { kill "$busy"; wait "$busy" 2>/dev/null || true; busy=""; }
done

python3 - "$work" <<'PY'
import json, sys, os, statistics
work = sys.argv[1]
print(f"\n{'setting':<14}{'hook':<18}{'installed':>10}{'inst25':>8}{'jbang':>8}{'node':>8}{'inst/node':>11}{'inst25/node':>13}{'inst/jbang':>12}")
for load in ("idle", "busy"):
    for mode in ("skip", "fetch"):
        # Every run of a command, whichever round it was timed in ("SessionStart node #2").
        times = {}
        for r in json.load(open(os.path.join(work, f"{load}-{mode}.json")))["results"]:
            times.setdefault(r["command"].rsplit(" #", 1)[0], []).extend(r["times"])
        results = {command: statistics.median(t) * 1000 for command, t in times.items()}
        for hook in ("SessionStart", "UserPromptSubmit", "Stop"):
            get = lambda kind: results.get(f"{hook} {kind}")
            inst, inst25, jb, node = get("installed"), get("installed25"), get("jbang"), get("node")
            cell = lambda v: f"{v:.0f}" if v else "-"
            ratio = lambda a, b: f"{a / b:.2f}" if a and b else "-"
            setting = f"{load}, {'no net' if mode == 'skip' else 'fetch'}"
            print(f"{setting:<14}{hook:<18}{cell(inst):>10}{cell(inst25):>8}{cell(jb):>8}{cell(node):>8}"
                  f"{ratio(inst, node):>11}{ratio(inst25, node):>13}{ratio(inst, jb):>12}")
print("\nmedians in ms; 'no net': WYREN_SKIP_PULL=1; busy: one core kept busy by a shell loop")
PY
