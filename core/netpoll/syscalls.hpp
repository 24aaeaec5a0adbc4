// Raw syscalls returning {ret, errno} together.
//
// Why: errno lives in thread-local storage and a goroutine can resume on another
// thread after any park. Reading errno inside the same non-inlined function as
// the syscall guarantees it belongs to that syscall's thread.
#pragma once

#include <sys/socket.h>

#include <cstdint>

struct epoll_event;

namespace pollscope::sys {

struct Result {
  int64_t ret;
  int64_t err;  // 0 when ret >= 0
};

Result epollCreate1(int flags);
Result epollCtl(int epfd, int op, int fd, epoll_event* ev);
Result epollWait(int epfd, epoll_event* events, int max, int timeoutMs);
Result eventfdCreate(unsigned initval, int flags);
Result eventfdWrite(int fd, uint64_t v);
Result eventfdRead(int fd);

Result socket(int domain, int type, int protocol);
Result bind(int fd, const sockaddr* sa, socklen_t len);
Result listen(int fd, int backlog);
Result accept4(int fd, sockaddr* sa, socklen_t* len, int flags);
Result connect(int fd, const sockaddr* sa, socklen_t len);
Result read(int fd, void* buf, size_t n);
Result write(int fd, const void* buf, size_t n);
Result close(int fd);
Result shutdown(int fd, int how);
Result getsockoptInt(int fd, int level, int opt, int* value);
Result setsockopt(int fd, int level, int opt, const void* value, socklen_t len);
Result getpeername(int fd, sockaddr* sa, socklen_t* len);
Result getsockname(int fd, sockaddr* sa, socklen_t* len);

}  // namespace pollscope::sys
