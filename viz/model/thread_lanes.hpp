// The M lanes of the sequence view: which thread (M) recorded each event, so
// which M ran which goroutine, and when an M slept in a blocking netpoll
// (epoll_wait with a timeout). Built from the events' own m/g fields; kinds it
// does not know are just events some M recorded. No ImGui here.
#pragma once

#include <cstddef>
#include <vector>

#include "traceio/trace_model.hpp"

namespace pollscope::viz {

struct ThreadSleep {
  int m;
  size_t fromEvent, toEvent;  // the blocking poll_enter .. its poll_exit (events.size(): still asleep)
};

struct ThreadLanesModel {
  std::vector<int> ms;  // every M that recorded an event, ascending
  std::vector<ThreadSleep> sleeps;
  size_t events = 0;  // how many events it was built from (a live trace grows)
  // The lane of M `m` (its index in ms), or -1.
  int laneOf(int m) const;
};

ThreadLanesModel buildThreadLanes(const traceio::TraceModel& t);

}  // namespace pollscope::viz
