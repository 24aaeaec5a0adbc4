#include "netpoll/syscalls.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

namespace pollscope::sys {
namespace {
[[gnu::noinline]] Result wrap(int64_t ret) {
  return {ret, ret < 0 ? errno : 0};
}
}  // namespace

#define PS_SYSCALL(expr) \
  do {                   \
    errno = 0;           \
    int64_t r_ = (expr); \
    return wrap(r_);     \
  } while (0)

[[gnu::noinline]] Result epollCreate1(int flags) {
  PS_SYSCALL(::epoll_create1(flags));
}
[[gnu::noinline]] Result epollCtl(int epfd, int op, int fd, epoll_event* ev) {
  PS_SYSCALL(::epoll_ctl(epfd, op, fd, ev));
}
[[gnu::noinline]] Result epollWait(int epfd, epoll_event* events, int max, int timeoutMs) {
  PS_SYSCALL(::epoll_wait(epfd, events, max, timeoutMs));
}
[[gnu::noinline]] Result eventfdCreate(unsigned initval, int flags) {
  PS_SYSCALL(::eventfd(initval, flags));
}
[[gnu::noinline]] Result eventfdWrite(int fd, uint64_t v) {
  PS_SYSCALL(::write(fd, &v, sizeof v));
}
[[gnu::noinline]] Result eventfdRead(int fd) {
  uint64_t v = 0;
  PS_SYSCALL(::read(fd, &v, sizeof v));
}
[[gnu::noinline]] Result socket(int domain, int type, int protocol) {
  PS_SYSCALL(::socket(domain, type, protocol));
}
[[gnu::noinline]] Result bind(int fd, const sockaddr* sa, socklen_t len) {
  PS_SYSCALL(::bind(fd, sa, len));
}
[[gnu::noinline]] Result listen(int fd, int backlog) {
  PS_SYSCALL(::listen(fd, backlog));
}
[[gnu::noinline]] Result accept4(int fd, sockaddr* sa, socklen_t* len, int flags) {
  PS_SYSCALL(::accept4(fd, sa, len, flags));
}
[[gnu::noinline]] Result connect(int fd, const sockaddr* sa, socklen_t len) {
  PS_SYSCALL(::connect(fd, sa, len));
}
[[gnu::noinline]] Result read(int fd, void* buf, size_t n) {
  PS_SYSCALL(::read(fd, buf, n));
}
// MSG_NOSIGNAL: a dead peer gives EPIPE, never SIGPIPE (which would kill the process).
[[gnu::noinline]] Result write(int fd, const void* buf, size_t n) {
  PS_SYSCALL(::send(fd, buf, n, MSG_NOSIGNAL));
}
[[gnu::noinline]] Result close(int fd) {
  PS_SYSCALL(::close(fd));
}
[[gnu::noinline]] Result shutdown(int fd, int how) {
  PS_SYSCALL(::shutdown(fd, how));
}
[[gnu::noinline]] Result getsockoptInt(int fd, int level, int opt, int* value) {
  socklen_t len = sizeof *value;
  PS_SYSCALL(::getsockopt(fd, level, opt, value, &len));
}
[[gnu::noinline]] Result setsockopt(int fd, int level, int opt, const void* value, socklen_t len) {
  PS_SYSCALL(::setsockopt(fd, level, opt, value, len));
}
[[gnu::noinline]] Result getpeername(int fd, sockaddr* sa, socklen_t* len) {
  PS_SYSCALL(::getpeername(fd, sa, len));
}
[[gnu::noinline]] Result getsockname(int fd, sockaddr* sa, socklen_t* len) {
  PS_SYSCALL(::getsockname(fd, sa, len));
}

}  // namespace pollscope::sys
