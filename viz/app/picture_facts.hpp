// What a --screenshot or --picture shows, printed to stderr one fact a line as
// "key: value", for tests and for people reading the log. Every fact line the
// viewer prints is written here.
#pragma once

#include <cstdio>
#include <string>

#include "app/drawn_text.hpp"
#include "model/viewer.hpp"

namespace pollscope::viz {

struct FrameFacts {
  DrawnText text;        // what the frame says (readDrawnText)
  bool menuBar = false;  // the frame has the menu bar
};

// The facts of the frame just rendered; `drawnTextFile`, if not empty, also gets
// every line of text the frame shows (the Chinese-UI test reads it).
void printPictureFacts(const Viewer& v, const FrameFacts& f, const std::string& drawnTextFile);

}  // namespace pollscope::viz
