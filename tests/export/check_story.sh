#!/usr/bin/env bash
# The original article's seven sequence diagrams, redrawn from real runs at the
# story level (export mermaid-sequence --article SECTION), checked against the
# article's own: parses with the real Mermaid parser, 0.5x..1.5x the article's
# message count, a lifeline for each of the article's participants (by role), a
# loop/alt block where the article has one, deterministic, every arrow's seq list
# naming real events of the trace (and the syscall it draws), and --lang zh
# translating every label that is not Go or syscall code.
# usage: check_story.sh POLLSCOPE SOURCE_DIR OUT_DIR
set -euo pipefail
ps=$1 src=$2 out=$3/story
rm -rf "$out" && mkdir -p "$out"
"$ps" export mermaid-sequence --article list >"$out/list.txt"
cat "$out/list.txt"
for sec in 1.3 1.4 1.5 1.6 5.1 5.2 5.3; do
  "$ps" export mermaid-sequence --article "$sec" -o "$out/$sec.mmd" 2>/dev/null
  "$ps" export mermaid-sequence --article "$sec" -o "$out/$sec.again.mmd" 2>/dev/null
  "$ps" export mermaid-sequence --article "$sec" --lang zh -o - >"$out/$sec.zh.mmd"
  cmp "$out/$sec.mmd" "$out/$sec.again.mmd" || { echo "$sec: two exports of the same trace differ"; exit 1; }
done
node "$src/tools/mermaid/check.mjs" "$out"/?.?.mmd "$out"/?.?.zh.mmd
/usr/bin/python3 - "$src" "$out" <<'PY'
import json, re, sys
src, out = sys.argv[1], sys.argv[2]
# section: (article messages, blocks, required lifelines by role -> participant id pattern)
article = {
  "1.3": (25, 3, {"APP": r"G_\w+", "NET": "NET", "POLL": "FD", "NETPOLL": "NP", "EPOLL": "K", "SCHED": "SCHED"}),
  "1.4": (18, 2, {"CLIENT": "G_client", "SERVER": "G_server", "LISTENER": "NET", "NETPOLL": "NP", "EPOLL": "K"}),
  "1.5": (14, 5, {"SYSMON": "SYSMON", "NETPOLL": "NP", "EPOLL": "K", "SCHED": "SCHED", "G": r"G_\w+"}),
  "1.6": (15, 2, {"APP": r"G_\w+", "FD": "FD", "PD": "PD", "RUNTIME": "NP", "EPOLL": "K"}),
  "5.1": (12, 0, {"client": "G_client", "server": "G_server", "netpoll": "NP", "kernel": "K"}),
  "5.2": (19, 1, {"G": r"G_\w+", "FD (netFD)": "NET", "PD (poll.FD)": "FD", "NP": "NP", "kernel": "K"}),
  "5.3": (16, 2, {"G": r"G_\w+", "FD (netFD)": "NET", "PD (poll.FD)": "FD", "NP": "NP", "kernel": "K"}),
}
scen = {l.split()[0]: l.split()[1] for l in open(f"{out}/list.txt") if l.strip()}
arrow = re.compile(r"^\s*(\w+)(-->>|->>)(\w+): (.*)$")
code = re.compile(r"^[A-Za-z_][\w.]*(\(.*\))?( = .*)?( \+ [\w.]+)*$")  # a Go call or a syscall, the same in both languages
passed = failed = 0
def check(ok, what):
  global passed, failed
  if ok: passed += 1
  else:
    failed += 1
    print("FAIL", what)
for sec, (n, blocks, roles) in article.items():
  text = open(f"{out}/{sec}.mmd").read().splitlines()
  zh = open(f"{out}/{sec}.zh.mmd").read().splitlines()
  trace = json.load(open(f"{src}/traces/{scen[sec]}.trace.json"))
  events = {e["seq"]: e for e in trace["events"]}
  msgs = [l for l in text if arrow.match(l)]
  check(n / 2 <= len(msgs) <= 1.5 * n, f"{sec}: {len(msgs)} messages, the article has {n}")
  parts = [l.split()[1] for l in text if l.strip().startswith("participant ")]
  for role, pat in roles.items():
    check(any(re.fullmatch(pat, p) for p in parts), f"{sec}: no lifeline for the article's {role} ({parts})")
  nblocks = sum(1 for l in text if re.match(r"^\s*(loop|alt|opt) ", l))
  check(nblocks >= 1 if blocks else True, f"{sec}: the article has {blocks} blocks, the story {nblocks}")
  # every arrow and note is preceded by the seqs it stands for, and they are real events
  for i, l in enumerate(text):
    if not (arrow.match(l) or "Note over" in l and "%% seq" in text[i - 1]): continue
    m = re.match(r"^\s*%% seq (\S+)$", text[i - 1])
    check(m is not None, f"{sec}: no seq list before: {l.strip()}")
    if not m: continue
    seqs = [int(x) for x in m.group(1).split(",")]
    check(all(s in events for s in seqs), f"{sec}: unknown seq in {seqs}")
    a = arrow.match(l)
    sc = a and re.match(r"^(\w+)\(fd (\d+)\) = (-1 (\w+)|(\d+))$", a.group(4))
    if sc:  # a syscall arrow stands for that very syscall
      op, fd = sc.group(1), int(sc.group(2))
      check(any(events[s]["kind"] == "sys" and events[s]["op"] == op and events[s]["fd"] == fd and
                (events[s]["err_name"] == sc.group(4) if sc.group(4) else events[s]["ret"] == int(sc.group(5)))
                for s in seqs if s in events), f"{sec}: {a.group(4)} is not backed by its syscall event {seqs}")
  # --lang zh: the same story, every label translated unless it is code
  body = [(e, z) for e, z in zip(text, zh) if not e.strip().startswith("%%")]
  check(len(text) == len(zh), f"{sec}: en and zh stories differ in shape")
  for e, z in body:
    le = e.split(": ", 1)[1] if ": " in e else (e.strip().split(" ", 1)[1] if re.match(r"^\s*(loop|alt|opt|participant) ", e) else "")
    lz = z.split(": ", 1)[1] if ": " in z else (z.strip().split(" ", 1)[1] if re.match(r"^\s*(loop|alt|opt|participant) ", z) else "")
    if not le: continue
    check(le != lz or code.match(le), f"{sec}: not translated: {le}")
  print(f"{sec}: {len(msgs)} messages (article {n}), {len(parts)} lifelines, {nblocks} blocks")
# the article's details the story must keep
t52 = open(f"{out}/5.2.mmd").read()
check("readLock()" in t52 and "readUnlock()" in t52, "5.2: fdMutex readLock/readUnlock missing")
t53 = open(f"{out}/5.3.mmd").read()
check(re.search(r"loop until written ×\d+", t53) is not None, "5.3: no 'loop until written ×N'")
t15 = open(f"{out}/1.5.mmd").read()
check(re.search(r"^\s*SYSMON->>", t15, re.M) is not None, "1.5: sysmon does not act")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
