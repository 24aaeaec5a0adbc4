// kqueue poller syscalls for macOS and the BSDs (Go's netpoll_kqueue.go backend).
#include "platform/platform.hpp"
#if defined(PS_OS_KQUEUE)
#include <sys/event.h>
#include <sys/time.h>
#include <sys/types.h>

#include <cerrno>

#include "netpoll/syscalls.hpp"

namespace pollscope::sys {

[[gnu::noinline]] Result kqueueCreate() {
  PS_SYSCALL(::kqueue());
}
[[gnu::noinline]] Result kevent(int kq, const struct kevent* changes, int nchanges, struct kevent* events, int nevents,
                                const timespec* timeout) {
  PS_SYSCALL(::kevent(kq, changes, nchanges, events, nevents, timeout));
}

}  // namespace pollscope::sys
#endif
