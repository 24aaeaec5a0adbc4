// Fonts for the viewer: real TTF fonts found through fontconfig (a sans face for
// the UI, a monospace face for code, a CJK face merged in for Chinese), built at
// the size asked for, so text is crisp at any zoom and DPI. Only the CJK glyphs
// the texts on screen use are rasterised (the full Chinese set costs a 4096^2 atlas).
#pragma once

#include <imgui.h>

#include <optional>
#include <string>
#include <vector>

namespace pollscope::viz {

struct FontFile {
  std::string path;
  int index = 0;  // face in a collection (.ttc): Noto Sans CJK SC is 2
};

// fontconfig's best match for a pattern ("sans-serif", "monospace",
// "sans-serif:lang=zh-cn"); none when fontconfig finds no font file at all.
std::optional<FontFile> findFont(const char* pattern);

struct Fonts {
  ImFont* ui = nullptr;
  ImFont* caption = nullptr;  // 1.5x, the presenter's current-step caption
  ImFont* mono = nullptr;     // the code panel
  bool ttf = false;           // false: ImGui's built-in bitmap font (no TTF found)
  bool cjk = false;           // Chinese glyphs are in ui and caption
  std::string note;           // what was missing, for the status line
  std::string cjkMissing;     // Chinese text was asked for and cannot be drawn: why
};

// Clears the atlas and adds the fonts at `pixels`. `cjkTexts` are the strings
// whose Chinese characters must render (empty: no CJK face is loaded).
// The caller re-creates the GL font texture afterwards.
Fonts buildFonts(float pixels, const std::vector<std::string>& cjkTexts);

}  // namespace pollscope::viz
