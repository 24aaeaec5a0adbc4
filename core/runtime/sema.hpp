// A runtime semaphore (Go's runtime_Semacquire/Semrelease) that parks goroutines.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>

namespace pollscope::rt {
struct G;

// A lock with no owner thread, like Go's runtime mutex: Sema locks it on the
// goroutine and unlocks it on g0 after the park (parkunlock), which a std::mutex
// must not do.
class SpinLock {
 public:
  void lock() {
    while (flag_.test_and_set(std::memory_order_acquire)) flag_.wait(true, std::memory_order_relaxed);
  }
  void unlock() {
    flag_.clear(std::memory_order_release);
    flag_.notify_one();
  }

 private:
  std::atomic_flag flag_ = ATOMIC_FLAG_INIT;
};

class Sema {
 public:
  void acquire();  // from a goroutine: takes a unit or parks until one is released
  void release();  // hands a unit to the oldest waiter, or banks it

 private:
  SpinLock mu_;
  uint32_t count_ = 0;
  std::deque<G*> waiters_;
};

}  // namespace pollscope::rt
