#!/usr/bin/env bash
# Measures `wyren status` and `wyren sync` on a clone with a local bare remote: median of N runs,
# through ./jbang (what a person types) and through `java -cp` on JBang's cached classpath (what a
# hook will use). Prints a table; needs hyperfine (Debian: apt-get install hyperfine).
set -euo pipefail
runs="${RUNS:-10}"
here=$(cd "$(dirname "$0")/.." && pwd)
command -v hyperfine >/dev/null || { echo "bench: hyperfine not found (apt-get install hyperfine)" >&2; exit 1; }

work=$(mktemp -d /tmp/wyren-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" GIT_CONFIG_GLOBAL="$work/gitconfig" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git config --global user.name Bench; git config --global user.email bench@example.com
git config --global init.defaultBranch main
git init -q --bare "$work/remote.git"
git clone -q "$work/remote.git" "$work/a" 2>/dev/null
cd "$work/a"
echo app > app.txt; git add app.txt; git commit -qm init; git push -q origin main

"$here/jbang" "$here/wyren.java" init >/dev/null
classpath=$("$here/jbang" info classpath "$here/wyren.java" 2>/dev/null)
java_cmd="java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp $classpath wyren"

echo "wyren CLI latency, $runs runs each, clone with a local bare remote (git $(git --version | cut -d' ' -f3), $(nproc) cores)"
hyperfine -N --runs "$runs" --warmup 2 --export-json "$work/r.json" \
  -n "jbang status" "$here/jbang $here/wyren.java status" \
  -n "java status" "$java_cmd status" \
  -n "jbang sync" "$here/jbang $here/wyren.java sync" \
  -n "java sync" "$java_cmd sync" >/dev/null
python3 - "$work/r.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
print(f"{'command':<14}{'median ms':>10}{'min ms':>9}{'max ms':>9}")
for r in results:
    print(f"{r['command']:<14}{r['median']*1000:>10.0f}{r['min']*1000:>9.0f}{r['max']*1000:>9.0f}")
PY
