// The web page has no giflib (Debian ships it for the host only): render.cpp's
// writeGifFile() links against this, and a GIF asked for in the browser fails
// with its reason instead of a broken file.
#include "app/gif_writer.hpp"

namespace pollscope::viz {

bool writeGif(const std::string&, int, int, const std::vector<GifFrame>&, std::string* error) {
  if (error) *error = "animated GIFs are made by the desktop viewer (pollscope-gui --gif); the web page has no giflib";
  return false;
}

}  // namespace pollscope::viz
