// The trace linter: replays a trace against the rg/wg and goroutine state
// machines (docs/go-netpoll.md §2-§4, §7) and names every illegal step.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "traceio/trace_model.hpp"

namespace pollscope::analysis {

struct LintIssue {
  uint64_t seq;
  size_t index;  // position in the trace's event vector
  std::string message;
};

std::vector<LintIssue> lint(const traceio::TraceModel& trace);

// Is (from -> to) a transition that function `by` can make? (docs/go-netpoll.md §2)
bool semTransitionAllowed(trace::SemState from, trace::SemState to, trace::SemBy by);
bool gstatusTransitionAllowed(trace::GStatus from, trace::GStatus to);

}  // namespace pollscope::analysis
