// The kqueue backend (Go's runtime/netpoll_kqueue.go, netpoll_kqueue_event.go and
// netpoll_kqueue_pipe.go) for macOS and the BSDs.
//
// Compiled only there: on Linux this file is empty and epoll_backend.cpp provides
// makeDefaultBackend. It is compiled and linked for aarch64-macos and x86_64-macos
// in this project's tests but never run (docs/fidelity.md, "Not run"). Where Go
// differs per BSD (EVFILT_USER wakeup on darwin/freebsd/dragonfly, a pipe on
// netbsd/openbsd) this follows Go. Every kevent is recorded in kqueue's own words
// (trace/kqueue_names.hpp): changes as pollCtl, waits as sys kevent.
#include "platform/platform.hpp"
#if defined(PS_OS_KQUEUE)
#include <fcntl.h>
#include <sys/event.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "netpoll/backend.hpp"
#include "netpoll/syscalls.hpp"
#include "netpoll/wakeup_pipe.hpp"
#include "trace/kqueue_names.hpp"

namespace pollscope::netpoll {
using trace::CtlOp;
using trace::Kind;
using trace::PollAction;
using trace::SysOp;

namespace {
constexpr uintptr_t kWakeupIdent = 0xee1eb9f4;  // Go's kqIdent for the EVFILT_USER wakeup

// One kevent (a change or a result) in the portable encoding of kqueue_names.hpp.
int64_t keventMask(const struct kevent& ev) {
  namespace kq = trace::kq;
  int64_t m = kq::kMarker;
  if (ev.filter == EVFILT_READ) m |= kq::kFilterRead;
  if (ev.filter == EVFILT_WRITE) m |= kq::kFilterWrite;
#if defined(EVFILT_USER)
  if (ev.filter == EVFILT_USER) m |= kq::kFilterUser;
  if (ev.fflags & NOTE_TRIGGER) m |= kq::kNoteTrigger;
#endif
  if (ev.flags & EV_ADD) m |= kq::kAdd;
  if (ev.flags & EV_DELETE) m |= kq::kDelete;
  if (ev.flags & EV_ENABLE) m |= kq::kEnable;
  if (ev.flags & EV_DISABLE) m |= kq::kDisable;
  if (ev.flags & EV_ONESHOT) m |= kq::kOneshot;
  if (ev.flags & EV_CLEAR) m |= kq::kClear;
  if (ev.flags & EV_EOF) m |= kq::kEof;
  if (ev.flags & EV_ERROR) m |= kq::kError;
  return m;
}

class KqueueBackend final : public PollBackend {
 public:
  explicit KqueueBackend(Netpoll& np) : np_(np), e_(&np.engine()), pipe_(e_) {}
  ~KqueueBackend() override { shutdown(); }
  const char* name() const override { return "kqueue"; }

  void init() override {
    auto r = sys::kqueueCreate();
    PS_EMIT(e_, Kind::sys, "runtime.netpollinit", SysOp::kqueue, -1, r.ret, r.err, 0);
    if (r.ret < 0) throwRuntime(e_, trace::ThrowCode::netpollFailed);
    kq_ = static_cast<int>(r.ret);
    auto c = sys::closeOnExec(kq_);  // closeonexec(kq)
    PS_EMIT(e_, Kind::sys, "runtime.netpollinit", SysOp::fcntl, kq_, c.ret, c.err, F_SETFD);
    addWakeupEvent();
  }

  int open(int fd, PollDesc* pd) override {
    // Both filters, edge-triggered (EV_CLEAR), once for the life of the fd.
    uintptr_t tag = pd->fdseq.load();
    void* udata = reinterpret_cast<void*>(taggedPointerPack(pd, tag));
    struct kevent ev[2];
    EV_SET(&ev[0], fd, EVFILT_READ, EV_ADD | EV_CLEAR, 0, 0, udata);
    EV_SET(&ev[1], fd, EVFILT_WRITE, EV_ADD | EV_CLEAR, 0, 0, udata);
    auto r = sys::kevent(kq_, ev, 2, nullptr, 0, nullptr);
    PS_EMIT(e_, Kind::pollCtl, "runtime.netpollopen", CtlOp::add, fd, keventMask(ev[0]) | keventMask(ev[1]),
            static_cast<int64_t>(tag), r.ret, r.err);
    return r.ret < 0 ? static_cast<int>(r.err) : 0;
  }

  // Nothing to do: close(2) removes the knotes.
  int close(int) override { return 0; }

