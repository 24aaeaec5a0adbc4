// The user operations of a trace (Read, Write, Accept...), each with every event
// that belongs to it: the goroutine's own events between call and return, and the
// events other threads recorded for it while it was parked (gopark's commit, the
// netpoll cycle that found its fd ready, its wake-up and injection).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "trace/event.hpp"
#include "traceio/trace_model.hpp"

namespace pollscope::exporting {

struct UserOpRun {
  int64_t g = 0;
  trace::UserOp op = trace::UserOp::read;
  size_t call = 0;             // index of the user call event
  std::optional<size_t> ret;   // index of its return, if recorded
  std::vector<size_t> events;  // ascending, call and return included
};

std::vector<UserOpRun> collectUserOps(const traceio::TraceModel& t, const std::vector<size_t>& events);

}  // namespace pollscope::exporting
