#!/usr/bin/python3
"""Serving and stopping under hostile conditions (issue: hostile inputs and clients).
usage: hostile_serve_test.py POLLSCOPE SCENARIOS_DIR DATA_DIR OUTDIR CASE

Cases:
  reset       a client that resets ends its handler only (logged); later clients are served
  idle_stop   SIGTERM with 20 idle clients stops within 2 s and writes a lint-clean trace
  listen_bad  a --listen that cannot bind fails at once: exit 2, one line, nothing served
  listen_all  --listen 0.0.0.0:0 warns that other machines can connect
  second_sig  a second SIGINT exits at once and still writes the trace, marked partial
  same_file   -o naming the scenario itself is refused; the scenario is untouched
  killed      after SIGKILL no stale trace from an earlier run is left at -o
  watchdog    a run stuck on a read: the watchdog ends it, the partial trace is written
  watchdog_hard  a run the watchdog cannot end: the partial trace is still written
  watchdog_now   timeout_ms 1 never says "the last 0 events"
"""
import atexit
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import time

PS, SCEN, DATA, OUT, CASE = sys.argv[1:6]
ECHO = os.path.join(SCEN, "echo-server.json")
SERVERS = []


@atexit.register
def kill_servers():
    # A failed check must not leave a server behind (it would hold the test's pipes).
    for p in SERVERS:
        if p.poll() is None:
            p.kill()
            p.wait()


def die(msg):
    sys.exit(f"{CASE}: {msg}")


def trace_path(name):
    p = os.path.join(OUT, f"hostile-{CASE}-{name}.trace.json")
    if os.path.exists(p):
        os.remove(p)
    return p


class Server:
    def __init__(self, scenario, trace, addr="127.0.0.1:0"):
        self.log = os.path.join(OUT, f"hostile-{CASE}.stderr")
        self.logf = open(self.log, "w")
        self.proc = subprocess.Popen([PS, "run", scenario, "--listen", addr, "-o", trace], stderr=self.logf,
                                     stdout=subprocess.DEVNULL)
        SERVERS.append(self.proc)
        deadline = time.time() + 10
        while time.time() < deadline:
            m = re.search(r"listening on tcp://[^ ]*:(\d+)", self.err())
            if m:
                self.port = int(m.group(1))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        self.proc.kill()
        die(f"the server never said where it listens: {self.err()}")

    def err(self):
        return open(self.log).read()

    def connect(self):
        return socket.create_connection(("127.0.0.1", self.port), timeout=5)

    def echo(self, msg):
        with self.connect() as s:
            s.sendall(msg)
            got = b""
            while len(got) < len(msg):
                chunk = s.recv(100)
                if not chunk:
                    break
                got += chunk
            return got

    def stop(self, sig, within):
        t0 = time.time()
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            die(f"{sig.name} did not stop the server within 10 s")
        took = time.time() - t0
        if took > within:
            die(f"{sig.name}: took {took:.2f} s to stop (limit {within} s)")
        return took


def lint_clean(trace):
    r = subprocess.run([PS, "lint", trace], capture_output=True, text=True)
    if r.returncode != 0:
        die(f"{trace} does not lint clean: {r.stdout[-1500:]}{r.stderr[-500:]}")


def meta(trace):
    with open(trace) as f:
        head = f.read(4096)
    m = re.search(r'"meta":(\{[^}]*\})', head)
    return json.loads(m.group(1))


def case_reset():
    trace = trace_path("t")
    srv = Server(ECHO, trace)
    for i in range(3):
        s = srv.connect()
        s.sendall(b"reset me\n")
        time.sleep(0.05)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
    time.sleep(0.2)
    for i in range(3):
        msg = f"after the resets {i}\n".encode()
        if srv.echo(msg) != msg:
            die("a client after a reset was not served")
    srv.stop(signal.SIGINT, 2)
    err = srv.err()
    if srv.proc.returncode != 0 or "FAIL" in err or "stopped cleanly" not in err:
        die(f"a reset client failed the run (exit {srv.proc.returncode}):\n{err}")
    if not re.search(r"handler ended: .*reset", err):
        die(f"the reset was not logged as a handler's error:\n{err}")
    lint_clean(trace)
    print("3 resetting clients ended their handlers only; 3 later clients served; exit 0")


def case_idle_stop():
    trace = trace_path("t")
    srv = Server(ECHO, trace)
    idle = [srv.connect() for _ in range(20)]
    time.sleep(0.3)
    took = srv.stop(signal.SIGTERM, 2)
    for s in idle:
        s.close()
    if srv.proc.returncode != 0:
        die(f"exit {srv.proc.returncode}: {srv.err()}")
    lint_clean(trace)
    print(f"SIGTERM with 20 idle clients: stopped in {took:.2f} s, trace lints clean")


def case_listen_bad():
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    in_use = f"127.0.0.1:{busy.getsockname()[1]}"
    for addr in (in_use, "garbage", "127.0.0.1", "999.1.1.1:80", "127.0.0.1:70000"):
        trace = trace_path("t")
        t0 = time.time()
        try:
            r = subprocess.run([PS, "run", ECHO, "--listen", addr, "-o", trace], capture_output=True, text=True,
                               timeout=5)
        except subprocess.TimeoutExpired:
            die(f"--listen {addr}: still running after 5 s (it should fail at once)")
        lines = r.stderr.strip().splitlines()
        if r.returncode != 2:
            die(f"--listen {addr}: exit {r.returncode}, expected 2: {r.stderr}")
        if len(lines) != 1 or addr not in lines[0] or "listening" in r.stderr or "serving" in r.stderr:
            die(f"--listen {addr}: expected one line naming the address, got:\n{r.stderr}")
        if os.path.exists(trace):
            die(f"--listen {addr}: a trace was written though nothing was served")
        print(f"--listen {addr}: exit 2 in {time.time() - t0:.2f} s: {lines[0]}")


