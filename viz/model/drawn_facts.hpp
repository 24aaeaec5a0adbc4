// What a picture shows, for tests and for people reading the log: the views
// note while they draw a frame what they put on screen (DrawnFacts), and
// `--screenshot` / `--picture` print it as one "key: value" fact per line
// (drawnFactLines). Add a fact here: a field, and its line in drawn_facts.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pollscope::viz {

struct Viewer;

// Filled by the views during one frame (reset by drawViewer at its start).
struct DrawnFacts {
  // The sequence view: lifeline columns whose head is on screen and readable, of all.
  int lifelinesShown = -1, lifelinesTotal = -1;  // -1: the view was not drawn
  int threadLanes = 0;                           // M lanes drawn beside the lifelines
  bool horizontalScroll = false;                 // the diagram needs a horizontal scroll bar
  // The current event (the last one applied) and how the view on screen marks it.
  std::optional<uint64_t> currentSeq;
  bool currentDrawn = false;
  std::string currentMarker;  // "row", "cursor line", "edge", "node", "lane cursor"
  bool offSlide = false;      // a lesson's cursor is not on its slide's event
  void reset() { *this = DrawnFacts{}; }
  // A view marks the current event as drawn, saying how.
  void marked(const char* how) {
    currentDrawn = true;
    if (currentMarker.empty()) currentMarker = how;
  }
};

// The facts of the frame just drawn, one "key: value" per line.
std::vector<std::string> drawnFactLines(const Viewer& v);

}  // namespace pollscope::viz
