// The platform contract: which OS facility the engine uses for each job, decided
// once here so the rest of the engine asks a question instead of testing an OS.
//
// Sections: 1. OS family  2. facilities (one switch per job)  3. mmap flags
//
// One internal contract, one file per OS family (libuv-style): the wrappers in
// netpoll/syscalls.hpp are implemented by netpoll/syscalls.cpp plus
// platform/poller_linux.cpp (epoll, eventfd) or platform/poller_bsd.cpp (kqueue),
// which belong to the engine; platform/os_linux.cpp or platform/os_bsd.cpp (thread
// stacks), temp_dir.cpp and pipes.cpp are the library pollscope_platform, below
// everything else. This header includes nothing of the project. POLLSCOPE_PORTABLE
// on Linux selects every non-kqueue fallback macOS and the BSDs use, so those
// code paths run in this project's tests (docs/fidelity.md, "Not run").
#pragma once

#include <sys/mman.h>
#include <sys/socket.h>

// ---- 1. OS family ------------------------------------------------------------
#if defined(__linux__)
#define PS_OS_LINUX 1
#elif defined(__APPLE__)
#define PS_OS_DARWIN 1
#define PS_OS_KQUEUE 1
#elif defined(__FreeBSD__) || defined(__DragonFly__) || defined(__NetBSD__) || defined(__OpenBSD__)
#define PS_OS_BSD 1
#define PS_OS_KQUEUE 1
#elif defined(__EMSCRIPTEN__)
// The web page (viz/web): no engine and no poller are compiled there, only the
// trace model and the reading of traces, which ask this header for mmap flags.
#define PS_OS_WEB 1
#else
#error "pollscope: unsupported OS (needs epoll or kqueue)"
#endif

#if defined(POLLSCOPE_PORTABLE) && !defined(PS_OS_LINUX)
#error "POLLSCOPE_PORTABLE is a Linux build that exercises the macOS/BSD fallbacks"
#endif

// ---- 2. facilities -------------------------------------------------------------
// Atomic non-blocking + close-on-exec creation: socket(SOCK_NONBLOCK|SOCK_CLOEXEC),
// accept4, pipe2. Elsewhere (and in the portable build) Go's fallback: the plain
// call, then fcntl(F_SETFD, FD_CLOEXEC) and fcntl(F_SETFL, O_NONBLOCK).
#if defined(PS_OS_LINUX) && !defined(POLLSCOPE_PORTABLE)
#define PS_HAVE_ATOMIC_NONBLOCK_CLOEXEC 1
#endif

// SIGPIPE on a dead peer: MSG_NOSIGNAL per send where it exists (Linux, FreeBSD,
// NetBSD, OpenBSD, DragonFly); SO_NOSIGPIPE per socket on macOS. Linux has no
// SO_NOSIGPIPE, so the portable build keeps MSG_NOSIGNAL.
#if defined(SO_NOSIGPIPE) && defined(PS_OS_DARWIN)
#define PS_HAVE_SO_NOSIGPIPE 1
#elif defined(MSG_NOSIGNAL)
#define PS_HAVE_MSG_NOSIGNAL 1
#else
#error "pollscope: no way to suppress SIGPIPE per socket"
#endif

// netpollBreak's wakeup: an eventfd on Linux, EVFILT_USER on darwin, freebsd and
// dragonfly (netpoll_kqueue_event.go), a non-blocking pipe on netbsd and openbsd
// (netpoll_kqueue_pipe.go) and in the portable Linux build.
#if defined(PS_OS_LINUX) && !defined(POLLSCOPE_PORTABLE)
#define PS_WAKEUP_EVENTFD 1
#elif defined(__NetBSD__) || defined(__OpenBSD__) || defined(POLLSCOPE_PORTABLE)
#define PS_WAKEUP_PIPE 1
#elif defined(PS_OS_KQUEUE)
#define PS_WAKEUP_EVFILT_USER 1
#endif

// Unix socket names: Linux's abstract namespace ("@name", no file) where it exists,
// otherwise a path inside a private temporary directory.
#if defined(PS_OS_LINUX) && !defined(POLLSCOPE_PORTABLE)
#define PS_HAVE_ABSTRACT_UNIX 1
#endif

namespace pollscope::platform {

inline constexpr bool kPortable =
#if defined(POLLSCOPE_PORTABLE)
    true;
#else
    false;
#endif

// ---- 3. mmap flags -------------------------------------------------------------
// MAP_POPULATE (pre-fault every page in one call) and MAP_STACK are Linux-only;
// elsewhere pages fault in on first touch, which only costs time.
inline constexpr int kMapPopulate =
#if defined(MAP_POPULATE) && !defined(POLLSCOPE_PORTABLE)
    MAP_POPULATE;
#else
    0;
#endif
inline constexpr int kMapStack =
#if defined(MAP_STACK) && !defined(POLLSCOPE_PORTABLE)
    MAP_STACK;
#else
    0;
#endif

// A private temporary directory (mkdtemp, mode 0700) created on first use and
// removed at exit, for Unix socket paths where abstract names do not exist.
// Returns "" when it cannot be created.
const char* privateTempDir();

// Bounds of the calling thread's stack (for the sanitizers' fiber annotations);
// {nullptr, 0} where the OS cannot say.
struct StackBounds {
  void* bottom = nullptr;
  size_t size = 0;
};
StackBounds currentThreadStack();

// A pipe or socket pair whose ends are non-blocking and close-on-exec (and on macOS
// SIGPIPE-free), atomically where the OS can; untraced, for code outside the engine
// (pipes.cpp). Return 0 or an errno.
int pipeNonblockCloexec(int fds[2]);
int socketpairNonblockCloexec(int domain, int type, int sv[2]);

}  // namespace pollscope::platform
