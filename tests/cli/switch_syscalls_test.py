#!/usr/bin/python3
"""A goroutine switch makes no system call (issue 14: glibc's swapcontext called
rt_sigprocmask on every switch, 822 of them for ping-pong-loop's 400 round trips).

usage: switch_syscalls_test.py POLLSCOPE SCENARIO OUTDIR

Runs SCENARIO under `strace -f -c`, counts rt_sigprocmask calls, and counts the
switches into a goroutine in the trace it wrote (gstatus -> _Grunning: each is a
switch from g0 to a G, and its park or exit one more back). The few calls thread
creation makes are allowed; one per switch is not."""
import json
import os
import re
import shutil
import subprocess
import sys


def main():
    ps, scenario, outdir = sys.argv[1:4]
    strace = shutil.which("strace")
    if not strace:
        print("SKIP: strace is not installed")
        return 0
    os.makedirs(outdir, exist_ok=True)
    trace = os.path.join(outdir, "switch-syscalls.trace.json")
    run = subprocess.run([strace, "-f", "-c", "-e", "trace=rt_sigprocmask", ps, "run", scenario, "-o", trace],
                         capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        print(f"FAIL: pollscope run exited {run.returncode}:\n{run.stderr[-2000:]}")
        return 1
    m = re.search(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?rt_sigprocmask\s*$", run.stderr, re.M)
    calls = int(m.group(1)) if m else 0  # strace prints no row for a call never made
    with open(trace) as f:
        events = json.load(f)["events"]
    switches = sum(1 for e in events if e.get("kind") == "gstatus" and e.get("to") == "_Grunning")
    print(f"{switches} switches into a goroutine (and as many back to g0), {calls} rt_sigprocmask calls in all")
    if switches < 400:
        print(f"FAIL: the scenario switched only {switches} times; the test needs a busy one")
        return 1
    if calls > 20:
        print(f"FAIL: {calls} rt_sigprocmask calls for {switches} switches: a switch makes system calls")
        return 1
    print("PASS: goroutine switches make no system call")
    return 0


if __name__ == "__main__":
    sys.exit(main())
