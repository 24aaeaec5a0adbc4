#!/usr/bin/env python3
"""Runs `pollscope compare-go --json` on one scenario and checks it.

Passes when the Go program built (go vet included), ran, is gofmt-clean, and
  - printed exactly the results the engine's trace says each call returned, in
    every run, and
  - (exact translations) blocked and returned in the network in the engine's order,
    every difference explained by a documented cause or by Go's own variation
    (compare-go runs the program up to 3 times: a difference that some Go run does
    not show is Go varying, one that every run shows is a gap).
A difference listed in known_gaps.txt is allowed (and reported as seen or not).

usage: check_compare_go.py POLLSCOPE SCENARIO.json WORKDIR KNOWN_GAPS"""
import json
import os
import subprocess
import sys


def main():
    pollscope, scenario, work, known_file = sys.argv[1:5]
    name = os.path.basename(scenario)[: -len(".json")]
    known = {}
    for line in open(known_file, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            scen, row = line.split(" ", 1)
            known.setdefault(scen, []).append(row)
    p = subprocess.run([pollscope, "compare-go", scenario, "--json", "--work", work],
                       capture_output=True, text=True, timeout=600)
    if p.returncode not in (0, 1) or not p.stdout.strip():
        print(f"FAIL {name}: compare-go exited {p.returncode}\n{p.stderr}")
        return 1
    r = json.loads(p.stdout)
    fmt = subprocess.run(["gofmt", "-l", os.path.join(work, "prog.go")], capture_output=True, text=True)
    problems = []
    if fmt.stdout.strip() or fmt.returncode != 0:
        problems.append("the generated program is not gofmt-clean")
    if not r["results"]["engine"] and r["results"]["go"]:
        problems.append("the engine's trace has no results to compare")
    for d in r["results"]["differences"]:
        problems.append("result: " + d)
    gaps = [f'{row["engine"] or "-"} | {row["go"] or "-"}' for row in r["blocking"]["rows"]
            if row.get("label") in ("gap", "moved")]
    listed = known.get(name, [])
    for g in gaps:
        if g not in listed:
            problems.append("unexplained blocking-order difference: " + g)
    for g in listed:
        print(("known gap seen: " if g in gaps else "known gap not seen this run: ") + g)
    sc, bl = r["syscalls"], r["blocking"]
    per_run = bl["unexplained_per_go_run"]
    # The runs stop at the first with no unexplained difference, and only there.
    if len(per_run) != bl["go_runs"] or any(n == 0 for n in per_run[:-1]) or (
            bl["go_runs"] < bl["go_runs_max"] and per_run[-1] != 0):
        problems.append(f"Go runs inconsistent: {bl['go_runs']} of {bl['go_runs_max']}, unexplained per run {per_run}")
    for row in bl["rows"]:
        if row.get("label") == "go-varies":
            print(f'Go varies: {row["engine"] or "-"} | {row["go"] or "-"}: {row["why"]}')
    print(f'{name}: {r["fidelity"]}, {r["go_version"]}; results: {len(r["results"]["go"])} calls, '
          f'{len(r["results"]["differences"])} differences; blocking: {bl["explained"]} explained, '
          f'{bl["go_varies"]} Go varies, {len(gaps)} unexplained ({len(listed)} known), '
          f'Go runs {bl["go_runs"]} (unexplained per run: {bl["unexplained_per_go_run"]}); '
          f'syscalls: {sc["same"]} same, {sc["explained"]} explained, {sc["moved"]} moved, '
          f'{sc["unexplained"]} unexplained')
    for pr in problems:
        print("FAIL " + pr)
    if not problems:
        print("compare-go: no unexplained difference")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
