#!/usr/bin/env bash
# Concurrent stress: several clones distilling and pushing at once for a bounded time, each a real
# `wyren distill` process. Prints writers, distillations, pushes, retries, merge commits, bullets
# dropped by the hard cap (logged) and lost (must be 0). Usage: bench/stress.sh [--minutes 10]
# [--writers 4] [--seed-bullets 0]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
./jbang build tests/RunTests.java >&2
classpath=$(./jbang info classpath tests/RunTests.java)
exec java -cp "$classpath" Stress "$@"
