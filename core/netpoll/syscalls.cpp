// POSIX syscall wrappers shared by every OS (poller syscalls are in platform/).
#include "netpoll/syscalls.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace pollscope::sys {

[[gnu::noinline]] Result wrapResult(int64_t ret) {
  return {ret, ret < 0 ? errno : 0};
}

[[gnu::noinline]] Result socket(int domain, int type, int protocol) {
  PS_SYSCALL(::socket(domain, type, protocol));
}
[[gnu::noinline]] Result socketpair(int domain, int type, int protocol, int sv[2]) {
  PS_SYSCALL(::socketpair(domain, type, protocol, sv));
}
[[gnu::noinline]] Result bind(int fd, const sockaddr* sa, socklen_t len) {
  PS_SYSCALL(::bind(fd, sa, len));
}
[[gnu::noinline]] Result listen(int fd, int backlog) {
  PS_SYSCALL(::listen(fd, backlog));
}
#if defined(PS_HAVE_ATOMIC_NONBLOCK_CLOEXEC)
[[gnu::noinline]] Result accept4(int fd, sockaddr* sa, socklen_t* len, int flags) {
  PS_SYSCALL(::accept4(fd, sa, len, flags));
}
#endif
[[gnu::noinline]] Result accept(int fd, sockaddr* sa, socklen_t* len) {
  PS_SYSCALL(::accept(fd, sa, len));
}
[[gnu::noinline]] Result connect(int fd, const sockaddr* sa, socklen_t len) {
  PS_SYSCALL(::connect(fd, sa, len));
}
[[gnu::noinline]] Result read(int fd, void* buf, size_t n) {
  PS_SYSCALL(::read(fd, buf, n));
}
[[gnu::noinline]] Result write(int fd, const void* buf, size_t n) {
#if defined(PS_HAVE_MSG_NOSIGNAL)
  PS_SYSCALL(::send(fd, buf, n, MSG_NOSIGNAL));
#else
  // SO_NOSIGPIPE was set on the socket when it was created or accepted.
  PS_SYSCALL(::send(fd, buf, n, 0));
#endif
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
[[gnu::noinline]] Result pipe(int fds[2]) {
  PS_SYSCALL(::pipe(fds));
}
[[gnu::noinline]] Result pipeRead(int fd, void* buf, size_t n) {
  PS_SYSCALL(::read(fd, buf, n));
}
[[gnu::noinline]] Result pipeWrite(int fd, const void* buf, size_t n) {
  PS_SYSCALL(::write(fd, buf, n));
}
[[gnu::noinline]] Result closeOnExec(int fd) {
  PS_SYSCALL(::fcntl(fd, F_SETFD, FD_CLOEXEC));
}
[[gnu::noinline]] Result setNonblock(int fd) {
  errno = 0;
  int fl = ::fcntl(fd, F_GETFL);
  if (fl < 0) return wrapResult(fl);
  PS_SYSCALL(::fcntl(fd, F_SETFL, fl | O_NONBLOCK));
}

}  // namespace pollscope::sys
