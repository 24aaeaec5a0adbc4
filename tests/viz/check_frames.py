#!/usr/bin/python3
"""Checks an animated sequence written by --frames-dir: one PNG per step of the
trace (each rg/wg transition and scenario step), numbered in order, each of the
asked size and not blank, and an index naming the event each one shows.
usage: check_frames.py TRACE.json DIR WIDTH HEIGHT"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from check_screenshot import decode  # noqa: E402


def main():
    trace, folder, w, h = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    events = json.load(open(trace))["events"]
    steps = [i + 1 for i, e in enumerate(events) if e["kind"] in ("sem", "step")]
    index = [line.split("\t") for line in open(os.path.join(folder, "index.txt"), encoding="utf-8").read().splitlines()]
    assert len(index) == len(steps), f"{len(index)} frames for {len(steps)} steps"
    for n, (row, cursor) in enumerate(zip(index, steps), 1):
        assert row[0] == f"frame-{n:04d}.png", row
        assert row[1] == f"event {cursor}", (row, cursor)
    # Decoding every frame is slow in Python: check the first, a middle and the last one.
    for n in (1, len(steps) // 2, len(steps)):
        fw, fh, rows = decode(os.path.join(folder, f"frame-{n:04d}.png"))
        assert (fw, fh) == (w, h), (fw, fh)
        colours = {bytes(rows[y][x:x + 3]) for y in range(0, h, 7) for x in range(0, w * 4, 28)}
        assert len(colours) > 12, f"frame {n} looks blank"
    print(f"{len(steps)} frames check out ({w}x{h})")


if __name__ == "__main__":
    main()
