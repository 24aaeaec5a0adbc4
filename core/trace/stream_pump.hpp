// The streaming recording's consumer: a thread that drains a streaming Recorder
// into an EventSink every few milliseconds while the run goes on, so the chunks
// go back to the pool and memory stays bounded however long the run lasts.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "trace/event_sink.hpp"
#include "trace/recorder.hpp"

namespace pollscope::trace {

class StreamPump {
 public:
  // `rec` must record with Options::streaming; both must outlive the pump.
  StreamPump(Recorder& rec, EventSink& sink, int periodMs = 5);
  ~StreamPump();  // finish()
  StreamPump(const StreamPump&) = delete;
  StreamPump& operator=(const StreamPump&) = delete;

  // Stops the thread and drains what is left, up to the first event a thread has
  // not published (every event, once the recording threads have stopped).
  // Idempotent and thread-safe; the sink gets nothing after it returns.
  void finish();

 private:
  void loop(int periodMs);
  Recorder& rec_;
  EventSink& sink_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::mutex finishMu_;
  bool finished_ = false;  // under finishMu_
  std::thread thread_;
};

}  // namespace pollscope::trace
