// What a rendered frame says, read back from ImGui's draw data: every glyph quad
// is matched to the glyph it samples from the font atlas, so the text on screen
// (menus, buttons, labels, narration) is known without OCR. A glyph the fonts
// lack is drawn as the font's fallback glyph (U+FFFD, see fonts.cpp) and counted.
#pragma once

#include <string>
#include <vector>

struct ImDrawData;

namespace pollscope::viz {

struct DrawnText {
  std::vector<std::string> lines;  // UTF-8, one per run of glyphs on one baseline, in drawing order
  int glyphs = 0;                  // glyph quads drawn
  int missing = 0;                 // of them, the fallback glyph: a character no font had
  bool fallbackKnown = true;       // false: the fallback is '?' itself (built-in font), `missing` counts '?' too
};

// Reads the frame ImGui::Render() just produced (valid until the next NewFrame).
DrawnText readDrawnText(const ImDrawData* data);

// How many characters of `texts` (UTF-8) the default font has no glyph for:
// strings not on screen now (menus, dialogs) are checked this way.
int glyphsMissingFrom(const std::vector<std::string>& texts);

}  // namespace pollscope::viz
