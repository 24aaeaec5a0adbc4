#include "model/drawn_facts.hpp"

#include <fmt/format.h>

#include "model/compare_run.hpp"
#include "model/viewer.hpp"

namespace pollscope::viz {

std::vector<std::string> drawnFactLines(const Viewer& v) {
  const DrawnFacts& d = v.drawn;
  std::vector<std::string> out;
  out.push_back(fmt::format("view: {}", viewInfo(v.view).name));
  if (v.compare) {
    // Runs side by side: each pane is a Viewer of its own that its views filled
    // while they drew it; its facts are said per pane ("pane 2 current event: ...").
    const auto& panes = v.compare->panes;
    out.push_back(fmt::format("panes: {}", panes.size()));
    for (size_t i = 0; i < panes.size(); ++i)
      for (const std::string& line : drawnFactLines(*panes[i].viewer))
        if (line.rfind("view: ", 0) != 0) out.push_back(fmt::format("pane {} {}", i + 1, line));
    if (v.lesson) out.push_back(fmt::format("off slide: {}", d.offSlide ? "yes" : "no"));
    return out;
  }
  if (d.lifelinesTotal >= 0) {
    out.push_back(fmt::format("lifelines shown: {} of {}", d.lifelinesShown, d.lifelinesTotal));
    out.push_back(fmt::format("thread lanes: {}", d.threadLanes));
    out.push_back(fmt::format("horizontal scroll: {}", d.horizontalScroll ? "yes" : "no"));
  }
  if (d.currentSeq)
    out.push_back(fmt::format("current event: {} (drawn: {})", *d.currentSeq, d.currentDrawn ? "yes" : "no"));
  else
    out.push_back("current event: none (drawn: no)");
  if (d.currentDrawn) out.push_back(fmt::format("current event marker: {}", d.currentMarker));
  if (v.lesson) out.push_back(fmt::format("off slide: {}", d.offSlide ? "yes" : "no"));
  if (v.selection.pd)
    out.push_back(fmt::format("selected: pd{}.{}g", v.selection.pd, v.selection.mode == 'w' ? 'w' : 'r'));
  if (v.selection.goroutine) out.push_back(fmt::format("selected goroutine: G{}", v.selection.goroutine));
  return out;
}

}  // namespace pollscope::viz
