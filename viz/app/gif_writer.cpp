#include "app/gif_writer.hpp"

#include <gif_lib.h>

#include <algorithm>
#include <array>
#include <climits>

namespace pollscope::viz {

namespace {
constexpr int kBins = 32 * 32 * 32;  // 5 bits per channel

int binOf(const uint8_t* px) {
  return ((px[0] >> 3) << 10) | ((px[1] >> 3) << 5) | (px[2] >> 3);
}

// The 256 most used colours of every frame (a UI has few: flat fills and the
// anti-aliased edges of its text), and for every bin the nearest of them.
struct Palette {
  std::vector<GifColorType> colours;
  std::vector<uint8_t> nearest = std::vector<uint8_t>(kBins);
};

Palette buildPalette(const std::vector<GifFrame>& frames) {
  std::vector<uint32_t> count(kBins, 0);
  for (const auto& f : frames)
    for (size_t i = 0; i + 3 < f.rgba.size(); i += 4) ++count[binOf(&f.rgba[i])];
  std::vector<int> used;
  for (int b = 0; b < kBins; ++b)
    if (count[b]) used.push_back(b);
  std::sort(used.begin(), used.end(), [&](int a, int b) { return count[a] > count[b]; });
  used.resize(std::min<size_t>(used.size(), 256));
  Palette p;
  for (int b : used) {
    auto ch = [&](int shift) { return static_cast<GifByteType>((((b >> shift) & 31) << 3) | 4); };
    p.colours.push_back({ch(10), ch(5), ch(0)});
  }
  while (p.colours.size() < 256) p.colours.push_back({0, 0, 0});  // GIF palettes have 2^n entries
  for (int b = 0; b < kBins; ++b) {
    int r = ((b >> 10) & 31) << 3, g = ((b >> 5) & 31) << 3, bl = (b & 31) << 3;
    int best = 0, bestD = INT_MAX;
    for (size_t i = 0; i < used.size(); ++i) {
      const auto& c = p.colours[i];
      int dr = r + 4 - c.Red, dg = g + 4 - c.Green, db = bl + 4 - c.Blue;
      int d = 2 * dr * dr + 4 * dg * dg + 3 * db * db;  // green weighs most for the eye
      if (d < bestD) bestD = d, best = static_cast<int>(i);
    }
    p.nearest[b] = static_cast<uint8_t>(best);
  }
  return p;
}

std::string gifError(const char* what, int code) {
  const char* s = GifErrorString(code);
  return std::string(what) + ": " + (s ? s : "giflib error " + std::to_string(code));
}
}  // namespace

bool writeGif(const std::string& path, int width, int height, const std::vector<GifFrame>& frames, std::string* error) {
  if (frames.empty()) {
    *error = "no frames to write";
    return false;
  }
  for (const auto& f : frames)
    if (f.rgba.size() != static_cast<size_t>(width) * static_cast<size_t>(height) * 4) {
      *error = "a frame is not " + std::to_string(width) + "x" + std::to_string(height);
      return false;
    }
  Palette pal = buildPalette(frames);
  int err = 0;
  GifFileType* gif = EGifOpenFileName(path.c_str(), false, &err);
  if (!gif) {
    *error = gifError(("cannot write " + path).c_str(), err);
    return false;
  }
  ColorMapObject* map = GifMakeMapObject(256, pal.colours.data());
  bool ok = map && EGifPutScreenDesc(gif, width, height, 8, 0, map) == GIF_OK;
  GifFreeMapObject(map);
  EGifSetGifVersion(gif, true);  // GIF89a: delays and the loop
  // NETSCAPE2.0: loop for ever.
  static const GifByteType netscape[] = {'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0'};
  static const GifByteType loop[] = {1, 0, 0};
  ok = ok && EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE) == GIF_OK &&
       EGifPutExtensionBlock(gif, sizeof netscape, netscape) == GIF_OK &&
       EGifPutExtensionBlock(gif, sizeof loop, loop) == GIF_OK && EGifPutExtensionTrailer(gif) == GIF_OK;
  std::vector<GifPixelType> line(static_cast<size_t>(width));
  for (size_t fi = 0; ok && fi < frames.size(); ++fi) {
    GraphicsControlBlock gcb{};
    gcb.DisposalMode = DISPOSE_DO_NOT;
    gcb.DelayTime = frames[fi].delayCs;
    gcb.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType ext[4];
    size_t n = EGifGCBToExtension(&gcb, ext);
    ok = EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(n), ext) == GIF_OK &&
         EGifPutImageDesc(gif, 0, 0, width, height, false, nullptr) == GIF_OK;
    const uint8_t* px = frames[fi].rgba.data();
    for (int y = 0; ok && y < height; ++y) {
      for (int x = 0; x < width; ++x, px += 4) line[static_cast<size_t>(x)] = pal.nearest[binOf(px)];
      ok = EGifPutLine(gif, line.data(), width) == GIF_OK;
    }
  }
  int code = gif->Error;
  if (EGifCloseFile(gif, &err) != GIF_OK && ok) {
    ok = false;
    code = err;
  }
  if (!ok) *error = gifError(("cannot write " + path).c_str(), code);
  return ok;
}

}  // namespace pollscope::viz
