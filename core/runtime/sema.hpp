// A runtime semaphore (Go's runtime_Semacquire/Semrelease) that parks goroutines.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

namespace pollscope::rt {
struct G;

// A lock with no owner thread, like Go's runtime mutex: Sema locks it on the
// goroutine and unlocks it on g0 after the park (parkunlock), which a std::mutex
// must not do.
class SpinLock {
 public:
  void lock() {
    while (flag_.test_and_set(std::memory_order_acquire)) std::this_thread::yield();
  }
  // Touches nothing after the release: the lock may live in a goroutine's frame
  // that is gone as soon as a waker can run it.
  void unlock() { flag_.clear(std::memory_order_release); }

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
