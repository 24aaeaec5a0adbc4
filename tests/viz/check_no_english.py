#!/usr/bin/python3
"""Checks the text a Chinese-mode picture shows (pollscope-gui --drawn-text: the
glyphs read back from the frame) for English: every Latin word must be a name
from Go, the kernel or the trace (a Go function, a syscall, a constant, a
goroutine's name, an id like G2 or pd3), never a word of the viewer's own.
usage: check_no_english.py DRAWN.txt [TRACE.json | SCENARIO_DIR ...]"""
import json
import os
import re
import sys

# Go's and the kernel's own names, which read the same in both languages.
NAMES = set("""
Go go runtime internal poll net conn FD pollDesc pollCache netpoll netpollblock netpollblockcommit netpollunblock
netpollready netpollBreak netpollWaiters netpollinit netpollopen netpollclose netpollcheckerr netpollarm
pollWait pollReset pollUnblock pollOpen pollClose gopark goready park_m schedule findRunnable findrunnable
injectglist execute newproc newproc1 goexit goexit0 gosched sysmon casgstatus fdMutex rwlock rwunlock
rg wg rd wd rseq wseq pdNil pdWait pdReady pdEventErr ioready mode
read write accept accept4 connect listen bind socket close shutdown epoll epoll_wait epoll_ctl epoll_create1
eventfd setsockopt getsockopt getpeername
Read Write Accept Dial Listen Close CloseWrite SetReadDeadline SetWriteDeadline SetDeadline Sleep
fd fds ms ns io ok err nil true false
main goroutine goroutines pd pollscope English GOMAXPROCS Ctrl PageDown PageUp Space F F5 F11 PNG GIF JSON Mermaid Perfetto
Shift Right Left Backspace Home End Enter Esc
x
""".split())

# Error strings of Go's net and os packages (ErrNetClosing, ErrDeadlineExceeded,
# the errno texts): what a Go program prints, so they stay as Go writes them.
GO_ERRORS = ["use of closed network connection", "i/o timeout", "connection reset by peer", "broken pipe",
             "connection refused"]


def allowed(word, extra):
    if word in NAMES or word in extra:
        return True
    if len(word) >= 4 and any(n.startswith(word) for n in NAMES | extra):  # a name cut at a column's edge
        return True
    if re.fullmatch(r"[A-Z0-9_]+", word):  # constants: EAGAIN, EPOLLIN, ADD
        return True
    if re.search(r"[0-9_]", word):  # ids and Go identifiers: G2, pd3, M0, _Gwaiting, block_prepare
        return True
    if re.fullmatch(r"[a-z]+[A-Z][A-Za-z]*", word):  # Go's camelCase names: findRunnable, pdReady
        return True
    if len(word) == 1:  # a key or an id letter: G, M, P, A
        return True
    return False


def main():
    lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
    extra = set()
    for path in sys.argv[2:]:
        if os.path.isdir(path):  # scenario names (data-before-park) and their goroutines' names
            for f in os.listdir(path):
                if f.endswith(".json"):
                    extra.update(re.findall(r"[A-Za-z0-9]+", f[:-5]))
                    for g in json.load(open(os.path.join(path, f))).get("goroutines", []):
                        extra.update(re.findall(r"[A-Za-z0-9]+", str(g.get("name", ""))))
            continue
        t = json.load(open(path))
        for site in t.get("sites", []):  # the Go functions the engine mirrors, and the engine's own
            extra.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", site.get("go", "")))
            extra.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", site.get("cpp", "")))
        for g in t.get("goroutines", []):  # the scenario's names for its goroutines
            extra.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", g.get("name", "")))
        # The trace format's own vocabulary: event kinds, field names and their
        # named values (sem, gstatus, fdseq, block.prepare, "IO wait", EPOLLIN|EPOLLET).
        for e in t.get("events", []):
            for key, value in e.items():
                extra.update(re.findall(r"[A-Za-z0-9]+", key))
                if isinstance(value, str):
                    extra.update(re.findall(r"[A-Za-z0-9]+", value))
    bad = []
    for line in lines:
        # The engine's source files (core/netpoll/netpoll.cpp:195) are names, not words.
        line = re.sub(r"[A-Za-z0-9_./-]+\.(cpp|hpp|go)(:[0-9]+)?", " ", line)
        # Go's own error texts, quoted as a Go program prints them (scenario titles).
        for phrase in GO_ERRORS:
            line = line.replace(phrase, " ")
        for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", line):
            if not allowed(word, extra) and not all(allowed(part, extra) for part in word.split("_") if part):
                bad.append((word, line))
    chinese = sum(1 for line in lines if re.search(r"[\u4e00-\u9fff]", line))
    if chinese == 0:
        print("FAIL: no Chinese on screen at all")
        return 1
    if bad:
        for word, line in bad[:40]:
            print(f"FAIL: English word {word!r} in: {line}")
        return 1
    print(f"no English words in {len(lines)} lines ({chinese} with Chinese)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
