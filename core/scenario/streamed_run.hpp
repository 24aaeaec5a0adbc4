// A run whose trace is streamed (RunOptions::stream): starts the recorder's pump
// into the stream, applies the run's own rule on the way (the program ends when
// main's goroutine is dead, as a Go program exits when main returns: what the
// engine's threads record while they stop is not part of the trace) and keeps
// the ids of the goroutines created, for the goroutine table written at the end.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "trace/recorder.hpp"
#include "trace/stream_pump.hpp"
#include "traceio/trace_stream.hpp"

namespace pollscope::scenario::runner {

class StreamedRun : public trace::EventSink {
 public:
  // The stream's header must be written (begin) before: the pump starts here.
  StreamedRun(trace::Recorder& rec, traceio::TraceStream& out);
  bool write(const trace::Event* events, size_t n) override;
  void flush() override { out_.flush(); }

  // Drains what is left (up to the first event not published yet, when threads
  // still run) and closes the trace. Thread-safe; only the first call writes.
  bool end(const std::function<std::string(int64_t goid)>& nameOf, const std::string& partial, std::string* error);

 private:
  traceio::TraceStream& out_;
  std::vector<int64_t> created_;  // goroutine ids of g_create events, by the pump's thread
  bool mainDone_ = false;
  trace::StreamPump pump_;  // last: it starts calling write() once constructed
};

}  // namespace pollscope::scenario::runner