  void breakPoll(trace::BreakCaller caller) override {
    uint32_t zero = 0;
    if (!wakeSig_.compare_exchange_strong(zero, 1)) {
      PS_EMIT(e_, Kind::netpollBreak, "runtime.netpollBreak", true, caller);
      return;
    }
    PS_EMIT(e_, Kind::netpollBreak, "runtime.netpollBreak", false, caller);
    wakeNetpoll();
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
    PS_EMIT(e_, Kind::pollEnter, "runtime.netpoll", site, delay, delay < 0 ? -1 : delay / 1000000);
    struct kevent events[64];
    PollResult res;
    int n;
    for (;;) {
      auto r = sys::kevent(kq_, nullptr, 0, events, 64, tp);
      PS_EMIT(e_, Kind::sys, "runtime.netpoll", SysOp::kevent, kq_, r.ret, r.err, 64);
      if (r.ret >= 0) {
        n = static_cast<int>(r.ret);
        break;
      }
      if (r.err != EINTR && r.err != ETIMEDOUT) throwRuntime(e_, trace::ThrowCode::netpollFailed);
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
        PS_EMIT(e_, Kind::pollEvent, "runtime.netpoll", wakeupFd(ev), 0, keventMask(ev), trace::Mode::none, 0, 0,
                PollAction::wakeup);
        bool blocking = delay != 0;
        processWakeupEvent(blocking);
        if (blocking) wakeSig_.store(0);
        PS_EMIT(e_, Kind::breakConsume, "runtime.netpoll", blocking, blocking);
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
      PS_EMIT(e_, Kind::pollEvent, "runtime.netpoll", static_cast<int64_t>(ev.ident), pd->id, keventMask(ev), mode,
              static_cast<int64_t>(tag), static_cast<int64_t>(cur), fresh ? PollAction::ready : PollAction::staleDrop);
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
    kq_ = -1;
    pipe_.close();
  }

 private:
#if defined(PS_WAKEUP_PIPE)
  // ---- netpoll_kqueue_pipe.go (netbsd, openbsd) ----
  void addWakeupEvent() {
    pipe_.open();
    struct kevent ev;
    EV_SET(&ev, pipe_.readFd(), EVFILT_READ, EV_ADD, 0, 0, nullptr);
    auto r = sys::kevent(kq_, &ev, 1, nullptr, 0, nullptr);
    PS_EMIT(e_, Kind::pollCtl, "runtime.addWakeupEvent", CtlOp::add, pipe_.readFd(), keventMask(ev), 0, r.ret, r.err);
    if (r.ret < 0) throwRuntime(e_, trace::ThrowCode::keventFailed);
  }
  void wakeNetpoll() {
    pipe_.trigger();
  }
  bool isWakeup(const struct kevent& ev) {
    if (static_cast<int>(ev.ident) != pipe_.readFd()) return false;
    if (ev.filter == EVFILT_READ) return true;
    throwRuntime(e_, trace::ThrowCode::breakFdUnexpected);
  }
  int64_t wakeupFd(const struct kevent& ev) const {
    return static_cast<int64_t>(ev.ident);
  }
  // Only a blocking poll reads the byte; a non-blocking one leaves the level-
  // triggered pipe readable for the blocking poller.
  void processWakeupEvent(bool blocking) {
    if (blocking) pipe_.drain();
  }
#else
  // ---- netpoll_kqueue_event.go (darwin, freebsd, dragonfly) ----
  void addWakeupEvent() {
    struct kevent ev;
    EV_SET(&ev, kWakeupIdent, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, nullptr);
    for (;;) {
      auto r = sys::kevent(kq_, &ev, 1, nullptr, 0, nullptr);
      PS_EMIT(e_, Kind::pollCtl, "runtime.addWakeupEvent", CtlOp::add, -1, keventMask(ev), 0, r.ret, r.err);
      if (r.ret == 0) return;
      // All changes should have been applied before EINTR; Go retries anyway.
      if (r.err == EINTR) continue;
      throwRuntime(e_, trace::ThrowCode::keventFailed);
    }
  }
  void wakeNetpoll() {
    struct kevent ev;
    EV_SET(&ev, kWakeupIdent, EVFILT_USER, 0, NOTE_TRIGGER, 0, nullptr);
    for (;;) {
      auto r = sys::kevent(kq_, &ev, 1, nullptr, 0, nullptr);
      PS_EMIT(e_, Kind::pollCtl, "runtime.wakeNetpoll", CtlOp::mod, -1, keventMask(ev), 0, r.ret, r.err);
      if (r.ret == 0) return;
      if (r.err == EINTR) continue;
      throwRuntime(e_, trace::ThrowCode::breakWriteFailed);
    }
  }
  bool isWakeup(const struct kevent& ev) {
    if (ev.filter != EVFILT_USER) return false;
    if (ev.ident == kWakeupIdent) return true;
    std::fprintf(stderr, "runtime: netpoll: break fd ready for %lu\n", static_cast<unsigned long>(ev.ident));
    throwRuntime(e_, trace::ThrowCode::breakFdUnexpected);
  }
  int64_t wakeupFd(const struct kevent&) const {
    return -1;
  }
  // EV_CLEAR consumed the trigger; if a non-blocking poll got it (the wrong
  // poller), relay it so the blocking poller still wakes. netpollWakeSig stays set.
  void processWakeupEvent(bool blocking) {
    if (!blocking) wakeNetpoll();
  }
#endif

  Netpoll& np_;
  Engine* e_;
  int kq_ = -1;
  WakeupPipe pipe_;  // used only with PS_WAKEUP_PIPE
  std::atomic<uint32_t> wakeSig_{0};
};
}  // namespace

std::unique_ptr<PollBackend> makeDefaultBackend(Netpoll& np) {
  return std::make_unique<KqueueBackend>(np);
}

}  // namespace pollscope::netpoll
#endif
