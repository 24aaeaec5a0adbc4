#!/usr/bin/env python3
"""Exports of a busy server's trace stay bounded (issue #18).

usage: check_stress.py POLLSCOPE SCENARIO OUT_DIR

Runs SCENARIO (2,000 client goroutines parked on their reads at once, a real engine
run), then exports it as Mermaid sequence diagrams (user and runtime level) and as
Chrome JSON, each in its own process, and checks: every Mermaid part is under
Mermaid's 50,000-character limit with balanced activations, no export's peak memory
passes 1 GiB (2,000 parked used to take 24 GB and get killed), and the chrome
export costs at most a few times reading the trace. Prints the figures it measured.
"""
import glob
import os
import subprocess
import sys

LIMIT = 50000
MAX_RSS_KB = 1 << 20  # 1 GiB


def run(cmd):
    """Runs cmd; returns (CPU seconds, peak RSS in kB), both of that process alone (CPU time,
    not wall time: the figures stay comparable on a busy machine)."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {p.returncode}: {err.decode(errors='replace')}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main():
    ps, scenario, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    trace = os.path.join(out, "parked.trace.json")
    secs, rss = run([ps, "run", scenario, "-o", trace])
    print(f"run: {secs:.1f} s CPU, {rss // 1024} MiB, trace {os.path.getsize(trace) // 1024} KiB")
    failed = False
    for level in ("user", "runtime"):
        stem = os.path.join(out, f"parked.{level}")
        for old in glob.glob(stem + ".*mmd"):
            os.remove(old)
        secs, rss = run([ps, "export", "mermaid-sequence", trace, "--level", level, "-o", stem + ".mmd"])
        parts = sorted(glob.glob(stem + ".*.mmd")) or [stem + ".mmd"]
        sizes = [os.path.getsize(p) for p in parts]
        print(f"mermaid-sequence --level {level}: {len(parts)} parts, largest {max(sizes)} bytes, "
              f"total {sum(sizes) // 1024} KiB, {secs:.2f} s CPU, peak {rss // 1024} MiB")
        for p, n in zip(parts, sizes):
            text = open(p, encoding="utf-8").read()
            if len(text) > LIMIT:
                print(f"FAIL: {p} has {len(text)} characters (Mermaid refuses more than {LIMIT})")
                failed = True
            if text.count("  activate ") != text.count("  deactivate "):
                print(f"FAIL: {p}: activations do not balance")
                failed = True
        if rss > MAX_RSS_KB:
            print(f"FAIL: the export peaked at {rss // 1024} MiB")
            failed = True
    # The chrome export is linear in the events: it costs a few times what reading the trace
    # costs (`info` reads it and little more). It named each goroutine's track by scanning
    # every event once per goroutine: 2,000 goroutines made that 2,000 passes.
    read_secs, _ = run([ps, "info", trace])
    secs, rss = run([ps, "export", "chrome", trace, "-o", os.path.join(out, "parked.chrome.json")])
    print(f"chrome: {secs:.2f} s CPU (reading the trace: {read_secs:.2f} s), peak {rss // 1024} MiB")
    if secs > 5 * read_secs + 0.5:
        print(f"FAIL: the chrome export took {secs:.2f} s of CPU, more than 5 times reading the trace")
        failed = True
    if rss > MAX_RSS_KB:
        print(f"FAIL: the chrome export peaked at {rss // 1024} MiB")
        failed = True
    if failed:
        sys.exit(1)
    print("stress exports check out")


main()
