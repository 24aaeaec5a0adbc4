// The scenario's narration in force at a cursor: the `say` of the last scenario
// step begun before it (the presenter's caption shows it above the diagrams).
// A loop records a step event per iteration, most of them without a say, so
// walking back from the cursor crossed the whole trace on every frame (40 ms at
// 7.6M events); this index keeps only the step starts that say something.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "traceio/trace_model.hpp"

namespace pollscope::viz {

class StoryIndex {
 public:
  // The step whose say is in force once `cursor` events of `t` are applied, in
  // the language asked for (Chinese falls back to English); nullptr: none yet.
  // Events appended since the last call (a live run) are indexed first.
  const traceio::StepInfo* at(const traceio::TraceModel& t, size_t cursor, bool chinese);
  void clear() { *this = StoryIndex(); }  // another document

 private:
  void extend(const traceio::TraceModel& t);
  static const std::string& sayOf(const traceio::StepInfo& s, bool chinese) {
    return chinese && !s.sayZh.empty() ? s.sayZh : s.sayEn;
  }
  size_t scanned_ = 0;                        // events indexed so far
  size_t stepsSeen_ = 0;                      // t.steps.size() when byId_ was built
  std::unordered_map<int64_t, size_t> byId_;  // step id -> index into t.steps (the first with that id)
  std::vector<uint32_t> events_;              // step-call events whose step says something, in order
  std::vector<uint32_t> stepOf_;              // their steps (indices into t.steps)
};

}  // namespace pollscope::viz
