// The network poller (Go's runtime/netpoll.go): pollDesc and its rg/wg
// semaphores, the pollcache, netpollblock/unblock/ready, deadlines, and the
// poll_runtime_* entry points used by the FD layer.
//
// Sections: 1. pollDesc  2. pollcache  3. backend interface  4. Netpoll
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "runtime/internal.hpp"
#include "trace/event.hpp"

namespace pollscope::netpoll {

using rt::Engine;
using rt::G;
using rt::GList;
using trace::Mode;

// rg/wg values; anything greater than pdWait is a G*.
inline constexpr uintptr_t pdNil = 0;
inline constexpr uintptr_t pdReady = 1;
inline constexpr uintptr_t pdWait = 2;

// ---- 1. pollDesc -------------------------------------------------------------
// Aligned to 512 bytes like Go 1.25 (tagAlign) so the address packs with a tag.
struct alignas(512) PollDesc {
  PollDesc* link = nullptr;  // pollcache free list
  int id = 0;                // stable number for traces (pd1, pd2, ... in allocation order)
  int block = 0;             // which pollcache block it came from
  int fd = -1;
  std::atomic<uintptr_t> fdseq{0};
  std::atomic<uint32_t> atomicInfo{0};
  std::atomic<uintptr_t> rg{pdNil};
  std::atomic<uintptr_t> wg{pdNil};
  // Held only around one rg/wg atomic operation and its trace record, so that the
  // trace order of a pd's transitions is the order in which the atomics happened
  // even when several Ms race on it (see docs/fidelity.md).
  std::atomic_flag semTrace = ATOMIC_FLAG_INIT;

  std::mutex lock;  // pd.lock: protects the fields below
  bool closing = false;
  uintptr_t rseq = 0;
  uintptr_t wseq = 0;
  int64_t rd = 0;  // read deadline: 0 none, <0 expired, else absolute nanotime
  int64_t wd = 0;
  bool rrun = false;  // rt is armed
  bool wrun = false;
  rt::Timer rt;
  rt::Timer wt;

  std::atomic<uintptr_t>& sem(Mode mode) { return mode == Mode::w ? wg : rg; }
};
class SemTraceGuard {
 public:
  explicit SemTraceGuard(PollDesc* pd) : pd_(pd) {
    while (pd_->semTrace.test_and_set(std::memory_order_acquire)) {
    }
  }
  ~SemTraceGuard() { pd_->semTrace.clear(std::memory_order_release); }
  SemTraceGuard(const SemTraceGuard&) = delete;
  SemTraceGuard& operator=(const SemTraceGuard&) = delete;

 private:
  PollDesc* pd_;
};

static_assert(sizeof(PollDesc) == 512, "pollDesc should pad to tagAlign like Go 1.25");

// taggedPointer (runtime/tagptr_64bit.go, Go 1.25 layout): the pointer, known to be
// 512-aligned and below 2^48, shifted up; the low tagBits carry fdseq.
inline constexpr int kAddrBits = 48;
inline constexpr int kTagAlignBits = 9;
inline constexpr int kTagBits = 64 - kAddrBits + kTagAlignBits;  // 25
inline constexpr uintptr_t kTagMask = (uintptr_t{1} << kTagBits) - 1;
uint64_t taggedPointerPack(PollDesc* pd, uintptr_t tag);
PollDesc* taggedPointerPointer(uint64_t tp);
uintptr_t taggedPointerTag(uint64_t tp);

// ---- 2. pollcache ------------------------------------------------------------
// Type-stable blocks of pollDescs that are never freed while the runtime lives:
// the kernel may still hand back a pd's address after the fd closed.
class PollCache {
 public:
  explicit PollCache(Engine& e) : e_(e) {}
  ~PollCache();
  PollDesc* alloc();
  void free(PollDesc* pd);

