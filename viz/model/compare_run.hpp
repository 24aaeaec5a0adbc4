// Two or three runs side by side (pollscope-gui --compare A B [C], a lesson's
// compare slide): each pane is a Viewer of its own (its trace, replay, layouts,
// selection), all aligned on one event (model/compare_align.hpp) and stepped
// together: the panes' cursors stay at the same distance from their anchors.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/compare_align.hpp"
#include "model/viewer.hpp"

namespace pollscope::viz {

struct ComparePane {
  std::unique_ptr<Viewer> viewer;
  size_t anchor = 0;  // the cursor that shows the aligned event
};

struct Comparison {
  std::vector<ComparePane> panes;
  std::string rule = kAlignRules[0].name;
  long offset = 0;  // events after the anchors (negative: before)
  double playAccumulator = 0;

  static constexpr size_t kMinPanes = 2, kMaxPanes = 3;

  // How far back and forward the panes can step together (some pane still moves).
  long minOffset() const;
  long maxOffset() const;
  void seekOffset(long to);  // clamped; every pane's cursor = its anchor + offset, clamped to its run
  void step(int by) { seekOffset(offset + by); }
  // Aligns again on another rule (false, with the reason, if a pane lacks its event).
  bool realign(const std::string& ruleName, std::string* error);
};

// Opens 2 or 3 traces or scenarios (a scenario runs to its end on the engine)
// as v's comparison, aligned on `ruleName`, at the anchors. The panes take v's
// language, scenario folder and classroom settings. On failure v is unchanged.
bool openComparison(Viewer& v, const std::vector<std::string>& files, const std::string& ruleName, std::string* error);

}  // namespace pollscope::viz
