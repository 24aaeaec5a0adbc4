// Fonts for the web page: app/fonts.hpp's interface over the faces bundled with
// the page (fontconfig does not exist in a browser). DejaVu Sans and Sans Mono
// for Latin text and code; for Chinese, a subset of Noto Sans CJK SC holding
// exactly the characters of the bundled lessons, golden traces and UI
// (make web computes it with the viewer's own chineseTexts()). A file with other
// Chinese text cannot be drawn with it: buildFonts (app/fonts.cpp, shared with the
// desktop) says so, and the viewer narrates in English.
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

bool drawsChinese(const FontFile&) {
  return true;  // the page's own face, cut from Noto Sans CJK SC
}

const FontNotes& fontNotes() {
  static const FontNotes notes{"the page's fonts are missing: using the built-in bitmap font",
                               "the page's Chinese font is missing",
                               "the page's Chinese font, which holds the bundled lessons' characters only"};
  return notes;
}

}  // namespace pollscope::viz