 private:
  Engine& e_;
  std::mutex lock_;
  PollDesc* first_ = nullptr;
  std::vector<PollDesc*> blocks_;  // each the start of kPollBlockSize bytes
  int nextId_ = 1;
};
inline constexpr size_t kPollBlockSize = 4096;

// ---- 3. backend interface -----------------------------------------------------
struct PollResult {
  GList list;
  int32_t delta = 0;
};

class Netpoll;

// What Go calls the platform netpoll: netpollinit/open/close/netpoll/netpollBreak.
class PollBackend {
 public:
  virtual ~PollBackend() = default;
  virtual const char* name() const = 0;
  virtual void init() = 0;
  virtual int open(int fd, PollDesc* pd) = 0;  // returns errno, 0 on success
  virtual int close(int fd) = 0;
  virtual void breakPoll() = 0;
  virtual PollResult poll(int64_t delayNs, trace::PollSite site) = 0;
  virtual void shutdown() = 0;
};
std::unique_ptr<PollBackend> makeDefaultBackend(Netpoll& np);  // epoll on Linux, kqueue on BSDs

// ---- 4. Netpoll ----------------------------------------------------------------
class Netpoll {
 public:
  explicit Netpoll(Engine& e);
  ~Netpoll();

  void init();
  void shutdown();
  bool inited() const { return inited_.load(std::memory_order_acquire); }
  const char* backendName() const { return backend_->name(); }
  Engine& engine() { return e_; }

  // Scheduler side.
  bool anyWaiters() const { return waiters_.load() > 0; }
  int32_t waiters() const { return static_cast<int32_t>(waiters_.load()); }
  void adjustWaiters(int32_t delta);  // netpollAdjustWaiters
  PollResult poll(int64_t delayNs, trace::PollSite site) { return backend_->poll(delayNs, site); }
  void breakPoll() {
    if (inited()) backend_->breakPoll();
  }

  // poll_runtime_* (what internal/poll calls through fd_poll_runtime.go).
  PollDesc* pollOpen(int fd, int* errnoOut);
  void pollClose(PollDesc* pd);
  int pollReset(PollDesc* pd, Mode mode);
  int pollWait(PollDesc* pd, Mode mode);
  void pollUnblock(PollDesc* pd);
  void pollSetDeadline(PollDesc* pd, int64_t d, Mode mode);

  // Used by backends and tests.
  int32_t netpollready(GList& toRun, PollDesc* pd, Mode mode);
  void setEventErr(PollDesc* pd, bool b, uintptr_t seq);
  int netpollcheckerr(PollDesc* pd, Mode mode);
  bool netpollblock(PollDesc* pd, Mode mode, bool waitio);
  G* netpollunblock(PollDesc* pd, Mode mode, bool ioready, int32_t* delta);
  void publishInfo(PollDesc* pd);

  // A deadline timer fired (netpolldeadlineimpl); seq is the one it was armed with.
  void deadlineImpl(PollDesc* pd, uintptr_t seq, bool read, bool write);

  // Injection points that make Go's rare races happen on purpose (tests and
  // scenarios). Each runs on the real engine at the named moment; unset, they cost
  // one branch.
  struct Hooks {
    // Start of netpollblock: after the syscall's EAGAIN, before any rg/wg change.
    std::function<void(PollDesc*, Mode)> beforeBlock;
    // In netpollblockcommit on g0, before the pdWait -> G CAS.
    std::function<void(PollDesc*, Mode)> beforeCommit;
    // After epoll_wait/kevent returned `n` events, before any is processed.
    std::function<void(int n)> afterPollWait;
    // On g0 right after a successful netpollblockcommit: the G is parked on pd/mode.
    std::function<void(PollDesc*, Mode)> afterCommit;
    // After a deadline timer expired pd (not for stale timers), before the woken
    // goroutines run.
    std::function<void(PollDesc*, bool read, bool write)> afterDeadlineFire;
  };
  Hooks hooks;

  PollBackend& backend() { return *backend_; }

 private:
  friend class PollCache;
  Engine& e_;
  std::unique_ptr<PollBackend> backend_;
  PollCache cache_;
  std::atomic<uint32_t> waiters_{0};  // netpollWaiters
  std::mutex waitersTraceMu_;         // keeps waiters records in the order of the atomic adds
  std::atomic<bool> inited_{false};
};

trace::SemState semValueState(uintptr_t v);  // SemState of a raw rg/wg value
int64_t semValueG(uintptr_t v);              // goroutine id when v holds a G, else 0

}  // namespace pollscope::netpoll
