// Animated GIFs for handouts (--gif, Classroom > Save animated GIF), written with
// Debian's giflib. Frames are RGBA pictures of one size; one 256-colour palette
// (the most used colours of all frames, 5 bits a channel) serves every frame,
// each pixel mapped to its nearest entry. No GL here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pollscope::viz {

struct GifFrame {
  std::vector<uint8_t> rgba;  // width * height * 4, top row first
  int delayCs = 100;          // how long it shows, in hundredths of a second
};

// Writes the frames as a looping GIF; false with the reason in `error`.
bool writeGif(const std::string& path, int width, int height, const std::vector<GifFrame>& frames, std::string* error);

}  // namespace pollscope::viz
