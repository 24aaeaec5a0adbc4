// Timeline lanes (no GL): for each goroutine the spans of its status, for each
// pollDesc semaphore the spans of its rg/wg value, and each netpoll call, all
// in event-index units so a click maps straight back to a cursor.
#pragma once

#include <string>
#include <vector>

#include "traceio/trace_model.hpp"

namespace pollscope::viz {

struct Span {
  size_t from, to;  // event indices [from, to)
  int state;        // GStatus or SemState value; for netpoll lanes 1 = blocking, 0 = non-blocking
};

struct Lane {
  enum class Kind { goroutine, semaphore, netpoll } kind;
  std::string label;  // "G2 server", "pd3 rg (fd 7)", "M0 netpoll"
  int64_t id = 0;     // goroutine id, pd, or M
  char mode = 0;      // 'r' / 'w' for semaphores
  std::vector<Span> spans;
};

std::vector<Lane> buildTimeline(const traceio::TraceModel& t);

}  // namespace pollscope::viz
