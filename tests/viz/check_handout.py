#!/usr/bin/python3
"""Checks that a handout picture (--picture) has no menu bar and no controls,
against a screenshot of the same view in the window: the window's drawn text
has the menu bar's words and its top rows the menu bar's colour; the picture
has neither.
usage: check_handout.py PICTURE.png PICTURE.txt WINDOW.png WINDOW.txt"""
import sys
from collections import Counter

from check_screenshot import decode

MENU_WORDS = ["File", "View", "Classroom"]  # the menu bar's first entries (English)
CONTROL_WORDS = ["Play", "Breakpoints", "Bookmarks", "Save", "pollDesc"]  # player buttons, pickers


def top_band(path, rows):
    w, h, px = decode(path)
    c = Counter()
    for y in range(rows):
        line = px[y]
        for x in range(0, w * 4, 4):
            c[tuple(line[x:x + 3])] += 1
    return c, w


def main():
    pic, pic_txt, win, win_txt = sys.argv[1:5]
    pic_text = open(pic_txt, encoding="utf-8").read()
    win_text = open(win_txt, encoding="utf-8").read()
    ok = True
    for word in MENU_WORDS + CONTROL_WORDS:
        if word not in win_text:
            print(f"FAIL: the window's text lacks {word!r}: the check would prove nothing")
            ok = False
        if word in pic_text:
            print(f"FAIL: the picture shows {word!r}")
            ok = False
    # The menu bar is a band of its own colour across the window's top rows.
    win_top, w = top_band(win, 6)
    bar_colour, n = win_top.most_common(1)[0]
    pic_top, _ = top_band(pic, 6)
    share = pic_top[bar_colour] / sum(pic_top.values())
    print(f"menu bar colour {bar_colour}: {n / sum(win_top.values()):.0%} of the window's top rows, "
          f"{share:.0%} of the picture's")
    if share > 0.5:
        print("FAIL: the picture's top rows look like a menu bar")
        ok = False
    print("handout checks out" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
