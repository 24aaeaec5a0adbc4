#!/usr/bin/python3
"""make bench-echo: 64-byte ping-pong through four echo servers, one table.

usage: bench_echo.py BINDIR SCENARIO OUTDIR [--smoke]

BINDIR holds pollscope, pollscope-bench-raw-echo, pollscope-bench-go-echo and
pollscope-bench-echo-load (the build puts them in build/bin). Each cell starts a
fresh server pinned to CPU 0 and runs the load generator (a separate process that
pins itself to CPU 1) for BENCH_SECONDS (default 3) at each of BENCH_CONNS
(default 1,100,1000,10000) connections. The servers:
  raw epoll       pollscope-bench-raw-echo, one thread, one epoll set
  Go              pollscope-bench-go-echo, net + io.Copy, GOMAXPROCS=1
  pollscope off   pollscope run SCENARIO --listen ADDR --no-trace
  pollscope ring  pollscope run SCENARIO --listen ADDR -o OUTDIR/...  (serving's default ring)
  pollscope stream  pollscope run SCENARIO --listen ADDR --stream --max-trace-size 0 -o OUTDIR/...
                  (every event written to disk while serving; the file is removed after its cell)

A second table gives each server's CPU time (user + system, all threads, from /proc)
per request: on a shared machine req/s follows the CPU share a server gets; this
follows its cost.

The load generator checks every reply byte for byte and exits non-zero on the first
wrong one (that fails the run). A connection that got no reply in its cell is
reported under the table; --smoke (the ctest: every server at 1 and 10 connections
for 0.5 s) fails on it."""
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import time

SERVER_CPU, LOAD_CPU = 0, 1


