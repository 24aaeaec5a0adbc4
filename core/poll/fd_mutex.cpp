#include "poll/fd_mutex.hpp"

#include <cstdio>
#include <cstdlib>

#include "runtime/internal.hpp"

namespace pollscope::poll {
using trace::FdMuOp;
using trace::Kind;

namespace {
[[noreturn]] void inconsistent() {
  std::fprintf(stderr, "panic: inconsistent poll.fdMutex\n");
  std::abort();
}
[[noreturn]] void overflow() {
  std::fprintf(stderr, "panic: too many concurrent operations on a single file or socket (max 1048575)\n");
  std::abort();
}
}  // namespace

void FdMutex::emit(FdMuOp op, uint64_t s) {
  PS_EMIT(rt::currentEngine(), Kind::fdmu, "internal/poll.(*fdMutex)", fd_, op,
          static_cast<int64_t>((s & kRefMask) >> 3), (s & kRLock) != 0, (s & kWLock) != 0, (s & kClosed) != 0,
          static_cast<int64_t>((s & kRMask) >> 23), static_cast<int64_t>((s & kWMask) >> 43));
}

bool FdMutex::incref() {
  for (;;) {
    uint64_t old = state_.load();
    if (old & kClosed) return false;
    uint64_t next = old + kRef;
    if ((next & kRefMask) == 0) overflow();
    if (state_.compare_exchange_weak(old, next)) {
      emit(FdMuOp::incref, next);
      return true;
    }
  }
}

bool FdMutex::increfAndClose() {
  for (;;) {
    uint64_t old = state_.load();
    if (old & kClosed) return false;
    // Mark as closed and acquire a reference.
    uint64_t next = (old | kClosed) + kRef;
    if ((next & kRefMask) == 0) overflow();
    // Remove all read and write waiters.
    next &= ~(kRMask | kWMask);
    if (state_.compare_exchange_weak(old, next)) {
      emit(FdMuOp::increfAndClose, next);
      // Wake all read and write waiters; they observe the closed flag after wakeup.
      while (old & kRMask) {
        old -= kRWait;
        rsema_.release();
      }
      while (old & kWMask) {
        old -= kWWait;
        wsema_.release();
      }
      return true;
    }
  }
}

bool FdMutex::decref() {
  for (;;) {
    uint64_t old = state_.load();
    if ((old & kRefMask) == 0) inconsistent();
    uint64_t next = old - kRef;
    if (state_.compare_exchange_weak(old, next)) {
      emit(FdMuOp::decref, next);
      return (next & (kClosed | kRefMask)) == kClosed;
    }
  }
}

bool FdMutex::rwlock(bool read) {
  uint64_t bit = read ? kRLock : kWLock;
  uint64_t wait = read ? kRWait : kWWait;
  uint64_t mask = read ? kRMask : kWMask;
  rt::Sema& sema = read ? rsema_ : wsema_;
  for (;;) {
    uint64_t old = state_.load();
    if (old & kClosed) return false;
    uint64_t next;
    if ((old & bit) == 0) {
      next = (old | bit) + kRef;  // lock is free, acquire it
      if ((next & kRefMask) == 0) overflow();
    } else {
      next = old + wait;  // wait for the lock
      if ((next & mask) == 0) overflow();
    }
    if (state_.compare_exchange_weak(old, next)) {
      if ((old & bit) == 0) {
        emit(FdMuOp::rwlockAcquired, next);
        return true;
      }
      emit(FdMuOp::rwlockWait, next);
      sema.acquire();
      // The signaller has subtracted the wait count.
    }
  }
}

bool FdMutex::rwunlock(bool read) {
  uint64_t bit = read ? kRLock : kWLock;
  uint64_t wait = read ? kRWait : kWWait;
  uint64_t mask = read ? kRMask : kWMask;
  rt::Sema& sema = read ? rsema_ : wsema_;
  for (;;) {
    uint64_t old = state_.load();
    if ((old & bit) == 0 || (old & kRefMask) == 0) inconsistent();
    // Drop the lock, drop the reference and wake a waiter if there is one.
    uint64_t next = (old & ~bit) - kRef;
    if (old & mask) next -= wait;
    if (state_.compare_exchange_weak(old, next)) {
      emit(FdMuOp::rwunlock, next);
      if (old & mask) sema.release();
      return (next & (kClosed | kRefMask)) == kClosed;
    }
  }
}

}  // namespace pollscope::poll
