// The desktop's faces: fontconfig's matches (app/fonts.hpp; the page has its own,
// web/fonts_web.cpp).
#include <fontconfig/fontconfig.h>

#include "app/fonts.hpp"

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

// fontconfig's match for lang=zh may be a Latin face: only these families draw Chinese.
bool drawsChinese(const FontFile& f) {
  return f.path.find("CJK") != std::string::npos || f.path.find("wqy") != std::string::npos ||
         f.path.find("Droid") != std::string::npos || f.path.find("Han") != std::string::npos;
}

const FontNotes& fontNotes() {
  static const FontNotes notes{
      "no TTF font found through fontconfig (install fonts-dejavu-core): using the built-in bitmap font",
      "no Chinese font found (install fonts-noto-cjk)", "the Chinese font fontconfig found"};
  return notes;
}

}  // namespace pollscope::viz
