// Raw syscalls returning {ret, errno} together.
//
// Why: errno lives in thread-local storage and a goroutine can resume on another
// thread after any park. Reading errno inside the same non-inlined function as
// the syscall guarantees it belongs to that syscall's thread.
//
// Implemented per OS family: syscalls.cpp (POSIX, every OS), platform/poller_linux.cpp
// (epoll, eventfd) and platform/poller_bsd.cpp (kqueue). platform/platform.hpp says
// which of the fallbacks below an OS uses.
#pragma once

#include <sys/socket.h>

#include <cstdint>

#include "platform/platform.hpp"

struct epoll_event;
struct kevent;
struct timespec;

namespace pollscope::sys {

struct Result {
  int64_t ret;
  int64_t err;  // 0 when ret >= 0
};

// Pairs the return value with errno; used by PS_SYSCALL in every implementation file.
Result wrapResult(int64_t ret);
#define PS_SYSCALL(expr)                     \
  do {                                       \
    errno = 0;                               \
    int64_t r_ = (expr);                     \
    return ::pollscope::sys::wrapResult(r_); \
  } while (0)

#if defined(PS_OS_LINUX)
Result epollCreate1(int flags);
Result epollCtl(int epfd, int op, int fd, epoll_event* ev);
Result epollPwait(int epfd, epoll_event* events, int max, int timeoutMs);  // sigmask: null
Result eventfdCreate(unsigned initval, int flags);
Result eventfdWrite(int fd, uint64_t v);
Result eventfdRead(int fd);
#endif
#if defined(PS_OS_KQUEUE)
Result kqueueCreate();
Result kevent(int kq, const struct kevent* changes, int nchanges, struct kevent* events, int nevents,
              const timespec* timeout);
#endif

// `type` may carry SOCK_NONBLOCK|SOCK_CLOEXEC only where PS_HAVE_ATOMIC_NONBLOCK_CLOEXEC.
Result socket(int domain, int type, int protocol);
Result socketpair(int domain, int type, int protocol, int sv[2]);
Result bind(int fd, const sockaddr* sa, socklen_t len);
Result listen(int fd, int backlog);
#if defined(PS_HAVE_ATOMIC_NONBLOCK_CLOEXEC)
Result accept4(int fd, sockaddr* sa, socklen_t* len, int flags);
#endif
Result accept(int fd, sockaddr* sa, socklen_t* len);
Result connect(int fd, const sockaddr* sa, socklen_t len);
Result read(int fd, void* buf, size_t n);
Result write(int fd, const void* buf, size_t n);  // a dead peer gives EPIPE, never SIGPIPE
Result close(int fd);
Result shutdown(int fd, int how);
Result getsockoptInt(int fd, int level, int opt, int* value);
Result setsockopt(int fd, int level, int opt, const void* value, socklen_t len);
Result getpeername(int fd, sockaddr* sa, socklen_t* len);
Result getsockname(int fd, sockaddr* sa, socklen_t* len);
Result pipe(int fds[2]);
Result pipeRead(int fd, void* buf, size_t n);  // plain read(2), for pipes
Result pipeWrite(int fd, const void* buf, size_t n);

// The fallbacks for OSes without atomic flags (Go's syscall.CloseOnExec and
// syscall.SetNonblock): fcntl(F_SETFD, FD_CLOEXEC) and F_GETFL + F_SETFL|O_NONBLOCK.
Result closeOnExec(int fd);
Result setNonblock(int fd);

}  // namespace pollscope::sys
