// The epoll backend (Go's runtime/netpoll_epoll.go).
//
// The wakeup is Go's eventfd; in the portable build (POLLSCOPE_PORTABLE) it is the
// non-blocking pipe NetBSD and OpenBSD use (wakeup_pipe.hpp), registered the same
// way (EPOLLIN, level-triggered), so that path runs in this project's tests.
#include "platform/platform.hpp"
#if defined(PS_OS_LINUX)
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "netpoll/backend.hpp"
#include "netpoll/syscalls.hpp"
#include "netpoll/wakeup_pipe.hpp"

namespace pollscope::netpoll {
using trace::Kind;
using trace::PollAction;

namespace {
class EpollBackend final : public PollBackend {
 public:
  explicit EpollBackend(Netpoll& np) : np_(np), e_(&np.engine()), pipe_(e_) {}
  ~EpollBackend() override { shutdown(); }

  const char* name() const override { return "epoll"; }

  void init() override {
    auto r = sys::epollCreate1(EPOLL_CLOEXEC);
    PS_EMIT(e_, Kind::sys, "runtime.netpollinit", trace::SysOp::epoll_create, -1, r.ret, r.err,  // arg
            0);
    if (r.ret < 0) fatal("epollcreate failed");
    epfd_ = static_cast<int>(r.ret);
#if defined(PS_WAKEUP_PIPE)
    pipe_.open();
    eventFd_ = pipe_.readFd();
#else
    auto ev = sys::eventfdCreate(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (ev.ret < 0) fatal("eventfd failed");
    eventFd_ = static_cast<int>(ev.ret);
#endif
    // EPOLLIN only, no EPOLLET: the wakeup is level-triggered on purpose, so a
    // non-blocking poll that sees it leaves it for the blocking poller.
    epoll_event e{};
    e.events = EPOLLIN;
    e.data.u64 = kEventFdData;
    auto c = sys::epollCtl(epfd_, EPOLL_CTL_ADD, eventFd_, &e);
    PS_EMIT(e_, Kind::pollCtl, "runtime.netpollinit", trace::CtlOp::add, eventFd_, static_cast<int64_t>(EPOLLIN), 0,
            c.ret, c.err);
    if (c.ret != 0) fatal("epoll_ctl eventfd failed");
  }

  int open(int fd, PollDesc* pd) override {
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    uintptr_t tag = pd->fdseq.load();
    ev.data.u64 = taggedPointerPack(pd, tag);
    auto r = sys::epollCtl(epfd_, EPOLL_CTL_ADD, fd, &ev);
    PS_EMIT(e_, Kind::pollCtl, "runtime.netpollopen", trace::CtlOp::add, fd, static_cast<int64_t>(ev.events),
            static_cast<int64_t>(tag), r.ret, r.err);
    return r.ret < 0 ? static_cast<int>(r.err) : 0;
  }

  int close(int fd) override {
    epoll_event ev{};
    auto r = sys::epollCtl(epfd_, EPOLL_CTL_DEL, fd, &ev);
    PS_EMIT(e_, Kind::pollCtl, "runtime.netpollclose", trace::CtlOp::del, fd, 0, 0, r.ret, r.err);
    return r.ret < 0 ? static_cast<int>(r.err) : 0;
  }

  void breakPoll(trace::BreakCaller caller) override {
    // Failing to CAS means a wakeup is already in flight.
    uint32_t zero = 0;
    if (!wakeSig_.compare_exchange_strong(zero, 1)) {
      PS_EMIT(e_, Kind::netpollBreak, "runtime.netpollBreak", true, caller);
      return;
    }
    PS_EMIT(e_, Kind::netpollBreak, "runtime.netpollBreak", false, caller);
#if defined(PS_WAKEUP_PIPE)
    pipe_.trigger();
#else
    for (;;) {
      auto r = sys::eventfdWrite(eventFd_, 1);
      PS_EMIT(e_, Kind::sys, "runtime.netpollBreak", trace::SysOp::eventfd_write, eventFd_, r.ret,  // err, arg
              r.err, 1);
      if (r.ret >= 0 || r.err == EAGAIN) return;
      if (r.err == EINTR) continue;
      std::fprintf(stderr, "pollscope: netpollBreak write failed with %d\n", static_cast<int>(r.err));
      std::abort();
    }
#endif
  }

  PollResult poll(int64_t delay, trace::PollSite site) override {
    int waitms;
    if (delay < 0)
      waitms = -1;
    else if (delay == 0)
      waitms = 0;
    else if (delay < 1000000)
      waitms = 1;
    else if (delay < 1000000000000000)
      waitms = static_cast<int>(delay / 1000000);
    else
      waitms = 1000000000;  // about 11.5 days
    PS_EMIT(e_, Kind::pollEnter, "runtime.netpoll", site, delay, waitms);
    epoll_event events[128];
    PollResult res;
    int n;
  retry : {
    auto r = sys::epollPwait(epfd_, events, 128, waitms);
    PS_EMIT(e_, Kind::sys, "runtime.netpoll", trace::SysOp::epoll_pwait, epfd_, r.ret, r.err,  // arg
            waitms);
    if (r.ret < 0) {
      if (r.err != EINTR) fatal("epollwait failed");
      // If a timed sleep was interrupted, just return to recalculate how long we should sleep now.
      if (waitms > 0) {
        PS_EMIT(e_, Kind::pollExit, "runtime.netpoll", site, 0, 0, 0, 1);
        return res;
      }
      goto retry;
    }
    n = static_cast<int>(r.ret);
  }
    if (np_.hooks.afterPollWait) np_.hooks.afterPollWait(n);
    int ng = 0;
    for (int i = 0; i < n; ++i) {
      const epoll_event& ev = events[i];
      if (ev.events == 0) {
        PS_EMIT(e_, Kind::pollEvent, "runtime.netpoll", -1, 0, 0, trace::Mode::none, 0, 0, PollAction::skipEmpty);
        continue;
      }
      if (ev.data.u64 == kEventFdData) {
        if (ev.events != EPOLLIN) throwRuntime(e_, trace::ThrowCode::eventfdBadEvent);
        PS_EMIT(e_, Kind::pollEvent, "runtime.netpoll", eventFd_, 0, static_cast<int64_t>(ev.events), trace::Mode::none,
                0, 0, PollAction::wakeup);
        bool drained = false;
        if (delay != 0) {
          // netpollBreak could be picked up by a non-blocking poll; only the
          // blocking poller reads the eventfd and re-arms the signal.
#if defined(PS_WAKEUP_PIPE)
          pipe_.drain();
#else
          auto rd = sys::eventfdRead(eventFd_);
          PS_EMIT(e_, Kind::sys, "runtime.netpoll", trace::SysOp::eventfd_read, eventFd_, rd.ret,  // err, arg
                  rd.err, 8);
#endif
          drained = true;
          wakeSig_.store(0);
        }
        PS_EMIT(e_, Kind::breakConsume, "runtime.netpoll", delay != 0, drained);
        continue;
      }
      trace::Mode mode = trace::Mode::none;
      if (ev.events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) mode = trace::Mode::r;
      if (ev.events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) {
        mode = mode == trace::Mode::r ? trace::Mode::rw : trace::Mode::w;
      }
      if (mode != trace::Mode::none) {
        PollDesc* pd = taggedPointerPointer(ev.data.u64);
        uintptr_t tag = taggedPointerTag(ev.data.u64);
        uintptr_t cur = pd->fdseq.load();
        if (cur == tag) {
          PS_EMIT(e_, Kind::pollEvent, "runtime.netpoll", pd->fd, pd->id, static_cast<int64_t>(ev.events), mode,
                  static_cast<int64_t>(tag), static_cast<int64_t>(cur),  // the event's fdseq tag, the pd's
                  PollAction::ready);
          np_.setEventErr(pd, ev.events == EPOLLERR, tag);
          int before = res.list.n;
          res.delta += np_.netpollready(res.list, pd, mode);
          ng += res.list.n - before;
        } else {
          // An epoll event carries no fd, and pd->fd now names the pd's new owner: none is recorded.
          PS_EMIT(e_, Kind::pollEvent, "runtime.netpoll", -1, pd->id, static_cast<int64_t>(ev.events), mode,
                  static_cast<int64_t>(tag), static_cast<int64_t>(cur),  // the event's fdseq tag, the pd's
                  PollAction::staleDrop);
        }
      }
    }
    if (np_.hooks.afterPollEvents) np_.hooks.afterPollEvents(n);
    PS_EMIT(e_, Kind::pollExit, "runtime.netpoll", site, n, ng, res.delta, 0);
    return res;
  }

  void shutdown() override {
#if defined(PS_WAKEUP_PIPE)
    pipe_.close();
    eventFd_ = -1;
#endif
    if (eventFd_ >= 0) ::close(eventFd_);
    if (epfd_ >= 0) ::close(epfd_);
    eventFd_ = epfd_ = -1;
  }

 private:
  static constexpr uint64_t kEventFdData = 0;  // Go uses &netpollEventFd; no pd packs to 0
  [[noreturn]] void fatal(const char* what) {
    std::fprintf(stderr, "fatal error: runtime: netpoll: %s (errno %d)\n", what, errno);
    std::abort();
  }

  Netpoll& np_;
  Engine* e_;
  int epfd_ = -1;
  int eventFd_ = -1;                  // the eventfd, or the wakeup pipe's read end
  WakeupPipe pipe_;                   // used only with PS_WAKEUP_PIPE
  std::atomic<uint32_t> wakeSig_{0};  // netpollWakeSig
};
}  // namespace

std::unique_ptr<PollBackend> makeDefaultBackend(Netpoll& np) {
  return std::make_unique<EpollBackend>(np);
}

}  // namespace pollscope::netpoll
#endif
