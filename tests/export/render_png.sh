#!/usr/bin/env bash
# Renders one sequence and one state diagram to PNG with mermaid-cli and Debian's
# chromium, and checks that the pictures have real content.
# usage: render_png.sh POLLSCOPE SOURCE_DIR OUT_DIR
set -euo pipefail
ps=$1 src=$2 out=$3/render
mkdir -p "$out"
"$ps" export mermaid-sequence "$src/traces/read-before-data.trace.json" -o "$out/read-before-data.mmd"
"$ps" export mermaid-state "$src/traces/event-while-wait.trace.json" -o "$out/event-while-wait-state.mmd"
cd "$src/tools/mermaid"
for f in read-before-data event-while-wait-state; do
  rm -f "$out/$f.png"
  # chromium's wrapper prints a harmless "[: ... unexpected operator" on some machines
  npx mmdc -p puppeteer-config.json -i "$out/$f.mmd" -o "$out/$f.png" -b white -w 1600 -q 2>&1 \
    | grep -v "unexpected operator" || true
done
/usr/bin/python3 - "$out/read-before-data.png" "$out/event-while-wait-state.png" <<'PY'
import struct, sys, zlib
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG"
    w, h = struct.unpack(">II", data[16:24])
    assert w >= 300 and h >= 300, f"{path}: only {w}x{h}"
    # Decode the image data: a blank page has almost no distinct bytes.
    idat = b"".join(data[i + 8:i + 8 + struct.unpack(">I", data[i:i + 4])[0]]
                    for i in range(8, len(data) - 12) if data[i + 4:i + 8] == b"IDAT")
    raw = zlib.decompress(idat)
    distinct = len(set(raw[::7]))
    assert distinct > 20, f"{path}: looks blank ({distinct} distinct byte values)"
    print(f"{path}: {w}x{h}, {distinct} distinct byte values")
print("rendered 2 diagrams")
PY
