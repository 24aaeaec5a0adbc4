#!/usr/bin/env python3
"""Fails if a linked binary holds a symbol of a layer it must not link.

usage: check_symbols.py NM BINARY --forbid REGEX --require REGEX
--require names symbols that must be there, so an empty or unreadable symbol
table cannot pass by saying nothing.
"""
import argparse
import re
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument("nm")
ap.add_argument("binary")
ap.add_argument("--forbid", required=True)
ap.add_argument("--require", required=True)
args = ap.parse_args()

out = subprocess.run([args.nm, "-C", args.binary], check=True, capture_output=True, text=True).stdout
symbols = out.splitlines()
forbidden = [s for s in symbols if re.search(args.forbid, s)]
required = [s for s in symbols if re.search(args.require, s)]
print(f"{args.binary}: {len(symbols)} symbols, {len(required)} matching {args.require}")
if not required:
    print(f"no symbol matches {args.require}: the symbol table says nothing, the check would be blind")
    sys.exit(1)
if forbidden:
    for s in forbidden[:10]:
        print("forbidden:", s)
    print(f"{len(forbidden)} symbols match {args.forbid}: this binary links engine code")
    sys.exit(1)
print(f"no symbol matches {args.forbid}")
