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

// Where the faces come from, one file per platform: app/font_files.cpp asks
// fontconfig on the desktop, web/fonts_web.cpp takes the faces bundled with the
// page. buildFonts (app/fonts.cpp) is the same everywhere.
//
// The best face for a pattern ("sans-serif", "monospace", "sans-serif:lang=zh-cn");
// none when there is no font file at all.
std::optional<FontFile> findFont(const char* pattern);
// Does the face found for Chinese really draw it? (fontconfig may fall back to a Latin face)
bool drawsChinese(const FontFile& f);
// What the status line says when a face is missing, in this platform's words.
struct FontNotes {
  const char* noTtf;    // no TTF at all: the built-in bitmap font
  const char* noCjk;    // Chinese asked for, no Chinese face
  const char* cjkFace;  // the Chinese face, as "beyond <cjkFace>" names it
};
const FontNotes& fontNotes();

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
