// Decodes a GIF with giflib and checks it is an animation: more than one frame,
// and frames that differ from the first (a GIF of one picture repeated is not).
// usage: check_gif FILE.gif WIDTH HEIGHT
#include <gif_lib.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: check_gif FILE.gif WIDTH HEIGHT\n");
    return 2;
  }
  int err = 0;
  GifFileType* gif = DGifOpenFileName(argv[1], &err);
  if (!gif) {
    std::printf("FAIL: cannot open %s: %s\n", argv[1], GifErrorString(err));
    return 1;
  }
  if (DGifSlurp(gif) != GIF_OK) {
    std::printf("FAIL: cannot decode %s: %s\n", argv[1], GifErrorString(gif->Error));
    return 1;
  }
  int w = std::atoi(argv[2]), h = std::atoi(argv[3]);
  bool ok = gif->SWidth == w && gif->SHeight == h && gif->ImageCount > 1;
  int differ = 0, delays = 0;
  const SavedImage& first = gif->SavedImages[0];
  for (int i = 0; i < gif->ImageCount; ++i) {
    const SavedImage& f = gif->SavedImages[i];
    if (f.ImageDesc.Width != w || f.ImageDesc.Height != h) ok = false;
    if (i > 0 && std::memcmp(f.RasterBits, first.RasterBits, static_cast<size_t>(w) * static_cast<size_t>(h)) != 0)
      ++differ;
    GraphicsControlBlock gcb;
    if (DGifSavedExtensionToGCB(gif, i, &gcb) == GIF_OK && gcb.DelayTime > 0) ++delays;
  }
  std::printf("gif %dx%d, %d frames, %d differ from the first, %d with a delay\n", gif->SWidth, gif->SHeight,
              gif->ImageCount, differ, delays);
  ok = ok && differ == gif->ImageCount - 1 && delays == gif->ImageCount;
  DGifCloseFile(gif, &err);
  std::printf(ok ? "gif checks out\n" : "FAIL\n");
  return ok ? 0 : 1;
}
