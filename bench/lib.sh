# Shared by the bench scripts (sourced): an isolated git config, a bare remote and a clone "a" of
# it with Wyren initialized from checkout $1 and a 30-bullet memory published. Sets $work.
bench_repo() {
  local checkout="$1"
  work=$(mktemp -d /tmp/wyren-bench.XXXXXX)
  export GIT_CONFIG_GLOBAL="$work/gitconfig" GIT_CONFIG_NOSYSTEM=1
  git config --global user.name Bench; git config --global user.email bench@example.com
  git config --global init.defaultBranch main
  git init -q --bare "$work/remote.git"
  git clone -q "$work/remote.git" "$work/a" 2>/dev/null
  (cd "$work/a" && echo app > app.txt && git add app.txt && git commit -qm init && git push -q origin main
   "$checkout/jbang" "$checkout/wyren.java" init >/dev/null
   { echo; echo "## Decisions"; for i in $(seq 1 30); do echo "- Decision $i about the cart service and its storage [bench000, turn $i]"; done; } >> .wyren/memory.md
   touch -d '-5 seconds' .wyren/memory.md
   "$checkout/jbang" "$checkout/wyren.java" sync >/dev/null)
}

# The stdin Claude Code sends a hook, written to $work/<Hook>.json.
bench_inputs() {
  for hook in SessionStart UserPromptSubmit Stop; do
    printf '{"session_id":"bench-session","transcript_path":"%s/t.jsonl","cwd":"%s","hook_event_name":"%s","prompt":"hi","source":"startup"}' \
      "$work" "$work/a" "$hook" > "$work/$hook.json"
  done
}
