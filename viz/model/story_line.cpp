#include "model/story_line.hpp"

#include <algorithm>

#include "trace/fields.hpp"

namespace pollscope::viz {

void StoryIndex::extend(const traceio::TraceModel& t) {
  if (t.events.size() < scanned_ || t.steps.size() != stepsSeen_) {
    // Fewer events than indexed: another trace. New steps: ids may now resolve.
    size_t keepSteps = t.steps.size();
    clear();
    stepsSeen_ = keepSteps;
    for (size_t i = 0; i < t.steps.size(); ++i) byId_.emplace(t.steps[i].id, i);
  }
  for (; scanned_ < t.events.size(); ++scanned_) {
    auto step = trace::as<trace::Kind::step>(t.events[scanned_]);
    if (!step || step->phase() != trace::Phase::call) continue;
    auto it = byId_.find(step->step());
    if (it == byId_.end()) continue;
    const traceio::StepInfo& s = t.steps[it->second];
    if (s.sayEn.empty() && s.sayZh.empty()) continue;
    events_.push_back(static_cast<uint32_t>(scanned_));
    stepOf_.push_back(static_cast<uint32_t>(it->second));
  }
}

const traceio::StepInfo* StoryIndex::at(const traceio::TraceModel& t, size_t cursor, bool chinese) {
  extend(t);
  // The indexed events before the cursor, newest first; in English a step that
  // says something only in Chinese is passed over.
  auto end = std::lower_bound(events_.begin(), events_.end(), cursor);
  for (auto i = static_cast<size_t>(end - events_.begin()); i-- > 0;) {
    const traceio::StepInfo& s = t.steps[stepOf_[i]];
    if (!sayOf(s, chinese).empty()) return &s;
  }
  return nullptr;
}

}  // namespace pollscope::viz
