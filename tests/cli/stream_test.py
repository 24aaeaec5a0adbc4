#!/usr/bin/python3
"""Streamed traces under real clients (issue 14, item 3): `pollscope run
echo-server.json --listen 127.0.0.1:0 --stream -o FILE`, driven over real sockets.

  1. SIGINT: the file grows while the run goes on, and after the signal it is
     whole JSON that lints clean, with every handler goroutine named.
  2. SIGKILL: the file stops mid-way; `pollscope info` and `lint` load every
     complete event, say where the file stops, and lint finds nothing illegal.
  3. --max-trace-size: recording stops below the cap, serving goes on, and after
     SIGTERM the trace is whole JSON that says it reached the cap.

usage: stream_test.py POLLSCOPE SCENARIO OUTDIR"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time


def start(ps, scenario, trace, *extra):
    if os.path.exists(trace):
        os.remove(trace)
    proc = subprocess.Popen([ps, "run", scenario, "--listen", "127.0.0.1:0", "--stream", "-o", trace, *extra],
                            stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 10
    while time.time() < deadline:
        m = re.search(r"listening on tcp://127\.0\.0\.1:(\d+)", proc.stderr.readline())
        if m:
            return proc, int(m.group(1))
    proc.kill()
    sys.exit("server never said where it listens")


def echo(port, seconds, conns=4):
    """Round trips on `conns` connections for `seconds`; returns how many."""
    socks = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(conns)]
    n = 0
    end = time.time() + seconds
    msg = b"x" * 64
    while time.time() < end:
        for s in socks:
            s.sendall(msg)
        for s in socks:
            got = b""
            while len(got) < len(msg):
                chunk = s.recv(4096)
                if not chunk:
                    sys.exit("the server closed a connection")
                got += chunk
            n += 1
    for s in socks:
        s.close()
    return n


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def stop(proc, sig):
    t0 = time.time()
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        sys.exit(f"server did not stop on {sig.name}")
    return time.time() - t0, err


def sigint_case(ps, scenario, outdir):
    trace = os.path.join(outdir, "stream-int.trace.json")
    proc, port = start(ps, scenario, trace)
    trips = echo(port, 1.0)
    during = os.path.getsize(trace)
    trips += echo(port, 0.5)
    later = os.path.getsize(trace)
    if not (0 < during < later):
        proc.kill()
        sys.exit(f"the trace did not grow while serving ({during} then {later} bytes): nothing was streamed")
    took, err = stop(proc, signal.SIGINT)
    if proc.returncode != 0 or "stopped cleanly" not in err:
        sys.exit(f"server exited {proc.returncode}: {err}")
    with open(trace) as f:
        doc = json.load(f)  # whole JSON, or this raises
    if "partial" in doc or "partial" in doc["meta"]:
        sys.exit("a cleanly stopped streamed trace says it is partial")
    lint = run([ps, "lint", trace])
    if lint.returncode != 0:
        sys.exit(f"streamed trace does not lint: {lint.stdout[-2000:]}{lint.stderr}")
    names = [g["name"] for g in doc["goroutines"]]
    if names.count("handler") < 4:
        sys.exit(f"expected 4+ handler goroutines named, got {names}")
    seqs = [e["seq"] for e in doc["events"]]
    if seqs != list(range(len(seqs))):
        sys.exit("streamed events are not seq 0..N-1 in order")
    print(f"SIGINT: {trips} round trips, {len(seqs)} events streamed ({during} bytes on disk mid-run), "
          f"valid JSON {took:.2f} s after the signal, lints clean")


def sigkill_case(ps, scenario, outdir):
    trace = os.path.join(outdir, "stream-kill.trace.json")
    proc, port = start(ps, scenario, trace)
    echo(port, 1.0)
    proc.kill()  # SIGKILL while events are still being written
    proc.wait()
    size = os.path.getsize(trace)
    try:
        with open(trace) as f:
            json.load(f)
        sys.exit("the killed run's file is whole JSON: it was not cut, the test proves nothing")
    except json.JSONDecodeError:
        pass
    info = run([ps, "info", trace])
    if info.returncode != 0:
        sys.exit(f"info refuses the cut trace: {info.stderr}")
    want = rf"warning: .*the trace file stops at byte {size}, after (\d+) events \(last seq (\d+)\)"
    m = re.search(want, info.stderr)
    if not m:
        sys.exit(f"info does not say where the trace was cut:\n{info.stderr}")
    if f"partial:     the trace file stops at byte {size}" not in info.stdout:
        sys.exit(f"info's summary does not show the cut:\n{info.stdout}")
    events, last = int(m.group(1)), int(m.group(2))
    if events < 1000 or last != events - 1:
        sys.exit(f"expected the complete events 0..N-1 (N >= 1000), got {events} ending at seq {last}")
    lint = run([ps, "lint", trace])
    if lint.returncode != 0 or f"{events} events, all transitions legal" not in lint.stdout:
        sys.exit(f"the cut trace does not lint: {lint.stdout[-2000:]}{lint.stderr}")
    print(f"SIGKILL: the cut file ({size} bytes) loads {events} complete events, says where it stops, lints clean")


def cap_case(ps, scenario, outdir):
    trace = os.path.join(outdir, "stream-cap.trace.json")
    cap = 300 * 1024
    proc, port = start(ps, scenario, trace, "--max-trace-size", "300K")
    echo(port, 1.0)
    trips = echo(port, 0.3)  # still serving after the cap
    if trips < 10:
        sys.exit(f"the server stopped serving after the cap ({trips} round trips)")
    took, err = stop(proc, signal.SIGTERM)
    if proc.returncode != 0:
        sys.exit(f"server exited {proc.returncode}: {err}")
    size = os.path.getsize(trace)
    if size > cap:
        sys.exit(f"the trace is {size} bytes, more than its {cap}-byte cap")
    with open(trace) as f:
        doc = json.load(f)
    note = doc.get("partial", "")
    if f"the trace reached its size cap ({cap} bytes)" not in note:
        sys.exit(f"the capped trace does not say so: partial={note!r}")
    info = run([ps, "info", trace])
    if "size cap" not in info.stdout:
        sys.exit(f"info does not show the cap:\n{info.stdout}")
    lint = run([ps, "lint", trace])
    if lint.returncode != 0:
        sys.exit(f"the capped trace does not lint: {lint.stdout[-2000:]}{lint.stderr}")
    print(f"--max-trace-size 300K: {size} bytes, {len(doc['events'])} events, says it reached the cap, lints clean")


def main():
    ps, scenario, outdir = sys.argv[1:4]
    sigint_case(ps, scenario, outdir)
    sigkill_case(ps, scenario, outdir)
    cap_case(ps, scenario, outdir)
    print("streamed traces check out")


if __name__ == "__main__":
    main()
