#!/usr/bin/env bash
# The viewer's Save/Copy: the exported view parses as Mermaid, stops at the cursor,
# and the clipboard holds it. usage: export_view.sh GUI POLLSCOPE SOURCE_DIR OUT_DIR
set -euo pipefail
gui=$1 ps=$2 src=$3 out=$4/viewer-export
mkdir -p "$out"
trace="$src/traces/read-before-data.trace.json"
xvfb-run -a "$gui" "$trace" --seek 100 --view sequence --export-view "$out/seq-at-100.mmd"
xvfb-run -a "$gui" "$trace" --view state --pd 3 --export-view "$out/state-pd3.mmd"
"$ps" export mermaid-sequence "$trace" -o "$out/full.mmd" 2>/dev/null
at=$(wc -c < "$out/seq-at-100.mmd") full=$(wc -c < "$out/full.mmd")
[ "$at" -lt "$full" ] || { echo "the view export at event 100 ($at bytes) is not shorter than the whole ($full)"; exit 1; }
grep -q "pollDesc rg/wg semaphore of pd3" "$out/state-pd3.mmd" || { echo "the state export is not about pd3"; exit 1; }
node "$src/tools/mermaid/check.mjs" "$out/seq-at-100.mmd" "$out/state-pd3.mmd"
