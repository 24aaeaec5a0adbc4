// The viewer's font atlas, the same on the desktop and in the page: a sans face
// for the UI (and 1.5x for the presenter's caption), a monospace face for code,
// and a Chinese face merged in for just the characters the texts on screen use
// (the full Chinese set costs a 4096^2 atlas). Where faces come from is the
// platform's (fonts.hpp: findFont).
#include "app/fonts.hpp"

#include <imgui_internal.h>  // ImTextCharFromUtf8, ImTextStrToUtf8

namespace pollscope::viz {
namespace {
ImFont* addFace(ImFontAtlas* atlas, const FontFile& f, float px, const ImWchar* ranges, bool merge) {
  ImFontConfig cfg;
  cfg.FontNo = f.index;
  cfg.MergeMode = merge;
  cfg.OversampleH = merge ? 1 : 2;  // CJK glyphs are many: no horizontal oversampling
  cfg.PixelSnapH = merge;
  return atlas->AddFontFromFileTTF(f.path.c_str(), px, &cfg, ranges);
}

// The first CJK character of `texts` that `font` cannot draw (0: none): a face cut
// to some characters (the page's) may lack those of a file from elsewhere.
ImWchar firstMissing(ImFont* font, const std::vector<std::string>& texts) {
  for (const auto& t : texts) {
    const char* s = t.c_str();
    const char* end = s + t.size();
    while (s < end) {
      unsigned int c = 0;
      int n = ImTextCharFromUtf8(&c, s, end);
      if (n <= 0) break;
      s += n;
      if (c >= 0x2E80 && c <= 0xFFEF && !font->FindGlyphNoFallback(static_cast<ImWchar>(c)))
        return static_cast<ImWchar>(c);
    }
  }
  return 0;
}
}  // namespace

Fonts buildFonts(float px, const std::vector<std::string>& cjkTexts) {
  ImGuiIO& io = ImGui::GetIO();
  ImFontAtlas* atlas = io.Fonts;
  atlas->Clear();
  Fonts out;
  const FontNotes& notes = fontNotes();
  auto sans = findFont("sans-serif");
  auto mono = findFont("monospace");
  std::optional<FontFile> cjk;
  if (!cjkTexts.empty()) {
    cjk = findFont("sans-serif:lang=zh-cn");
    if (cjk && !drawsChinese(*cjk)) cjk.reset();
  }
  // Latin, the arrows the diagrams use, and the CJK characters of the texts.
  static ImVector<ImWchar> latin, chinese;
  {
    ImFontGlyphRangesBuilder b;
    b.AddRanges(atlas->GetGlyphRangesDefault());
    for (ImWchar c : {0x2192, 0x2190, 0x2260, 0x2026, 0x2014, 0x2013, 0x00B7, 0x2022}) b.AddChar(c);
    // U+FFFD becomes ImGui's fallback glyph: a character no face has is drawn as
    // it, never as '?', so a picture's missing glyphs can be counted (drawn_text.hpp).
    b.AddChar(0xFFFD);
    latin.clear();
    b.BuildRanges(&latin);
  }
  if (cjk) {
    ImFontGlyphRangesBuilder b;
    for (const auto& t : cjkTexts) b.AddText(t.c_str());
    // Full-width punctuation the narration uses.
    b.AddRanges(atlas->GetGlyphRangesDefault());
    chinese.clear();
    b.BuildRanges(&chinese);
  }
  auto addUi = [&](float size) -> ImFont* {
    ImFont* f = addFace(atlas, *sans, size, latin.Data, false);
    // Noto CJK draws its ideographs small beside Latin capitals at the same pixel size.
    if (f && cjk) addFace(atlas, *cjk, size * 1.12f, chinese.Data, true);
    return f;
  };
  if (sans) {
    out.ui = addUi(px);
    out.caption = addUi(px * 1.5f);
    out.mono = mono ? addFace(atlas, *mono, px, latin.Data, false) : out.ui;
    out.ttf = out.ui != nullptr;
    out.cjk = cjk.has_value();
  }
  if (!out.ttf) {
    ImFontConfig cfg;
    cfg.SizePixels = 13.f;
    out.ui = out.caption = out.mono = atlas->AddFontDefault(&cfg);
    out.note = notes.noTtf;
  } else if (out.cjk) {
    // Built here to look the glyphs up; the renderer's texture upload then reuses it.
    atlas->Build();
    if (ImWchar c = firstMissing(out.ui, cjkTexts)) {
      out.cjk = false;
      char utf8[8] = {};
      ImTextStrToUtf8(utf8, sizeof utf8, &c, &c + 1);
      out.cjkMissing = std::string("this file's Chinese text (") + utf8 + " ...) is beyond " + notes.cjkFace;
    }
  } else if (!cjkTexts.empty()) {
    out.note = std::string(notes.noCjk) + ": Chinese text cannot be drawn";
    out.cjkMissing = notes.noCjk;
  }
  io.FontDefault = out.ui;
  return out;
}

}  // namespace pollscope::viz
