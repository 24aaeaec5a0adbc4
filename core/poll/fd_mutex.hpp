// internal/poll's fdMutex: at most one reader and one writer inside the poller per
// FD, a reference count, and Close waiting for the last user. Same bit layout as Go.
#pragma once

#include <atomic>
#include <cstdint>

#include "runtime/sema.hpp"
#include "trace/event.hpp"

namespace pollscope::rt {
struct Engine;
}

namespace pollscope::poll {

class FdMutex {
 public:
  static constexpr uint64_t kClosed = 1ull << 0;
  static constexpr uint64_t kRLock = 1ull << 1;
  static constexpr uint64_t kWLock = 1ull << 2;
  static constexpr uint64_t kRef = 1ull << 3;
  static constexpr uint64_t kRefMask = ((1ull << 20) - 1) << 3;
  static constexpr uint64_t kRWait = 1ull << 23;
  static constexpr uint64_t kRMask = ((1ull << 20) - 1) << 23;
  static constexpr uint64_t kWWait = 1ull << 43;
  static constexpr uint64_t kWMask = ((1ull << 20) - 1) << 43;

  void setFd(int fd) { fd_ = fd; }
  bool incref();
  bool increfAndClose();  // marks closed and wakes every waiter
  bool decref();          // true when closed and this was the last reference
  bool rwlock(bool read);
  bool rwunlock(bool read);  // true when closed and this was the last reference
  uint64_t state() const { return state_.load(); }

 private:
  void emit(trace::FdMuOp op, uint64_t s);
  std::atomic<uint64_t> state_{0};
  rt::Sema rsema_;
  rt::Sema wsema_;
  int fd_ = -1;
};

}  // namespace pollscope::poll
