// A whole trace in memory: header, events and the tables they point into.
// The engine records into a Recorder; this model is what files, the linter, the
// narrator, exports and the viewer work on.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "trace/event.hpp"
#include "trace/recorder.hpp"

namespace pollscope::traceio {

// 2: `break` has `caller`; new kinds ready, evict, timer, mp, hook. Version 1
// traces are refused with a message naming both versions.
inline constexpr int kFormatVersion = 2;
inline constexpr const char* kFormatName = "pollscope-trace";

// One step of the scenario that produced the trace; `step` events refer to it by id.
struct StepInfo {
  int64_t id = 0;
  std::string goroutine;
  std::string path;  // "goroutines[0].steps[2]"
  std::string op;
  std::string sayEn;
  std::string sayZh;
};

struct TraceMeta {
  std::string engine = "pollscope";
  std::string engineVersion;
  std::string scenario;  // scenario name, empty for ad-hoc runs
  std::string titleEn;
  std::string titleZh;
  std::string descriptionEn;
  std::string descriptionZh;
  std::string backend;  // epoll / kqueue
  int gomaxprocs = 1;
  bool ring = false;         // recorded in flight-recorder mode: early events may be missing
  uint64_t overwritten = 0;  // events lost to the ring
  // Why the recording was cut short (a watchdog, a forced exit); empty when the
  // trace covers the whole run. Written as "partial" only when not empty.
  std::string partial;
  // Set by the reader, never written: the file stops mid-document (a streamed
  // trace whose run was killed or crashed), where, and what is missing. The
  // complete events before that point are loaded; `partial` says it too.
  std::string cut;
};

struct TraceModel {
  TraceModel() = default;
  TraceModel(TraceModel&&) = default;  // events keep pointing into the moved site storage
  TraceModel& operator=(TraceModel&&) = default;
  TraceModel(const TraceModel&) = delete;
  TraceModel& operator=(const TraceModel&) = delete;

  TraceMeta meta;
  std::vector<trace::Event> events;
  std::map<int64_t, std::string> goroutines;  // id -> name
  std::vector<StepInfo> steps;                // scenario steps, by id

  // Storage for sites of loaded traces (engine sites are static and not copied).
  const trace::Site* internSite(const std::string& file, int line, const std::string& goFunc,
                                const std::string& cppFunc);

 private:
  std::deque<trace::Site> ownedSites_;
  std::deque<std::string> ownedStrings_;
};

}  // namespace pollscope::traceio
