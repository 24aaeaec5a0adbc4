// The viewer's state: the open document (a trace file, or a scenario running
// live), its replay and layouts, the selection shared by every view, the player
// (speed, breakpoints, bookmarks) and the window's dialogs.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/breakpoints.hpp"
#include "model/live_run.hpp"
#include "model/recent_files.hpp"
#include "model/replay.hpp"
#include "model/sequence_layout.hpp"
#include "model/timeline.hpp"
#include "model/trace_loader.hpp"
#include "traceio/trace_model.hpp"

namespace pollscope::viz {

enum class View { sequence, state, timeline, table };

// What is selected; every view shows it and every view can change it.
struct Selection {
  int64_t pd = 0;  // 0: none
  char mode = 'r';
  int64_t goroutine = 0;        // 0: none
  std::optional<size_t> event;  // an event picked in a view (details panel); none: the current one
};

struct ScenarioEntry {
  std::string path, name, title;
};

struct Viewer {
  // ---- the document
  std::string title, path;
  std::unique_ptr<traceio::TraceModel> trace;
  std::unique_ptr<Replay> replay;
  std::unique_ptr<SequenceLayout> sequence;
  std::unique_ptr<std::vector<Lane>> timeline;  // built the first time the view is shown
  std::unique_ptr<LiveRun> live;                // a scenario running now
  std::unique_ptr<TraceLoader> loader;          // a trace being read in the background
  bool liveFreeRun = false;                     // live: let the engine run without stopping

  // ---- views and selection
  Selection selection;
  View view = View::sequence;
  std::optional<View> requestedView;  // select this tab on the next frame
  bool followCursor = true;
  float zoom = 1.f;                   // sequence view
  std::set<int> collapsedGroups;      // analysis::SeqGroup values folded to one column
  std::string tableFilter;            // event table search text
  size_t tableScrolledTo = SIZE_MAX;  // the cursor the event table last scrolled to

  // ---- player
  bool playing = false;
  float speed = 4.f;      // events per second, or trace milliseconds per second in real time
  bool realTime = false;  // pace by the trace's own clock
  double playAccumulator = 0;
  std::vector<Breakpoint> breakpoints;
  Bookmarks bookmarks;

  // ---- window
  std::string status;        // the last action's message
  std::string errorMessage;  // non-empty: the error dialog shows it
  RecentFiles recent{RecentFiles::defaultStorePath()};
  std::string scenarioDir;               // where the scenario picker looks
  std::vector<ScenarioEntry> scenarios;  // filled the first time the picker opens
  bool openDialog = false;               // File > Open requested

  // Opens a file the way a user asked for it: a trace loads in the background,
  // a scenario starts running live. Errors go to the error dialog.
  void open(const std::string& file);
  // Loads at once (tests, screenshots): a trace, or a scenario run to its end.
  bool loadNow(const std::string& file, std::string* error);
  void startLive(scenario::Scenario s);
  void adopt(std::unique_ptr<traceio::TraceModel> t, std::string name);
  void adopt(Document d, std::string name);

  // Once per frame: takes a finished background load, copies live events, plays.
  void update(double dt);
  void stepForward();  // one event; live and at the newest event: lets the engine take one step
  void stepBack();
  void seek(size_t cursor);
  void selectDefaults();           // first pollDesc a goroutine parks on
  void selectEvent(size_t index);  // an event clicked in a view: seek there, select its G and pd
  const std::vector<ScenarioEntry>& scenarioList();

 private:
  void rebuildDerived(bool followNewest);
};

// Draws one frame of the whole window.
void drawViewer(Viewer& v, float width, float height);

}  // namespace pollscope::viz
