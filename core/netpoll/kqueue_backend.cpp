// The kqueue backend (Go's runtime/netpoll_kqueue.go) for macOS and the BSDs.
//
// Compiled only there: on Linux this file is empty and epoll_backend.cpp provides
// makeDefaultBackend. It has not been compiled or run in this project's CI (Linux
// only); docs/fidelity.md says so. Where Go differs per BSD (EVFILT_USER wakeup on
// darwin/freebsd/dragonfly, a pipe on netbsd/openbsd) this follows Go.
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__) || defined(__DragonFly__)
#include <fcntl.h>
#include <sys/event.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "netpoll/backend.hpp"

#if defined(__NetBSD__) || defined(__OpenBSD__)
#define PS_KQUEUE_PIPE_WAKEUP 1
#endif

namespace pollscope::netpoll {
using trace::Kind;
using trace::PollAction;

namespace {
constexpr uintptr_t kWakeupIdent = 0xee1eb9f4;  // Go's kqIdent for the EVFILT_USER wakeup

// kevent results are recorded with Linux-style masks so every view reads the
// same: EVFILT_READ -> EPOLLIN, EVFILT_WRITE -> EPOLLOUT, EV_EOF -> EPOLLRDHUP,
// EV_ERROR -> EPOLLERR.
int64_t maskOf(const struct kevent& ev) {
  int64_t m = 0;
  if (ev.filter == EVFILT_READ) m |= 0x001;
  if (ev.filter == EVFILT_WRITE) m |= 0x004;
  if (ev.flags & EV_EOF) m |= 0x2000;
  if (ev.flags & EV_ERROR) m |= 0x008;
  return m;
}

class KqueueBackend final : public PollBackend {
 public:
  explicit KqueueBackend(Netpoll& np) : np_(np), e_(&np.engine()) {}
  ~KqueueBackend() override { shutdown(); }
  const char* name() const override { return "kqueue"; }

