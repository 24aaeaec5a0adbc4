#include "app/drawn_text.hpp"

#include <imgui.h>
#include <imgui_internal.h>  // ImTextCharFromUtf8

#include <cmath>
#include <map>
#include <utility>

namespace pollscope::viz {

namespace {
void appendUtf8(std::string& s, unsigned c) {
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
}

struct GlyphRef {
  unsigned codepoint;
  bool fallback;
  float size;    // the font's size: a gap wider than a fifth of it is a space
  float y0, y1;  // the glyph's top and bottom below the line's top, at that size
};
}  // namespace

DrawnText readDrawnText(const ImDrawData* data) {
  DrawnText out;
  if (!data || !data->Valid) return out;
  // Every glyph's top-left texture coordinate names it: glyphs are packed apart in the atlas.
  std::map<std::pair<float, float>, GlyphRef> byUv;
  for (const ImFont* font : ImGui::GetIO().Fonts->Fonts) {
    if (font->FallbackChar == '?') out.fallbackKnown = false;
    for (const ImFontGlyph& g : font->Glyphs) {
      if (!g.Visible) continue;
      bool fallback = font->FallbackGlyph && g.U0 == font->FallbackGlyph->U0 && g.V0 == font->FallbackGlyph->V0;
      byUv.emplace(std::make_pair(g.U0, g.V0), GlyphRef{g.Codepoint, fallback, font->FontSize, g.Y0, g.Y1});
    }
  }
  for (int l = 0; l < data->CmdListsCount; ++l) {
    const ImDrawList* list = data->CmdLists[l];
    std::string line;
    float lastTop = -1e9f, lastX1 = -1e9f;
    auto flush = [&] {
      if (!line.empty()) out.lines.push_back(std::move(line));
      line.clear();
    };
    // A glyph is a quad of four vertices whose first carries the glyph's top-left UV.
    for (int i = 0; i + 2 < list->VtxBuffer.Size; ++i) {
      const ImDrawVert& a = list->VtxBuffer[i];
      auto it = byUv.find({a.uv.x, a.uv.y});
      if (it == byUv.end()) continue;
      const ImDrawVert& c = list->VtxBuffer[i + 2];  // the opposite corner
      const GlyphRef& g = it->second;
      ++out.glyphs;
      if (g.fallback) ++out.missing;
      // Text may be drawn smaller than its font (the phase strip): scale by the quad.
      float scale = g.y1 > g.y0 ? (c.pos.y - a.pos.y) / (g.y1 - g.y0) : 1.f;
      float size = g.size * scale;
      float top = a.pos.y - g.y0 * scale;  // the line's top: the same for '_' and 'l'
      // A new line when the line's top moves or the pen goes back; a space for a wide gap.
      if (std::abs(top - lastTop) > size * 0.3f || a.pos.x < lastX1 - 1.f) {
        flush();
      } else if (a.pos.x - lastX1 > size * 0.18f) {
        line += ' ';
      }
      appendUtf8(line, g.codepoint);
      lastTop = top;
      lastX1 = c.pos.x;
      i += 3;
    }
    flush();
  }
  return out;
}

int glyphsMissingFrom(const std::vector<std::string>& texts) {
  const ImFont* font = ImGui::GetIO().FontDefault;
  if (!font) font = ImGui::GetFont();
  int missing = 0;
  for (const auto& t : texts) {
    const char* p = t.c_str();
    const char* end = p + t.size();
    while (p < end) {
      unsigned c = 0;
      int n = ImTextCharFromUtf8(&c, p, end);
      if (n <= 0) break;
      p += n;
      if (c >= 0x20 && c != 0x3000 && !font->FindGlyphNoFallback(static_cast<ImWchar>(c))) ++missing;
    }
  }
  return missing;
}

}  // namespace pollscope::viz
