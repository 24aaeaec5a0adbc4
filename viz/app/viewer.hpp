// The viewer's state: the loaded trace, its replay and layouts, the selection
// shared by every view, and the player.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "model/replay.hpp"
#include "model/sequence_layout.hpp"
#include "model/timeline.hpp"
#include "traceio/trace_model.hpp"

namespace pollscope::viz {

enum class View { sequence, state, timeline, table };

struct Selection {
  int64_t pd = 0;  // 0: none
  char mode = 'r';
  int64_t goroutine = 0;
};

struct Viewer {
  std::string title;
  std::unique_ptr<traceio::TraceModel> trace;
  std::unique_ptr<Replay> replay;
  std::unique_ptr<SequenceLayout> sequence;
  std::unique_ptr<std::vector<Lane>> timeline;  // built the first time the view is shown
  Selection selection;
  View view = View::sequence;
  std::optional<View> requestedView;  // select this tab on the next frame
  bool playing = false;
  float speed = 4.f;  // events per second
  double playAccumulator = 0;
  bool followCursor = true;
  std::string status;                 // the last export's message
  size_t tableScrolledTo = SIZE_MAX;  // the cursor the event table last scrolled to

  // Loads a trace file, or runs a scenario file and replays what it recorded.
  bool load(const std::string& path, std::string* error);
  void adopt(std::unique_ptr<traceio::TraceModel> t, std::string name);
  void tick(double dt);   // advance while playing
  void selectDefaults();  // first pollDesc a goroutine parks on
};

// Draws one frame of the whole window.
void drawViewer(Viewer& v, float width, float height);

}  // namespace pollscope::viz
