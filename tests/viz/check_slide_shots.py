#!/usr/bin/python3
"""Checks the log of `pollscope-gui LESSON --presenter --slide-shots DIR`: every
slide of the lesson at every size names its current event and marks it on
screen, and every sequence picture shows all its lifelines with no horizontal
scroll. Also checks each PNG exists at its size.
usage: check_slide_shots.py LOG DIR SIZE... (SIZE as WxH)"""
import re
import struct
import sys

log, folder, sizes = sys.argv[1], sys.argv[2], sys.argv[3:]
blocks, block = [], None
for line in open(log, encoding="utf-8", errors="replace"):
    line = line.rstrip("\n")
    m = re.match(r"slide: (\d+) of (\d+) at (\d+)x(\d+) \(([^)]+)\)(.*)", line)
    if m:
        block = {"slide": int(m[1]), "of": int(m[2]), "size": f"{m[3]}x{m[4]}", "file": m[5],
                 "questions": "questions" in m[6], "facts": {}}
        blocks.append(block)
    elif block is not None and ": " in line and not line.startswith("pollscope-gui"):
        key, value = line.split(": ", 1)
        block["facts"][key] = value

problems = []
if not blocks:
    problems.append("no slide pictures in the log")
total = blocks[0]["of"] if blocks else 0
for size in sizes:
    seen = {b["slide"] for b in blocks if b["size"] == size and not b["questions"]}
    if seen != set(range(1, total + 1)):
        problems.append(f"{size}: slides {sorted(set(range(1, total + 1)) - seen)} missing")
sequence_pictures = 0
for b in blocks:
    where = f"slide {b['slide']} at {b['size']} ({b['file']})"
    w, h = map(int, b["size"].split("x"))
    try:
        head = open(f"{folder}/{b['file']}", "rb").read(24)
        if struct.unpack(">II", head[16:24]) != (w, h):
            problems.append(f"{where}: the PNG is not {b['size']}")
    except OSError:
        problems.append(f"{where}: no PNG")
    if b["questions"]:
        continue
    f = b["facts"]
    if f.get("off slide") != "no":
        problems.append(f"{where}: off slide {f.get('off slide')!r}")
    # A compare slide says its facts per pane ("pane 2 current event: ..."); every
    # pane must mark its current event and, in the sequence view, show all lifelines.
    panes = int(f["panes"]) if f.get("panes", "").isdigit() else 0
    if "panes" in f and panes < 2:
        problems.append(f"{where}: panes {f.get('panes')!r}")
    prefixes = [f"pane {i} " for i in range(1, panes + 1)] or [""]
    if f.get("view") == "sequence":
        sequence_pictures += 1
    for pre in prefixes:
        if not re.fullmatch(r"\d+ \(drawn: yes\)", f.get(pre + "current event", "")):
            problems.append(f"{where}: {pre}current event {f.get(pre + 'current event')!r}")
        if f.get("view") == "sequence":
            m = re.fullmatch(r"(\d+) of (\d+)", f.get(pre + "lifelines shown", ""))
            if not m or m[1] != m[2] or int(m[2]) < 3:
                problems.append(f"{where}: {pre}lifelines shown {f.get(pre + 'lifelines shown')!r}")
            if f.get(pre + "horizontal scroll") != "no":
                problems.append(f"{where}: {pre}horizontal scroll {f.get(pre + 'horizontal scroll')!r}")
if sequence_pictures < total * len(sizes):
    problems.append(f"only {sequence_pictures} sequence pictures for {total} slides at {len(sizes)} sizes")
for p in problems:
    print("PROBLEM:", p)
print(f"{len(blocks)} pictures, {sequence_pictures} sequence pictures: "
      + ("slide shots check out" if not problems else f"{len(problems)} problems"))
sys.exit(1 if problems else 0)
