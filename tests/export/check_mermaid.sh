#!/usr/bin/env bash
# Every Mermaid export of every golden trace parses with the real Mermaid parser.
# usage: check_mermaid.sh POLLSCOPE SOURCE_DIR OUT_DIR
set -euo pipefail
ps=$1 src=$2 out=$3/mermaid
rm -rf "$out" && mkdir -p "$out"
n=0
for trace in "$src"/traces/*.trace.json; do
  name=$(basename "$trace" .trace.json)
  "$ps" export mermaid-sequence "$trace" -o "$out/$name.user.mmd" 2>/dev/null
  "$ps" export mermaid-sequence "$trace" --level runtime -o "$out/$name.runtime.mmd" 2>/dev/null
  "$ps" export mermaid-sequence "$trace" --lang zh -o "$out/$name.zh.mmd" 2>/dev/null
  "$ps" export mermaid-state "$trace" --machine goroutine -o "$out/$name.gstate.mmd" 2>/dev/null
  # The story level tells network calls; a trace without any (netpoll-break) must say so.
  if ! err=$("$ps" export mermaid-sequence "$trace" --level story -o "$out/$name.story.mmd" 2>&1); then
    case "$err" in *"draws network calls"*) ;; *) echo "$name: $err"; exit 1 ;; esac
  else
    "$ps" export mermaid-sequence "$trace" --level story --lang zh -o "$out/$name.story.zh.mmd" 2>/dev/null
  fi
  "$ps" export mermaid-state "$trace" --lang zh -o "$out/$name.state.zh.mmd" 2>/dev/null || true
  # Only traces with a Read or Write have a flowchart; the others must say so.
  if ! err=$("$ps" export mermaid-flow "$trace" -o "$out/$name.flow.mmd" 2>&1); then
    case "$err" in *"no Read or Write"*) ;; *) echo "$name: $err"; exit 1 ;; esac
  fi
  # A story with no rg/wg transition (netpoll-break) has no semaphore diagram: that
  # must be refused with a message, not drawn empty.
  if ! err=$("$ps" export mermaid-state "$trace" -o "$out/$name.state.mmd" 2>&1); then
    case "$err" in *"no transitions to draw"*) ;; *) echo "$name: $err"; exit 1 ;; esac
  fi
  n=$((n + 1))
done
echo "exported $n traces"
node "$src/tools/mermaid/check.mjs" "$out"/*.mmd
