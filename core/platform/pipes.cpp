// Non-blocking, close-on-exec pipes and socket pairs for code outside the engine's
// traces (the CLI's signal pipe, the scenario runner's fd-reuse pair, tests):
// atomic flags where the OS has them (pipe2, SOCK_NONBLOCK|SOCK_CLOEXEC), otherwise
// Go's fallback of the plain call plus fcntl, and SO_NOSIGPIPE on macOS.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "platform/platform.hpp"

namespace pollscope::platform {
namespace {
[[maybe_unused]] int fallbackFlags(int fds[2]) {
  for (int i = 0; i < 2; ++i) {
    if (::fcntl(fds[i], F_SETFD, FD_CLOEXEC) != 0) return errno;
    int fl = ::fcntl(fds[i], F_GETFL);
    if (fl < 0 || ::fcntl(fds[i], F_SETFL, fl | O_NONBLOCK) != 0) return errno;
  }
  return 0;
}
}  // namespace

int pipeNonblockCloexec(int fds[2]) {
#if defined(PS_HAVE_ATOMIC_NONBLOCK_CLOEXEC)
  return ::pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0 ? 0 : errno;
#else
  if (::pipe(fds) != 0) return errno;
  return fallbackFlags(fds);
#endif
}

int socketpairNonblockCloexec(int domain, int type, int sv[2]) {
#if defined(PS_HAVE_ATOMIC_NONBLOCK_CLOEXEC)
  return ::socketpair(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) == 0 ? 0 : errno;
#else
  if (::socketpair(domain, type, 0, sv) != 0) return errno;
  if (int err = fallbackFlags(sv)) return err;
#if defined(PS_HAVE_SO_NOSIGPIPE)
  int one = 1;
  for (int i = 0; i < 2; ++i) ::setsockopt(sv[i], SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
  return 0;
#endif
}

}  // namespace pollscope::platform
