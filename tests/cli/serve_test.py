#!/usr/bin/python3
"""Serve real clients: start `pollscope run echo-server.json --listen 127.0.0.1:0`,
talk to it over real sockets from this process, stop it with SIGINT, and check
that it exits 0, wrote a trace that lints clean, and that the trace shows our
connections. usage: serve_test.py POLLSCOPE SCENARIO OUTDIR"""
import os
import re
import signal
import socket
import subprocess
import sys
import time


def main():
    ps, scenario, outdir = sys.argv[1:4]
    trace = os.path.join(outdir, "served.trace.json")
    if os.path.exists(trace):
        os.remove(trace)
    proc = subprocess.Popen([ps, "run", scenario, "--listen", "127.0.0.1:0", "-o", trace],
                            stderr=subprocess.PIPE, text=True)
    port = None
    deadline = time.time() + 10
    while time.time() < deadline:
        line = proc.stderr.readline()
        m = re.search(r"listening on tcp://127\.0\.0\.1:(\d+)", line)
        if m:
            port = int(m.group(1))
            break
    if port is None:
        proc.kill()
        sys.exit("server never said where it listens")

    for i in range(5):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            msg = f"hello {i}\n".encode()
            s.sendall(msg)
            got = b""
            while len(got) < len(msg):
                chunk = s.recv(100)
                if not chunk:
                    break
                got += chunk
            if got != msg:
                proc.kill()
                sys.exit(f"echo mismatch: sent {msg!r}, got {got!r}")
    # one client that stays connected while we stop the server
    idle = socket.create_connection(("127.0.0.1", port), timeout=5)
    time.sleep(0.1)

    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        sys.exit("server did not stop on SIGINT")
    idle.close()
    if proc.returncode != 0:
        sys.exit(f"server exited {proc.returncode}: {err}")
    if "stopped cleanly" not in err:
        sys.exit(f"no clean stop: {err}")
    lint = subprocess.run([ps, "lint", trace], capture_output=True, text=True)
    if lint.returncode != 0:
        sys.exit(f"trace does not lint: {lint.stdout}{lint.stderr}")
    info = subprocess.run([ps, "info", trace], capture_output=True, text=True).stdout
    handlers = len(re.findall(r"\bhandler\b", info))
    if handlers < 6:
        sys.exit(f"expected 6 handler goroutines in the trace, found {handlers}:\n{info}")
    print(f"served 5 echo clients + 1 idle on port {port}, stopped on SIGINT, trace lints clean")


if __name__ == "__main__":
    main()
