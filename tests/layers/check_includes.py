#!/usr/bin/env python3
"""The include rules of docs/architecture.md, checked over every #include in core/ and viz/.

Sections: 1. the rules (the one table)  2. reading the tree  3. checking  4. main

Usage:
  check_includes.py ROOT                       check the tree; exit 1 on any violation
  check_includes.py ROOT --inject FILE:HEADER  also pretend FILE has `#include "HEADER"`
                                               (repeatable); with --expect-violations the
                                               run passes only if every injection is caught
"""
import argparse
import re
import sys
from pathlib import Path

# ---- 1. the rules ----------------------------------------------------------------------
# Modules by path prefix (the longest prefix wins). runtime and netpoll are one unit,
# as they are one package in Go: they share runtime/internal.hpp.
MODULES = {
    "core/platform/": "platform",  # which OS facility does each job; includes nothing of ours
    "core/platform/poller_": "engine.runtime+netpoll",  # epoll/kqueue syscall wrappers: the netpoll unit's
    "core/trace/": "trace",
    "core/runtime/": "engine.runtime+netpoll",
    "core/netpoll/": "engine.runtime+netpoll",
    "core/poll/": "engine.poll",
    "core/net/": "engine.net",
    "core/scenario/": "scenario",
    "core/scenario/scenario.hpp": "scenario.model",  # the scenario as data: no engine behind it
    "core/gosource/": "gosource",
    "core/traceio/": "traceio",
    "core/analysis/": "analysis",
    "core/export/": "export",
    "core/cli/": "cli",
    "viz/model/": "viz.model",
    "viz/model/live_run.": "viz.live",  # runs scenarios live: the model's one engine user
    "viz/model/viewer_live.": "viz.live",  # the Viewer's methods that open scenarios and drive live runs
    "viz/views/": "viz.views",
    "viz/app/": "viz.app",
    "viz/web/": "viz.web",  # the web page: the viewer without the engine (docs/web.md)
}

ENGINE = {"engine.runtime+netpoll", "engine.poll", "engine.net"}

# What each module may include besides itself. Anything else is a violation; a module
# not listed here is an error, so a new directory has to take its place in the table.
MAY_INCLUDE = {
    "platform": set(),
    "trace": {"platform"},
    "engine.runtime+netpoll": {"trace", "platform"},
    "engine.poll": {"trace", "platform", "engine.runtime+netpoll"},
    "engine.net": {"trace", "platform", "engine.runtime+netpoll", "engine.poll"},
    "scenario.model": {"traceio"},
    "scenario": {"trace", "traceio", "platform", "scenario.model"} | ENGINE,
    # The Go program behind a scenario: the scenario model and traces, never the engine.
    "gosource": {"trace", "traceio", "scenario.model"},
    "traceio": {"trace", "platform"},
    "analysis": {"trace", "traceio"},
    "export": {"trace", "traceio", "analysis"},
    "cli": {"trace", "traceio", "analysis", "export", "scenario", "scenario.model", "gosource", "platform"},
    "viz.model": {"trace", "traceio", "analysis", "export", "gosource"},
    "viz.live": {"viz.model", "trace", "traceio", "analysis", "scenario", "scenario.model", "gosource"} | ENGINE,
    "viz.views": {"viz.model", "trace", "traceio", "analysis", "export", "gosource"},
    "viz.app": {"viz.model", "viz.live", "viz.views", "trace", "traceio", "analysis", "export", "scenario",
                "scenario.model", "gosource"},
    "viz.web": {"viz.model", "viz.views", "viz.app", "trace", "traceio", "analysis", "export", "gosource"},
}

# Headers private to the runtime+netpoll unit: included only from inside it, and never
# reached (directly or through other headers) from a file outside it.
UNIT_PRIVATE = {"core/runtime/internal.hpp", "core/runtime/context.hpp", "core/netpoll/backend.hpp"}
UNIT = "engine.runtime+netpoll"

# System headers a module must not include (prefixes of the <...> name).
GUI = ("imgui", "backends/imgui", "GLFW/", "GL/")
NO_SYSTEM = {
    "platform": GUI + ("nlohmann/", "simdjson", "fmt/", "CLI/"),
    "trace": GUI + ("nlohmann/", "simdjson", "fmt/", "CLI/"),
    "engine.runtime+netpoll": GUI + ("nlohmann/", "simdjson", "fmt/", "CLI/"),
    "engine.poll": GUI + ("nlohmann/", "simdjson", "fmt/", "CLI/"),
    "engine.net": GUI + ("nlohmann/", "simdjson", "fmt/", "CLI/"),
    "scenario": GUI,
    "scenario.model": GUI,
    "gosource": GUI,
    "traceio": GUI,
    "analysis": GUI,
    "export": GUI,
    "cli": GUI,
    "viz.model": GUI,
    "viz.live": GUI,
    "viz.views": ("GLFW/", "GL/", "backends/imgui"),
    "viz.app": (),
    "viz.web": (),
}

