// A runtime timer (Go's runtime.timer): what the timer heap orders and what a
// pollDesc arms for its read and write deadlines. Plain data, so the netpoll
// header can hold two without the runtime's internals.
#pragma once

#include <cstdint>

namespace pollscope::rt {

struct Timer {
  int64_t when = 0;
  void (*f)(void* arg, uintptr_t seq, int64_t delay) = nullptr;
  void* arg = nullptr;
  uintptr_t seq = 0;
  int heapIndex = -1;  // -1: not in the heap
};

}  // namespace pollscope::rt
