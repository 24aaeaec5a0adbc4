// Trace files: versioned JSON written as a stream and read with a SAX parser.
// The format is described in docs/trace-format.md and docs/trace.schema.json.
#pragma once

#include <cstdio>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <unordered_map>

#include "traceio/trace_model.hpp"

namespace pollscope::traceio {

// Streams a trace: header first, then events one per line as they come, then the
// site and goroutine tables (which grow while events are written).
class JsonTraceWriter {
 public:
  JsonTraceWriter(std::ostream& out, const TraceMeta& meta);
  void event(const trace::Event& e);
  void finish(const std::map<int64_t, std::string>& goroutines, const std::vector<StepInfo>& steps = {});

 private:
  int siteId(const trace::Site* s);
  std::ostream& out_;
  bool first_ = true;
  std::unordered_map<const trace::Site*, int> siteIds_;
  std::vector<const trace::Site*> sites_;
  std::string buf_;
};

void writeTrace(std::ostream& out, const TraceModel& model);
bool writeTraceFile(const std::string& path, const TraceModel& model, std::string* error);

// Reads a trace. On failure returns false and sets *error to one line naming the
// place (byte offset or events[i]) and the problem. Never throws for bad input.
struct ReadOptions {
  std::function<bool(double fraction)> progress;  // return false to cancel
};
bool readTrace(const std::string& text, TraceModel* out, std::string* error, const ReadOptions& opt = {});
bool readTraceFile(const std::string& path, TraceModel* out, std::string* error, const ReadOptions& opt = {});
// The careful reader alone, without the fast path (tests compare the two).
bool readTraceSaxOnly(const std::string& text, TraceModel* out, std::string* error);

}  // namespace pollscope::traceio
