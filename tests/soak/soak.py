#!/usr/bin/python3
"""Soak: serve scenarios/echo-server.json under hostile clients for a while and
check that the server keeps answering, that its memory stays bounded, and that
SIGINT (and SIGTERM, in a second, short run) produce a lint-clean trace within 2 s.

usage: soak.py POLLSCOPE SCENARIO OUTDIR [SECONDS]   (default: $SOAK_SECONDS or 600)

The clients, all at once, for the whole run:
  idle       2,000 connections opened at the start and held, silent, to the end
  rst        connect, send, then close with SO_LINGER 0 (the server reads ECONNRESET)
  halfclose  send, shutdown(SHUT_WR), read the echo to EOF
  slowloris  40 connections that each send one byte every 100 ms
  flood      bursts of 200 connect/close with nothing sent
  big        a 1 MiB payload echoed back whole
  probe      every 0.5 s a fresh client must get its echo within PROBE_TIMEOUT s
             (default 30: on a loaded machine a connection may wait in the backlog)
Every second the server's resident memory (VmRSS) is sampled. After the first
third of the run (the warm-up, when the ring buffers and the idle clients' goroutines
are allocated) it must not grow by more than RSS_GROWTH_MB (default 64 MB), and
it must stay under RSS_LIMIT_MB (default 512 MB) throughout.

Full load (`make soak-load`, issue 14's memory goal): with SOAK_LOAD_CONNS=N the
project's echo load generator (pollscope-bench-echo-load, beside POLLSCOPE) also
runs for the whole run, N connections each a closed loop of 64-byte ping-pongs as
fast as the server answers, every reply checked. SOAK_WARMUP sets the warm-up in
seconds (default a third of the run) after which memory must stay flat."""
import atexit
import os
import re
import resource
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

IDLE = int(os.environ.get("SOAK_IDLE", "2000"))
RSS_GROWTH_MB = float(os.environ.get("RSS_GROWTH_MB", "64"))
RSS_LIMIT_MB = float(os.environ.get("RSS_LIMIT_MB", "512"))
PROBE_TIMEOUT = float(os.environ.get("PROBE_TIMEOUT", "30"))
LOAD_CONNS = int(os.environ.get("SOAK_LOAD_CONNS", "0"))
WARMUP = os.environ.get("SOAK_WARMUP")


