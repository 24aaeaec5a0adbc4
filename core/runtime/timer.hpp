// A runtime timer (Go's runtime.timer): what the timer heap orders and what a
// pollDesc arms for its read and write deadlines. Plain data, so the netpoll
// header can hold two without the runtime's internals.
#pragma once

#include <cstdint>

#include "trace/event.hpp"

namespace pollscope::rt {

struct Timer {
  int64_t when = 0;
  void (*f)(void* arg, uintptr_t seq, int64_t delay) = nullptr;
  void* arg = nullptr;
  uintptr_t seq = 0;
  int heapIndex = -1;  // -1: not in the heap
  // What the trace says about this timer (its `timer` events): whose it is.
  trace::TimerOwner owner = trace::TimerOwner::sleep;
  int64_t pd = 0;    // pollDesc id for rt/wt
  int64_t goid = 0;  // sleeping goroutine for sleep
};

}  // namespace pollscope::rt
