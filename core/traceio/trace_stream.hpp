// A trace written while its run goes on (streaming): the header at once, the
// events as the recorder's pump hands them over (trace::EventSink, in seq order),
// the tables at the end. Memory stays bounded however long the run lasts.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "trace/event_sink.hpp"
#include "traceio/trace_model.hpp"

namespace pollscope::traceio {

class TraceStream : public trace::EventSink {
 public:
  // The header and the steps table (known before the run, so a file cut short
  // has it too); before any event.
  virtual void begin(const TraceMeta& meta, const std::vector<StepInfo>& steps) = 0;
  // Writes the tables and closes the document. `partial` (not empty) says why the
  // trace stops early; a size cap or a write error adds its own note. Only the
  // first call writes (a second signal and the run's own end may both get here).
  virtual bool end(const std::map<int64_t, std::string>& goroutines, const std::string& partial,
                   std::string* error) = 0;
  virtual uint64_t eventsWritten() const = 0;
  // Why events stopped being written before the end (a cap, a write error); empty if they did not.
  virtual std::string stoppedEarly() const = 0;
};

// JSON to a file (the format of docs/trace-format.md), written in batches of
// whole event lines: a run killed at any moment leaves a file the reader loads up
// to its last complete event. `maxBytes` (0: no cap) stops writing events before
// the file would pass it; the note says so. nullptr with *error when the file
// cannot be created.
std::unique_ptr<TraceStream> openJsonTraceStream(const std::string& path, uint64_t maxBytes, std::string* error);

}  // namespace pollscope::traceio