class Soak:
    def __init__(self, ps, scenario, outdir):
        self.ps, self.scenario, self.outdir = ps, scenario, outdir
        self.stop = threading.Event()
        self.errors = []
        self.counts = {k: 0 for k in ("rst", "halfclose", "slowloris", "flood", "big", "probe")}
        self.lock = threading.Lock()

    # ---- the server --------------------------------------------------------------------
    def start(self, name):
        self.trace = os.path.join(self.outdir, f"soak-{name}.trace.json")
        self.log = os.path.join(self.outdir, f"soak-{name}.stderr")
        if os.path.exists(self.trace):
            os.remove(self.trace)
        self.logf = open(self.log, "w")
        self.proc = subprocess.Popen([self.ps, "run", self.scenario, "--listen", "127.0.0.1:0", "-o", self.trace],
                                     stderr=self.logf, stdout=subprocess.DEVNULL)
        atexit.register(lambda p=self.proc: p.poll() is None and p.kill())  # never left behind
        deadline = time.time() + 10
        while time.time() < deadline:
            m = re.search(r"listening on tcp://127\.0\.0\.1:(\d+)", open(self.log).read())
            if m:
                self.port = int(m.group(1))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.proc.kill()
        sys.exit(f"the server never said where it listens:\n{open(self.log).read()}")

    def cpu_seconds(self):
        fields = open(f"/proc/{self.proc.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def stop_with(self, sig, idle):
        """Sends `sig` while `idle` clients are connected; the trace must be written
        and lint clean within 2 s."""
        cpu0 = self.cpu_seconds()
        t0 = time.time()
        self.proc.send_signal(sig)
        # wait4 rather than wait: the server's CPU time for the stop says how much of
        # the wall time was work and how much waiting for a loaded machine's cores.
        usage = None
        while time.time() - t0 < 10:
            pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                self.proc.returncode = os.waitstatus_to_exitcode(status)
                break
            time.sleep(0.01)
        if self.proc.returncode is None:
            self.proc.kill()
            self.fail(f"{sig.name} did not stop the server within 10 s ({len(idle)} clients connected)")
            return
        took = time.time() - t0
        cpu = usage.ru_utime + usage.ru_stime - cpu0
        for s in idle:
            s.close()
        self.logf.close()
        err = open(self.log).read()
        if self.proc.returncode != 0:
            self.fail(f"after {sig.name} the server exited {self.proc.returncode}:\n{err[-2000:]}")
        if took > 2.0:
            self.fail(f"{sig.name}: the server took {took:.2f} s to stop and write its trace (limit 2 s; "
                      f"{cpu:.2f} s of CPU, load average {os.getloadavg()[0]:.1f})")
        if not os.path.exists(self.trace):
            self.fail(f"{sig.name}: no trace was written")
            return
        lint = subprocess.run([self.ps, "lint", self.trace], capture_output=True, text=True)
        if lint.returncode != 0:
            self.fail(f"{sig.name}: the trace does not lint clean: {(lint.stdout + lint.stderr)[-2000:]}")
        print(f"{sig.name} with {len(idle)} clients connected: stopped and wrote a lint-clean trace in {took:.2f} s "
              f"({cpu:.2f} s of CPU; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")

    # ---- helpers -----------------------------------------------------------------------
    def fail(self, msg):
        with self.lock:
            self.errors.append(msg)
        print("FAIL:", msg, flush=True)

    def count(self, what):
        with self.lock:
            self.counts[what] += 1

    def connect(self, timeout=5):
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)

    def echo(self, payload, timeout=5):
        with self.connect(timeout) as s:
            s.sendall(payload)
            s.shutdown(socket.SHUT_WR)
            got = bytearray()
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
            return bytes(got)

    def loop(self, what, body, pause):
        while not self.stop.is_set():
            try:
                body()
                self.count(what)
            except OSError:
                pass  # a hostile client's own errors are not the server's
            self.stop.wait(pause)

    # ---- the clients -------------------------------------------------------------------
    def open_idle(self, n):
        idle = []
        for i in range(n):
            try:
                idle.append(self.connect())
            except OSError as e:
                self.fail(f"idle client {i} could not connect: {e}")
                break
        return idle

    def rst(self):
        s = self.connect()
        s.sendall(b"reset me\n")
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()

    def halfclose(self):
        msg = b"half-close %d\n" % time.monotonic_ns()
        got = self.echo(msg)
        if got != msg:
            self.fail(f"half-close: sent {msg!r}, got {got!r}")

    def flood(self):
        for _ in range(200):
            if self.stop.is_set():
                return
            self.connect().close()

    def big(self):
        payload = os.urandom(1 << 20)
        s = self.connect(timeout=20)
        got = bytearray()
        sent = 0
        s.setblocking(False)
        poller = select.poll()  # not select(): with 2,000 idle clients the fds are past FD_SETSIZE
        while len(got) < len(payload) and not self.stop.is_set():
            poller.register(s, select.POLLIN | (select.POLLOUT if sent < len(payload) else 0))
            events = poller.poll(20000)
            if not events:
                self.fail("big: no progress for 20 s")
                break
            _, ev = events[0]
            if ev & select.POLLOUT:
                sent += s.send(payload[sent:sent + 65536])
            if ev & (select.POLLIN | select.POLLHUP | select.POLLERR):
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
        s.close()
        if not self.stop.is_set() and bytes(got) != payload:
            self.fail(f"big: {len(got)} of {len(payload)} bytes came back intact")

    def probe(self):
        msg = b"probe %d\n" % time.monotonic_ns()
        try:
            t0 = time.time()
            got = self.echo(msg, timeout=PROBE_TIMEOUT)
            with self.lock:
                self.slowest = max(self.slowest, time.time() - t0)
        except OSError as e:
            self.fail(f"probe: the server did not answer: {e}")
            return
        if got != msg:
            self.fail(f"probe: sent {msg!r}, got {got!r}")

    def slowloris(self):
        conns = []
        for _ in range(40):
            try:
                conns.append(self.connect())
            except OSError:
                pass
        while not self.stop.is_set():
            for s in conns:
                try:
                    s.send(b"x")
                except OSError:
                    pass
            self.stop.wait(0.1)
        for s in conns:
            s.close()
        self.count("slowloris")

    # ---- full load (SOAK_LOAD_CONNS) -----------------------------------------------------
    def start_load(self, seconds):
        gen = os.path.join(os.path.dirname(self.ps), "pollscope-bench-echo-load")
        if not os.path.exists(gen):
            sys.exit(f"SOAK_LOAD_CONNS needs the load generator {gen} (built with the normal tree)")
        cpu = "1" if (os.cpu_count() or 1) > 1 else "0"  # its own core where there is one
        # It stops a second before the run does, so the stop signal meets the hostile
        # clients and the idle ones, not a generator that counts resets as errors.
        return subprocess.Popen([gen, str(self.port), str(LOAD_CONNS), str(max(1, seconds - 1)), cpu],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def finish_load(self, load):
        try:
            out, err = load.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            load.kill()
            self.fail("the load generator did not finish within 60 s of its end")
            return ""
        if load.returncode != 0:
            self.fail(f"the load generator failed (exit {load.returncode}): {err.strip()[-1000:]}")
            return ""
        m = re.search(r"requests=(\d+) rps=(\d+) p50_us=([\d.]+) p99_us=([\d.]+)", out)
        if not m:
            self.fail(f"the load generator printed no figures: {out!r}")
            return ""
        return (f"; full load: {LOAD_CONNS} connections, {int(m.group(1)):,} echoes checked, "
                f"{int(m.group(2)):,} req/s, p50 {m.group(3)} us, p99 {m.group(4)} us")

    # ---- a run -------------------------------------------------------------------------
    def run(self, seconds, sig, idle_count):
        self.counts = {k: 0 for k in self.counts}
        self.slowest = 0.0
        self.start(sig.name.lower())
        idle = self.open_idle(idle_count)
        threads = [threading.Thread(target=self.slowloris)]
        for what, body, pause in (("rst", self.rst, 0.02), ("halfclose", self.halfclose, 0.02),
                                  ("flood", self.flood, 2.0), ("big", self.big, 1.0),
                                  ("probe", self.probe, 0.5)):
            threads.append(threading.Thread(target=self.loop, args=(what, body, pause)))
        for t in threads:
            t.start()
        load = self.start_load(seconds) if LOAD_CONNS else None
        start = time.time()
        warm_end = start + (min(float(WARMUP), seconds / 3) if WARMUP else seconds / 3)
        warm_rss = None
        peak = after_warm = 0.0
        next_report = start + 60
        while time.time() - start < seconds and self.proc.poll() is None:
            time.sleep(1)
            rss = self.rss_mb()
            peak = max(peak, rss)
            if rss > RSS_LIMIT_MB:
                self.fail(f"resident memory {rss:.0f} MB is over the {RSS_LIMIT_MB:.0f} MB limit")
                break
            if time.time() >= next_report:  # a line a minute, so a long run shows it is alive
                next_report += 60
                print(f"  {time.time() - start:.0f} s: RSS {rss:.1f} MB, clients done {self.counts}", flush=True)
            if warm_rss is None and time.time() >= warm_end:
                warm_rss = rss
            if warm_rss is not None:
                after_warm = max(after_warm, rss)
            if warm_rss is not None and rss > warm_rss + RSS_GROWTH_MB:
                self.fail(f"resident memory grew from {warm_rss:.0f} MB (after the warm-up) to {rss:.0f} MB")
                break
        if self.proc.poll() is not None:
            self.fail(f"the server died (exit {self.proc.returncode}):\n{open(self.log).read()[-2000:]}")
        final = self.rss_mb() if self.proc.poll() is None else 0.0
        self.stop.set()
        for t in threads:
            t.join()
        self.stop.clear()
        load_result = self.finish_load(load) if load else ""
        handler_errors = len(re.findall(r"handler ended", open(self.log).read()))
        print(f"{sig.name} run: {seconds} s, {len(idle)} idle clients, clients done: {self.counts}; "
              f"RSS after warm-up {warm_rss or 0:.1f} MB, highest after it {after_warm:.1f} MB, at the end {final:.1f} MB, "
              f"peak {peak:.1f} MB; "
              f"{handler_errors} handler errors logged; slowest probe {self.slowest:.2f} s{load_result}", flush=True)
        if self.proc.poll() is None:
            self.stop_with(sig, idle)


def main():
    ps, scenario, outdir = sys.argv[1:4]
    seconds = int(sys.argv[4]) if len(sys.argv) > 4 else int(os.environ.get("SOAK_SECONDS", "600"))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < IDLE + 500:
        sys.exit(f"the open-file limit ({hard}) is too low for {IDLE} idle clients")
    soak = Soak(ps, scenario, outdir)
    soak.run(seconds, signal.SIGINT, IDLE)
    soak.run(max(3, seconds // 10), signal.SIGTERM, IDLE)  # the other signal, shorter
    if soak.errors:
        sys.exit(f"soak failed: {len(soak.errors)} problem(s), first: {soak.errors[0]}")
    print(f"soak passed: served hostile clients for {seconds} s; SIGINT and SIGTERM wrote lint-clean traces within 2 s")


if __name__ == "__main__":
    main()
