// internal/poll.FD: a non-blocking file descriptor whose Read/Write/Accept park
// the calling goroutine in the network poller instead of blocking the thread.
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <optional>

#include "netpoll/netpoll.hpp"
#include "poll/error.hpp"
#include "poll/fd_mutex.hpp"
#include "runtime/sema.hpp"

namespace pollscope::poll {

class FD {
 public:
  explicit FD(int sysfd) : sysfd_(sysfd) { mu_.setFd(sysfd); }
  ~FD();
  FD(const FD&) = delete;
  FD& operator=(const FD&) = delete;

  int sysfd() const { return sysfd_; }
  bool isClosed() const { return (mu_.state() & FdMutex::kClosed) != 0; }
  netpoll::PollDesc* pd() const { return pd_; }

  Error init();  // pollOpen: register with the poller
  Error read(void* buf, size_t n, size_t* got);
  Error write(const void* buf, size_t n, size_t* wrote);
  // Returns the new non-blocking fd in *out.
  Error accept(int* out, sockaddr_storage* sa, socklen_t* salen);
  Error close();
  Error shutdown(int how);
  // nullopt: no deadline (Go's zero time); otherwise relative to now (<=0 is past).
  Error setDeadline(trace::Mode mode, std::optional<int64_t> relNs);

  // For net's connect: wait for writability without prepareWrite.
  Error waitWrite();

 private:
  Error readLock();
  void readUnlock();
  Error writeLock();
  void writeUnlock();
  Error prepare(trace::Mode mode);
  Error wait(trace::Mode mode);
  Error decref();
  Error destroy();
  netpoll::Netpoll& np();

  int sysfd_;
  netpoll::PollDesc* pd_ = nullptr;
  FdMutex mu_;
  rt::Sema csema_;
  bool closed_ = false;  // destroy ran
};

// The second half of creating a socket where the OS has no atomic flags (macOS,
// the BSDs, the portable Linux build): fcntl close-on-exec, fcntl non-blocking,
// and on macOS SO_NOSIGPIPE, each recorded as a syscall. A no-op on Linux, where
// socket and accept4 take SOCK_NONBLOCK|SOCK_CLOEXEC.
Error finishNonblockCloexec(int fd);

}  // namespace pollscope::poll
