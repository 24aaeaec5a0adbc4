// A runtime semaphore (Go's runtime_Semacquire/Semrelease) that parks goroutines.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>

namespace pollscope::rt {
struct G;

class Sema {
 public:
  void acquire();  // from a goroutine: takes a unit or parks until one is released
  void release();  // hands a unit to the oldest waiter, or banks it

 private:
  std::mutex mu_;
  uint32_t count_ = 0;
  std::deque<G*> waiters_;
};

}  // namespace pollscope::rt
