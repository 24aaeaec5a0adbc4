// Test harness: run code on a fresh traced Runtime and query what it recorded.
#pragma once

#include <sys/socket.h>

#include <functional>
#include <string>
#include <vector>

#include "analysis/lint.hpp"
#include "runtime/runtime.hpp"
#include "trace/fields.hpp"
#include "traceio/trace_model.hpp"

namespace pstest {

using pollscope::trace::Event;
using pollscope::trace::Kind;
using pollscope::traceio::TraceModel;

struct Run {
  int gomaxprocs = 1;
  bool throwsAsExceptions = false;
  bool sysmon = false;
};

// Runs `body` as the main goroutine and returns everything recorded.
TraceModel runTraced(const Run& cfg, const std::function<void()>& body);
inline TraceModel runTraced(const std::function<void()>& body) {
  return runTraced(Run{}, body);
}

// All events of kind K as named views into `t` (optionally filtered): `t` must outlive them.
template <Kind K>
std::vector<pollscope::trace::View<K>> eventsOf(const TraceModel& t,
                                                const std::function<bool(pollscope::trace::View<K>)>& pred = {}) {
  std::vector<pollscope::trace::View<K>> out;
  for (const auto& e : t.events)
    if (auto v = pollscope::trace::as<K>(e); v && (!pred || pred(*v))) out.push_back(*v);
  return out;
}

// "from->to:by" strings of every rg/wg transition of pd `pd` in mode 'r' or 'w'.
std::vector<std::string> semPath(const TraceModel& t, int64_t pd, char mode);

// The pd number that pd_open assigned to `fd` most recently before event index `before`
// (or anywhere when before is -1).
int64_t pdOfFd(const TraceModel& t, int fd);

// True when `needle` occurs in `hay` in order (not necessarily adjacent).
bool subsequence(const std::vector<std::string>& hay, const std::vector<std::string>& needle);

std::string lintReport(const TraceModel& t);  // empty when clean

// A connected pair of non-blocking, close-on-exec Unix stream sockets.
std::pair<int, int> socketPair();

std::string join(const std::vector<std::string>& v);

}  // namespace pstest