def raise_open_files(want):
    """Lifts the soft open-file limit (inherited by the servers and the load
    generator) to the hard limit; says so plainly if that is below what is wanted."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, want)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    if target < want:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, want))  # only root may raise the hard limit
            target = want
        except (ValueError, OSError):
            print(f"bench-echo: the open-file limit cannot be raised to {want} (hard limit {hard}): "
                  f"cells that need more descriptors will fail", flush=True)
    return target


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def servers(bindir, scenario, outdir):
    ps = os.path.join(bindir, "pollscope")
    ring_trace = os.path.join(outdir, "bench-echo-ring.trace.json")
    stream_trace = os.path.join(outdir, "bench-echo-stream.trace.json")
    return [
        ("raw epoll", lambda port: [os.path.join(bindir, "pollscope-bench-raw-echo"), str(port)], {}),
        ("Go", lambda port: [os.path.join(bindir, "pollscope-bench-go-echo"), "-listen", f"127.0.0.1:{port}"],
         {"GOMAXPROCS": "1"}),
        ("pollscope off", lambda port: [ps, "run", scenario, "--listen", f"127.0.0.1:{port}", "--no-trace"], {}),
        ("pollscope ring", lambda port: [ps, "run", scenario, "--listen", f"127.0.0.1:{port}", "-o", ring_trace], {}),
        ("pollscope stream", lambda port: [ps, "run", scenario, "--listen", f"127.0.0.1:{port}", "--stream",
                                           "--max-trace-size", "0", "-o", stream_trace], {}),
    ]


def wait_listening(port, proc, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def stop(proc):
    proc.send_signal(signal.SIGINT)  # pollscope writes its trace (ring) on the first SIGINT
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def cpu_seconds(pid):
    """User + system CPU time of every thread of process pid so far (0 if it is gone)."""
    total = 0
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    except OSError:
        return 0.0
    return total / os.sysconf("SC_CLK_TCK")


def run_cell(bindir, argv_of, env, conns, seconds, outdir, name):
    """One server, one load: returns the load generator's figures (with the server's
    CPU time per request, which the machine's other load changes far less than
    req/s), or an error string."""
    port = free_port()
    log = open(os.path.join(outdir, f"bench-echo-{name.replace(' ', '-')}-{conns}.stderr"), "w")
    proc = subprocess.Popen(argv_of(port), env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=log,
                            preexec_fn=lambda: os.sched_setaffinity(0, {SERVER_CPU}))
    try:
        if not wait_listening(port, proc):
            return f"server did not listen (see {log.name})"
        cpu_before = cpu_seconds(proc.pid)
        load = subprocess.run([os.path.join(bindir, "pollscope-bench-echo-load"), str(port), str(conns), str(seconds),
                               str(LOAD_CPU)], capture_output=True, text=True, timeout=seconds + 120)
        cpu = cpu_seconds(proc.pid) - cpu_before
        if load.returncode != 0:
            return f"load generator failed: {load.stderr.strip()}"
        res = {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", load.stdout)}
        res["cpu_s"] = cpu
        res["cpu_us_per_req"] = 1e6 * cpu / res["requests"] if res.get("requests") else 0.0
        return res
    finally:
        stop(proc)
        log.close()
        if name == "pollscope stream":  # what was streamed, then the file goes (it takes GBs at full load)
            with open(log.name) as f:
                m = re.search(r"streamed (\d+) events", f.read())
            trace = argv_of(port)[-1]
            if m and os.path.exists(trace):
                STREAMED[conns] = (int(m.group(1)), os.path.getsize(trace))
                os.remove(trace)


STREAMED = {}  # conns -> (events, bytes) of the stream cell


def fmt_rps(r):
    return f"{r / 1000:.1f}k" if r >= 1000 else f"{r:.0f}"


def cell_text(res):
    if isinstance(res, str):
        return "failed"
    return f"{fmt_rps(res['rps'])} ({res['p50_us']:.0f}/{res['p99_us']:.0f} µs)"


def ratio(a, b):
    if isinstance(a, str) or isinstance(b, str) or b["rps"] == 0:
        return "-"
    return f"{a['rps'] / b['rps']:.2f}x"


def main():
    args = [a for a in sys.argv[1:] if a != "--smoke"]
    smoke = "--smoke" in sys.argv
    if len(args) != 3:
        sys.exit(__doc__)
    bindir, scenario, outdir = args
    os.makedirs(outdir, exist_ok=True)
    if len(os.sched_getaffinity(0)) < 2 or os.cpu_count() < 2:
        print("bench-echo needs two CPUs: the server on CPU 0, the load generator on CPU 1")
        sys.exit(77)  # the smoke ctest reports this line as skipped, not passed
    seconds = 0.5 if smoke else float(os.environ.get("BENCH_SECONDS", "3"))
    conns_list = [1, 10] if smoke else [int(c) for c in os.environ.get("BENCH_CONNS", "1,100,1000,10000").split(",")]
    raise_open_files(max(conns_list) + 1024)
    load = os.getloadavg()
    print(f"bench-echo: 64-byte ping-pong, {seconds:g} s per cell, server on CPU {SERVER_CPU}, "
          f"load generator on CPU {LOAD_CPU}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the start",
          flush=True)

    table, failures, notes = {}, [], []
    for conns in conns_list:
        for name, argv_of, env in servers(bindir, scenario, outdir):
            res = run_cell(bindir, argv_of, env, conns, seconds, outdir, name)
            table[(conns, name)] = res
            if isinstance(res, str):
                failures.append(f"{name} at {conns} connections: {res}")
            elif res["min_replies"] < 1:
                # In the smoke run that is a failure; under full load it is a figure (a
                # server that starves some connections for a whole cell), so it is reported.
                (failures if smoke else notes).append(
                    f"{name} at {conns} connections: some connection got no reply in {seconds:g} s "
                    f"({res['requests']:.0f} replies in all)")
            cpu = "" if isinstance(res, str) else \
                f"  server CPU {res['cpu_s']:.2f} s, {res['cpu_us_per_req']:.1f} µs/request"
            print(f"  {name:16} {conns:>6} conns: {cell_text(res)}{cpu}", flush=True)

    names = [n for n, _, _ in servers(bindir, scenario, outdir)]
    print()
    print("req/s (p50/p99 latency) per server; ratios of req/s")
    print("| conns | " + " | ".join(names) + " | off/Go | ring/Go | ring/off | stream/off |")
    print("| ---: |" + " ---: |" * (len(names) + 4))
    for conns in conns_list:
        row = [table[(conns, n)] for n in names]
        off, ring, go = table[(conns, "pollscope off")], table[(conns, "pollscope ring")], table[(conns, "Go")]
        streamed = table[(conns, "pollscope stream")]
        print(f"| {conns} | " + " | ".join(cell_text(r) for r in row) +
              f" | {ratio(off, go)} | {ratio(ring, go)} | {ratio(ring, off)} | {ratio(streamed, off)} |")
    for conns, (events, size) in sorted(STREAMED.items()):
        print(f"stream at {conns} connections: {events} events, {size / 1e6:.0f} MB written "
              f"({size / max(events, 1):.0f} B/event)")
    print()
    print("server CPU time (user + system, every thread) per request, µs")
    print("| conns | " + " | ".join(names) + " |")
    print("| ---: |" + " ---: |" * len(names))
    for conns in conns_list:
        row = [table[(conns, n)] for n in names]
        print(f"| {conns} | " + " | ".join("-" if isinstance(r, str) else f"{r['cpu_us_per_req']:.1f}" for r in row) +
              " |")
    load = os.getloadavg()
    print(f"\nload average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    for n in notes:
        print(f"note: {n}")
    if failures:
        print("bench-echo FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    if notes:
        print(f"bench-echo: every reply was the bytes sent; {len(notes)} cell(s) left a connection unanswered (above)")
    else:
        print("bench-echo: every server answered every connection")


if __name__ == "__main__":
    main()
