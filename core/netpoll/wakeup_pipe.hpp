// netpollBreak's wakeup as a non-blocking pipe (Go's netpoll_kqueue_pipe.go): used
// by the kqueue backend on NetBSD and OpenBSD, and by the epoll backend in the
// portable Linux build (POLLSCOPE_PORTABLE), which is how this path runs in tests.
// Every syscall is recorded, as the eventfd's are.
#pragma once

#include "netpoll/netpoll.hpp"

namespace pollscope::netpoll {

class WakeupPipe {
 public:
  explicit WakeupPipe(Engine* e) : e_(e) {}
  ~WakeupPipe() { close(); }
  WakeupPipe(const WakeupPipe&) = delete;
  WakeupPipe& operator=(const WakeupPipe&) = delete;

  // nonblockingPipe(): pipe, then close-on-exec and non-blocking on both ends
  // (pipe2 where it exists is not used: the point is the fallback). Throws
  // "pipe failed" as Go does.
  void open();
  // wakeNetpoll: write one byte; retry on EINTR, EAGAIN means a byte is already
  // there; anything else throws "netpollBreak write failed".
  void trigger();
  // drainWakeupEvent: one read of up to 16 bytes, only by a blocking poll.
  void drain();
  void close();

  int readFd() const { return readFd_; }

 private:
  Engine* e_;
  int readFd_ = -1;
  int writeFd_ = -1;
};

}  // namespace pollscope::netpoll