# Known violations on main, each with the change that removes it. An entry that no longer
# matches anything fails the check too, so it is deleted as soon as it is fixed.
ALLOWED: set = set()

# ---- 2. reading the tree ---------------------------------------------------------------
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
SEARCH_DIRS = ("core", "viz")  # the include directories of the core and viz targets


def module_of(rel):
    best = None
    for prefix, mod in MODULES.items():
        if rel.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, mod)
    return best[1] if best else None


def read_tree(root, injections):
    """Returns {file: [(kind, name)]} for every C++ file under core/ and viz/."""
    files = {}
    for d in SEARCH_DIRS:
        for p in sorted((root / d).rglob("*")):
            if p.suffix in (".cpp", ".hpp", ".h") and p.is_file():
                rel = p.relative_to(root).as_posix()
                text = p.read_text(encoding="utf-8", errors="replace")
                files[rel] = [(m.group(1), m.group(2)) for m in INCLUDE.finditer(text)]
    for f, h in injections:
        files.setdefault(f, []).append(("<", h[1:-1]) if h.startswith("<") else ('"', h))
    return files


def resolve(root, files, src, name):
    """The repository path a quoted include names, or None if it is not ours."""
    candidates = [(Path(src).parent / name).as_posix()] + [f"{d}/{name}" for d in SEARCH_DIRS]
    for c in candidates:
        if c in files or (root / c).is_file():
            return c
    return None


# ---- 3. checking -----------------------------------------------------------------------
def check(root, files):
    problems = []
    used_allowances = set()
    graph = {}
    for src, includes in files.items():
        mod = module_of(src)
        if mod is None or mod not in MAY_INCLUDE:
            problems.append(f"{src}: not in any module of the layer table (tests/layers/check_includes.py)")
            continue
        graph[src] = []
        for kind, name in includes:
            if kind == "<":
                for banned in NO_SYSTEM[mod]:
                    if name.startswith(banned):
                        problems.append(f"{src}: {mod} must not include <{name}>")
                continue
            target = resolve(root, files, src, name)
            if target is None:
                problems.append(f'{src}: #include "{name}" names no file in core/ or viz/')
                continue
            graph[src].append(target)
            tmod = module_of(target)
            if target in UNIT_PRIVATE and mod != UNIT:
                problems.append(f'{src}: includes "{name}", private to runtime+netpoll')
            elif tmod != mod and tmod not in MAY_INCLUDE[mod]:
                if (src, target) in ALLOWED:
                    used_allowances.add((src, target))
                    continue
                problems.append(f'{src}: {mod} must not include "{name}" ({tmod})')

    # A public header of the unit must not carry its internals out of it.
    for src in graph:
        if module_of(src) == UNIT:
            continue
        seen, stack = {src: None}, [src]
        while stack:
            cur = stack.pop()
            for nxt in graph.get(cur, []):
                if nxt in seen:
                    continue
                seen[nxt] = cur
                if nxt in UNIT_PRIVATE:
                    if cur == src:
                        continue  # a direct include, reported above
                    chain, at = [nxt], cur
                    while at is not None:
                        chain.append(at)
                        at = seen[at]
                    problems.append(f"{src}: reaches {nxt} through " + " -> ".join(reversed(chain)))
                    continue
                stack.append(nxt)

    for src, target in sorted(ALLOWED - used_allowances):
        problems.append(f"allow-list entry {src} -> {target} matches nothing now: delete it")
    return sorted(set(problems)), sorted(used_allowances)


# ---- 4. main ---------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--inject", action="append", default=[], metavar="FILE:HEADER")
    ap.add_argument("--expect-violations", action="store_true")
    args = ap.parse_args()
    root = Path(args.root).resolve()
    injections = [tuple(i.split(":", 1)) for i in args.inject]
    files = read_tree(root, injections)
    problems, allowed = check(root, files)
    n_includes = sum(len(v) for v in files.values())

    if args.expect_violations:
        missed = [
            f"{f} -> {h}" for f, h in injections if not any(p.startswith(f + ":") and h.strip("<>") in p for p in problems)
        ]
        for p in problems:
            print("caught:", p)
        if missed or not injections:
            print("NOT caught:", ", ".join(missed) or "(nothing injected)")
            return 1
        print(f"every injected include was caught ({len(injections)})")
        return 0

    for src, target in allowed:
        print(f"known violation, allowed until fixed: {src} -> {target}")
    for p in problems:
        print("layer violation:", p)
    if problems:
        print(f"{len(problems)} violation(s); the rules: docs/architecture.md, tests/layers/check_includes.py")
        return 1
    print(f"{len(files)} files, {n_includes} includes: every include follows the layers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
