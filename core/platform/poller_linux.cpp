// Linux poller syscalls: epoll and eventfd (Go's netpoll_epoll.go backend).
#include "platform/platform.hpp"
#if defined(PS_OS_LINUX)
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

#include "netpoll/syscalls.hpp"

namespace pollscope::sys {

[[gnu::noinline]] Result epollCreate1(int flags) {
  PS_SYSCALL(::epoll_create1(flags));
}
[[gnu::noinline]] Result epollCtl(int epfd, int op, int fd, epoll_event* ev) {
  PS_SYSCALL(::epoll_ctl(epfd, op, fd, ev));
}
// epoll_pwait with a null sigmask, as Go's runtime calls it (netpoll_epoll.go uses
// syscall.EpollPwait with sigmask nil): the same as epoll_wait, and what strace shows.
[[gnu::noinline]] Result epollPwait(int epfd, epoll_event* events, int max, int timeoutMs) {
  PS_SYSCALL(::epoll_pwait(epfd, events, max, timeoutMs, nullptr));
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

}  // namespace pollscope::sys
#endif
