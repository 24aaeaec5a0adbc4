#!/usr/bin/python3
"""Checks what a viewer screenshot shows: a PNG of the asked size whose pixels
include the viewer's highlight colour (the lit state or current message) and
enough distinct colours to be a drawing, not a blank window.
usage: check_screenshot.py FILE.png WIDTH HEIGHT"""
import struct
import sys
import zlib

LIT = (255, 170, 40)  # viz/views/views.hpp Palette::kLit


def decode(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w, h = 8, b"", 0, 0
    while pos < len(data):
        n = struct.unpack(">I", data[pos:pos + 4])[0]
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype == 6, "expected 8-bit RGBA"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, bpp = zlib.decompress(idat), w * 4, 4
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, rows


def main():
    path, want_w, want_h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    w, h, rows = decode(path)
    assert (w, h) == (want_w, want_h), f"size {w}x{h}, wanted {want_w}x{want_h}"
    colours, lit = set(), 0
    for y in range(0, h, 2):
        line = rows[y]
        for x in range(0, w * 4, 8):
            px = (line[x], line[x + 1], line[x + 2])
            colours.add(px)
            if all(abs(px[i] - LIT[i]) <= 3 for i in range(3)):
                lit += 1
    assert len(colours) > 12, f"only {len(colours)} colours: blank?"
    assert lit > 20, f"the highlight colour appears in only {lit} sampled pixels"
    print(f"{path}: {w}x{h}, {len(colours)} colours, highlight in {lit} sampled pixels")


if __name__ == "__main__":
    main()
