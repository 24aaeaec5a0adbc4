// Fonts for the web page: app/fonts.hpp's interface over the faces bundled with
// the page (fontconfig does not exist in a browser). DejaVu Sans and Sans Mono
// for Latin text and code; for Chinese, a subset of Noto Sans CJK SC holding
// exactly the characters of the bundled lessons, golden traces and UI
// (make web computes it with the viewer's own chineseTexts()). A file with other
// Chinese text cannot be drawn with it: buildFonts says so, and the viewer
// narrates in English, as the desktop does without a Chinese font.
#include <imgui.h>
#include <imgui_internal.h>  // ImTextCharFromUtf8, ImTextStrToUtf8

#include <filesystem>

#include "app/fonts.hpp"
#include "web/web_paths.hpp"

namespace pollscope::viz {

std::optional<FontFile> findFont(const char* pattern) {
  std::string p = pattern;
  const char* file = p.starts_with("monospace")               ? kWebMonoFont
                     : p.find("lang=zh") != std::string::npos ? kWebCjkFont
                                                              : kWebSansFont;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  return FontFile{file, 0};
}

namespace {
ImFont* addFace(ImFontAtlas* atlas, const FontFile& f, float px, const ImWchar* ranges, bool merge) {
  ImFontConfig cfg;
  cfg.FontNo = f.index;
  cfg.MergeMode = merge;
  cfg.OversampleH = merge ? 1 : 2;
  cfg.PixelSnapH = merge;
  return atlas->AddFontFromFileTTF(f.path.c_str(), px, &cfg, ranges);
}

// The first character of `texts` that `font` cannot draw (0: none).
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
  auto sans = findFont("sans-serif");
  auto mono = findFont("monospace");
  auto cjk = cjkTexts.empty() ? std::nullopt : findFont("sans-serif:lang=zh-cn");
  static ImVector<ImWchar> latin, chinese;
  {
    ImFontGlyphRangesBuilder b;
    b.AddRanges(atlas->GetGlyphRangesDefault());
    for (ImWchar c : {0x2192, 0x2190, 0x2260, 0x2026, 0x2014, 0x2013, 0x00B7, 0x2022}) b.AddChar(c);
    latin.clear();
    b.BuildRanges(&latin);
  }
  if (cjk) {
    ImFontGlyphRangesBuilder b;
    for (const auto& t : cjkTexts) b.AddText(t.c_str());
    b.AddRanges(atlas->GetGlyphRangesDefault());
    chinese.clear();
    b.BuildRanges(&chinese);
  }
  auto addUi = [&](float size) -> ImFont* {
    ImFont* f = addFace(atlas, *sans, size, latin.Data, false);
    if (f && cjk) addFace(atlas, *cjk, size * 1.12f, chinese.Data, true);  // as app/fonts.cpp
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
    out.note = "the page's fonts are missing: using the built-in bitmap font";
  } else if (out.cjk) {
    // The subset holds what the bundled files need; a file of the student's own may need more.
    atlas->Build();
    if (ImWchar c = firstMissing(out.ui, cjkTexts)) {
      out.cjk = false;
      char utf8[8] = {};
      ImTextStrToUtf8(utf8, sizeof utf8, &c, &c + 1);
      out.cjkMissing = std::string("this file's Chinese text (") + utf8 +
                       " ...) is beyond the page's Chinese font, which holds the bundled lessons' characters only";
    }
  } else if (!cjkTexts.empty()) {
    out.cjkMissing = "the page's Chinese font is missing";
  }
  io.FontDefault = out.ui;
  return out;
}

}  // namespace pollscope::viz
