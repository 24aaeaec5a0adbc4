// Where a streaming recording goes: finished events, handed over in seq order
// while the run goes on (stream_pump.hpp). The engine knows only this interface;
// what a sink does with the events (a JSON file: core/traceio) is not its business.
#pragma once

#include <cstddef>

#include "trace/event.hpp"

namespace pollscope::trace {

class EventSink {
 public:
  virtual ~EventSink() = default;
  // `n` events in seq order, gap-free and continuing the previous call's. Called
  // from one thread at a time. The events are only valid during the call. Returns
  // false to stop recording (the sink is full or cannot write): no later event
  // will be handed over.
  virtual bool write(const Event* events, size_t n) = 0;
  // One drain is over: a good moment to push what is buffered out (a run killed
  // later loses at most what came after).
  virtual void flush() {}
};

}  // namespace pollscope::trace
