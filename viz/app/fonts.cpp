#include "app/fonts.hpp"

#include <fontconfig/fontconfig.h>

namespace pollscope::viz {

std::optional<FontFile> findFont(const char* pattern) {
  static FcConfig* config = FcInitLoadConfigAndFonts();
  if (!config) return std::nullopt;
  FcPattern* pat = FcNameParse(reinterpret_cast<const FcChar8*>(pattern));
  if (!pat) return std::nullopt;
  FcConfigSubstitute(config, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult result;
  FcPattern* match = FcFontMatch(config, pat, &result);
  FcPatternDestroy(pat);
  if (!match) return std::nullopt;
  std::optional<FontFile> out;
  FcChar8* file = nullptr;
  int index = 0;
  if (FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) {
    FcPatternGetInteger(match, FC_INDEX, 0, &index);
    std::string path = reinterpret_cast<const char*>(file);
    // Bitmap or Type 1 fonts are of no use to stb_truetype.
    if (path.size() > 4 && (path.ends_with(".ttf") || path.ends_with(".ttc") || path.ends_with(".otf")))
      out = FontFile{path, index};
  }
  FcPatternDestroy(match);
  return out;
}

namespace {
// Does fontconfig's CJK match really cover Chinese? (it may fall back to a Latin face)
bool coversChinese(const FontFile& f) {
  return f.path.find("CJK") != std::string::npos || f.path.find("wqy") != std::string::npos ||
         f.path.find("Droid") != std::string::npos || f.path.find("Han") != std::string::npos;
}

ImFont* addFace(ImFontAtlas* atlas, const FontFile& f, float px, const ImWchar* ranges, bool merge) {
  ImFontConfig cfg;
  cfg.FontNo = f.index;
  cfg.MergeMode = merge;
  cfg.OversampleH = merge ? 1 : 2;  // CJK glyphs are many: no horizontal oversampling
  cfg.PixelSnapH = merge;
  return atlas->AddFontFromFileTTF(f.path.c_str(), px, &cfg, ranges);
}
}  // namespace

Fonts buildFonts(float px, const std::vector<std::string>& cjkTexts) {
  ImGuiIO& io = ImGui::GetIO();
  ImFontAtlas* atlas = io.Fonts;
  atlas->Clear();
  Fonts out;
  auto sans = findFont("sans-serif");
  auto mono = findFont("monospace");
  std::optional<FontFile> cjk;
  if (!cjkTexts.empty()) {
    cjk = findFont("sans-serif:lang=zh-cn");
    if (cjk && !coversChinese(*cjk)) cjk.reset();
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
    out.note = "no TTF font found through fontconfig (install fonts-dejavu-core): using the built-in bitmap font";
  } else if (!cjkTexts.empty() && !cjk) {
    out.note = "no Chinese font found (install fonts-noto-cjk): Chinese text cannot be drawn";
    out.cjkMissing = "no Chinese font found (install fonts-noto-cjk)";
  }
  io.FontDefault = out.ui;
  return out;
}

}  // namespace pollscope::viz
