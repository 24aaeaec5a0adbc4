// Trace files: versioned JSON written as a stream and read with a SAX parser.
// The format is described in docs/trace-format.md and docs/trace.schema.json.
#pragma once

#include <cstdio>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <unordered_map>

#include "traceio/event_line.hpp"
#include "traceio/trace_model.hpp"

namespace pollscope::traceio {

// Streams a trace: header first, then events one per line as they come, then the
// site and goroutine tables (which grow while events are written).
class JsonTraceWriter {
 public:
  JsonTraceWriter(std::ostream& out, const TraceMeta& meta);
  // Streaming: the steps table goes before the events (it is known before the
  // run), so a file cut short still has it; finish() then writes none.
  JsonTraceWriter(std::ostream& out, const TraceMeta& meta, const std::vector<StepInfo>& stepsFirst);
  void event(const trace::Event& e);
  // The same line appended to `out` instead of the stream: a streamed run's writer
  // batches the lines itself and writes them where the stream's events go.
  void event(const trace::Event& e, ByteBuffer& out);
  // `trailingPartial`: a streamed trace's note on why it stops early, written after
  // the tables because its header went out first (docs/trace-format.md).
  size_t siteCount() const { return sites_.size(); }
  void finish(const std::map<int64_t, std::string>& goroutines, const std::vector<StepInfo>& steps = {},
              const std::string& trailingPartial = "");

 private:
  int siteId(const trace::Site* s);
  void writeSteps(const std::vector<StepInfo>& steps);
  std::ostream& out_;
  bool first_ = true;
  bool stepsWritten_ = false;
  std::unordered_map<const trace::Site*, int> siteIds_;
  std::vector<const trace::Site*> sites_;
  const trace::Site* lastSite_ = nullptr;  // consecutive events often share a site: one look-up
  int lastSiteId_ = -1;
  EventLineFormatter lines_;
  ByteBuffer buf_;
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