  void init() override {
    kq_ = kqueue();
    PS_EMIT(e_, Kind::sys, "runtime.netpollinit", trace::SysOp::kqueue, -1, kq_,  // err, arg
            kq_ < 0 ? errno : 0, 0);
    if (kq_ < 0) fatal("kqueue failed");
    fcntl(kq_, F_SETFD, FD_CLOEXEC);
#if defined(PS_KQUEUE_PIPE_WAKEUP)
    int p[2];
    if (pipe(p) != 0) fatal("pipe failed");
    for (int fd : p) {
      fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
      fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    wakeRead_ = p[0];
    wakeWrite_ = p[1];
    struct kevent ev;
    EV_SET(&ev, wakeRead_, EVFILT_READ, EV_ADD, 0, 0, nullptr);
#else
    struct kevent ev;
    EV_SET(&ev, kWakeupIdent, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, nullptr);
#endif
    if (kevent(kq_, &ev, 1, nullptr, 0, nullptr) < 0) fatal("kevent wakeup registration failed");
  }

  int open(int fd, PollDesc* pd) override {
    // Both filters, edge-triggered (EV_CLEAR), once for the life of the fd.
    uintptr_t tag = pd->fdseq.load();
    void* udata = reinterpret_cast<void*>(taggedPointerPack(pd, tag));
    struct kevent ev[2];
    EV_SET(&ev[0], fd, EVFILT_READ, EV_ADD | EV_CLEAR, 0, 0, udata);
    EV_SET(&ev[1], fd, EVFILT_WRITE, EV_ADD | EV_CLEAR, 0, 0, udata);
    int n = kevent(kq_, ev, 2, nullptr, 0, nullptr);
    int err = n < 0 ? errno : 0;
    PS_EMIT(e_, Kind::pollCtl, "runtime.netpollopen", trace::CtlOp::add, fd, 0x001 | 0x004, static_cast<int64_t>(tag),
            n, err);
    return err;
  }

  // Nothing to do: close(2) removes the knotes.
  int close(int) override {
    return 0;
  }

  void breakPoll(trace::BreakCaller caller) override {
    uint32_t zero = 0;
    if (!wakeSig_.compare_exchange_strong(zero, 1)) {
      PS_EMIT(e_, Kind::netpollBreak, "runtime.netpollBreak", true, caller);
      return;
    }
    PS_EMIT(e_, Kind::netpollBreak, "runtime.netpollBreak", false, caller);
#if defined(PS_KQUEUE_PIPE_WAKEUP)
    char b = 0;
    while (write(wakeWrite_, &b, 1) < 0 && errno == EINTR) {
    }
#else
    struct kevent ev;
    EV_SET(&ev, kWakeupIdent, EVFILT_USER, 0, NOTE_TRIGGER, 0, nullptr);
    while (kevent(kq_, &ev, 1, nullptr, 0, nullptr) < 0 && errno == EINTR) {
    }
#endif
  }

  PollResult poll(int64_t delay, trace::PollSite site) override {
    timespec ts{};
    timespec* tp = nullptr;
    if (delay == 0) {
      tp = &ts;
    } else if (delay > 0) {
      ts.tv_sec = delay / 1000000000;
      ts.tv_nsec = delay % 1000000000;
      // Darwin returns EINVAL if the sleep time is too long.
      if (ts.tv_sec > 1000000) ts.tv_sec = 1000000;
      tp = &ts;
    }
    PS_EMIT(e_, Kind::pollEnter, "runtime.netpoll", site, delay,  // timeoutMs
            delay < 0 ? -1 : delay / 1000000);
    struct kevent events[64];
    PollResult res;
    int n;
    for (;;) {
      n = kevent(kq_, nullptr, 0, events, 64, tp);
      int err = n < 0 ? errno : 0;
      PS_EMIT(e_, Kind::sys, "runtime.netpoll", trace::SysOp::kevent, kq_, n, err, 64);
      if (n >= 0) break;
      if (err != EINTR && err != ETIMEDOUT) fatal("kevent failed");
      // If a timed sleep was interrupted, return so the caller recomputes the delay.
      if (delay > 0) {
        PS_EMIT(e_, Kind::pollExit, "runtime.netpoll", site, 0, 0, 0, 1);
        return res;
      }
    }
    if (np_.hooks.afterPollWait) np_.hooks.afterPollWait(n);
    int ng = 0;
    for (int i = 0; i < n; ++i) {
      const struct kevent& ev = events[i];
      if (isWakeup(ev)) {
        PS_EMIT(e_, Kind::pollEvent, "runtime.netpoll", static_cast<int64_t>(ev.ident), 0, maskOf(ev),
                trace::Mode::none, 0, 0, PollAction::wakeup);
        bool drained = false;
        if (delay != 0) {
#if defined(PS_KQUEUE_PIPE_WAKEUP)
          char buf[16];
          while (read(wakeRead_, buf, sizeof buf) > 0) {
          }
#endif
          drained = true;
          wakeSig_.store(0);
        } else {
#if !defined(PS_KQUEUE_PIPE_WAKEUP)
          // processWakeupEvent: EV_CLEAR consumed the trigger on the wrong (non-
          // blocking) poller, so relay it; netpollWakeSig stays set.
          struct kevent relay;
          EV_SET(&relay, kWakeupIdent, EVFILT_USER, 0, NOTE_TRIGGER, 0, nullptr);
          while (kevent(kq_, &relay, 1, nullptr, 0, nullptr) < 0 && errno == EINTR) {
          }
#endif
        }
        PS_EMIT(e_, Kind::breakConsume, "runtime.netpoll", delay != 0, drained);
        continue;
      }
      trace::Mode mode = trace::Mode::none;
      if (ev.filter == EVFILT_READ) {
        mode = trace::Mode::r;
        // On some systems a pipe's write end gets only EV_EOF on EVFILT_READ when
        // the read end closes: wake writers too.
        if (ev.flags & EV_EOF) mode = trace::Mode::rw;
      } else if (ev.filter == EVFILT_WRITE) {
        mode = trace::Mode::w;
      }
      if (mode == trace::Mode::none) continue;
      auto tp64 = reinterpret_cast<uint64_t>(ev.udata);
      PollDesc* pd = taggedPointerPointer(tp64);
      uintptr_t tag = taggedPointerTag(tp64);
      uintptr_t cur = pd->fdseq.load();
      bool fresh = cur == tag;
      PS_EMIT(e_, Kind::pollEvent, "runtime.netpoll", static_cast<int64_t>(ev.ident), pd->id, maskOf(ev), mode,
              static_cast<int64_t>(tag), static_cast<int64_t>(cur),  // the event's fdseq tag, the pd's
              fresh ? PollAction::ready : PollAction::staleDrop);
      if (!fresh) continue;
      np_.setEventErr(pd, ev.flags == EV_ERROR, tag);
      int before = res.list.n;
      res.delta += np_.netpollready(res.list, pd, mode);
      ng += res.list.n - before;
    }
    if (np_.hooks.afterPollEvents) np_.hooks.afterPollEvents(n);
    PS_EMIT(e_, Kind::pollExit, "runtime.netpoll", site, n, ng, res.delta, 0);
    return res;
  }

  void shutdown() override {
    if (kq_ >= 0) ::close(kq_);
    if (wakeRead_ >= 0) ::close(wakeRead_);
    if (wakeWrite_ >= 0) ::close(wakeWrite_);
    kq_ = wakeRead_ = wakeWrite_ = -1;
  }

 private:
  bool isWakeup(const struct kevent& ev) const {
#if defined(PS_KQUEUE_PIPE_WAKEUP)
    return ev.filter == EVFILT_READ && static_cast<int>(ev.ident) == wakeRead_;
#else
    return ev.filter == EVFILT_USER && ev.ident == kWakeupIdent;
#endif
  }
  [[noreturn]] void fatal(const char* what) {
    std::fprintf(stderr, "fatal error: runtime: netpoll: %s (errno %d)\n", what, errno);
    std::abort();
  }

  Netpoll& np_;
  Engine* e_;
  int kq_ = -1;
  int wakeRead_ = -1;
  int wakeWrite_ = -1;
  std::atomic<uint32_t> wakeSig_{0};
};
}  // namespace

std::unique_ptr<PollBackend> makeDefaultBackend(Netpoll& np) {
  return std::make_unique<KqueueBackend>(np);
}

}  // namespace pollscope::netpoll
#endif