def case_listen_all():
    trace = trace_path("t")
    srv = Server(ECHO, trace, "0.0.0.0:0")
    time.sleep(0.1)
    srv.stop(signal.SIGINT, 2)
    if not re.search(r"warning: .*not a loopback address", srv.err()):
        die(f"no warning for 0.0.0.0:\n{srv.err()}")
    trace = trace_path("t2")
    srv = Server(ECHO, trace, "127.0.0.1:0")
    srv.stop(signal.SIGINT, 2)
    if "warning" in srv.err():
        die(f"a warning for 127.0.0.1:\n{srv.err()}")
    print("0.0.0.0 warns, 127.0.0.1 does not")


def case_second_sig():
    trace = trace_path("t")
    srv = Server(os.path.join(DATA, "hostile", "serve-sleepy.json"), trace)
    c = srv.connect()
    time.sleep(0.3)
    srv.proc.send_signal(signal.SIGINT)
    time.sleep(0.5)
    if srv.proc.poll() is not None:
        die("the sleepy server stopped on the first signal: this case needs one that does not")
    srv.stop(signal.SIGINT, 2)
    c.close()
    if srv.proc.returncode != 128 + signal.SIGINT:
        die(f"exit {srv.proc.returncode}, expected {128 + signal.SIGINT}: {srv.err()}")
    if not os.path.exists(trace):
        die(f"the second SIGINT lost the trace: {srv.err()}")
    m = meta(trace)
    if "second SIGINT" not in m.get("partial", ""):
        die(f"the trace is not marked partial: {m}")
    lint_clean(trace)
    print(f"second SIGINT: exit 130, trace written and marked partial ({m['partial']}), lints clean")


def case_same_file():
    scen = os.path.join(OUT, "hostile-same-file.json")
    with open(os.path.join(SCEN, "echo.json")) as f:
        text = f.read()
    with open(scen, "w") as f:
        f.write(text)
    for out in (scen, os.path.join(OUT, ".", os.path.basename(scen))):
        r = subprocess.run([PS, "run", scen, "-o", out], capture_output=True, text=True, timeout=30)
        if r.returncode != 2 or "is the scenario itself" not in r.stderr:
            die(f"-o {out}: expected a refusal, got exit {r.returncode}: {r.stderr}")
        if open(scen).read() != text:
            die("the scenario was changed")
    trace = trace_path("t")
    subprocess.run([PS, "run", scen, "-o", trace], check=True, capture_output=True, timeout=30)
    before = open(trace).read()
    r = subprocess.run([PS, "export", "chrome", trace, "-o", trace], capture_output=True, text=True)
    if r.returncode != 2 or open(trace).read() != before:
        die(f"export -o over its own trace: exit {r.returncode}: {r.stderr}")
    print("-o over the scenario (or the exported trace) is refused; the input is untouched")


def case_killed():
    trace = trace_path("t")
    with open(trace, "w") as f:
        f.write("an older run's trace\n")
    srv = Server(ECHO, trace)
    srv.echo(b"hello\n")
    srv.proc.kill()
    srv.proc.wait()
    if os.path.exists(trace):
        die("after SIGKILL the older file is still at -o, where it passes for this run's trace")
    print("after SIGKILL -o holds no stale trace")


def run_watchdog(name, expect_within):
    trace = trace_path("t")
    t0 = time.time()
    r = subprocess.run([PS, "run", os.path.join(DATA, "hostile", name), "-o", trace], capture_output=True,
                       text=True, timeout=30)
    took = time.time() - t0
    if r.returncode != 3:
        die(f"exit {r.returncode}, expected 3: {r.stderr}")
    if took > expect_within:
        die(f"took {took:.2f} s (limit {expect_within} s)")
    if not os.path.exists(trace):
        die(f"the watchdog lost the trace: {r.stderr}")
    m = meta(trace)
    if "watchdog" not in m.get("partial", ""):
        die(f"the trace is not marked partial by the watchdog: {m}")
    lint_clean(trace)
    return r, m, took


def case_watchdog():
    r, m, took = run_watchdog("watchdog-read.json", 2)
    print(f"watchdog: run ended in {took:.2f} s, exit 3, partial trace written and lint clean: {m['partial']}")


def case_watchdog_hard():
    r, m, took = run_watchdog("watchdog-sleep.json", 6)
    if "wrote" not in r.stderr:
        die(f"no word of the written trace: {r.stderr}")
    print(f"watchdog (stuck in a sleep): exit 3 after {took:.2f} s, partial trace written and lint clean")


def case_watchdog_now():
    trace = trace_path("t")
    r = subprocess.run([PS, "run", os.path.join(DATA, "hostile", "watchdog-at-once.json"), "-o", trace],
                       capture_output=True, text=True, timeout=30)
    if "the last 0 events" in r.stderr:
        die(f"says 'the last 0 events': {r.stderr}")
    if r.returncode != 3 or not os.path.exists(trace):
        die(f"exit {r.returncode} (expected 3) or no trace: {r.stderr}")
    lint_clean(trace)
    print("timeout_ms 1: exit 3, trace written, no 'the last 0 events'")


globals()["case_" + CASE]()
