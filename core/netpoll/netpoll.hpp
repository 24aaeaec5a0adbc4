// The network poller (Go's runtime/netpoll.go): pollDesc and its rg/wg
// semaphores, the pollcache, netpollblock/unblock/ready, deadlines, and the
// poll_runtime_* entry points used by the FD layer. docs/go-netpoll.md is the
// account of Go this follows; section numbers (§N) below refer to it.
//
// Public: poll, net and scenarios include it, so it never includes
// runtime/internal.hpp. The backend interface and the scheduler-side calls that
// need the runtime's G lists are in netpoll/backend.hpp (runtime/ and netpoll/ only).
//
// The backend contract (what Go's netpoll.go header asks of netpoll_epoll.go,
// netpoll_kqueue.go, ...; PollBackend in netpoll/backend.hpp, docs/go-netpoll.md §6). The
// platform-independent half (this file) calls a backend only through these:
//
//   init()         Create the kernel poller and its wakeup channel. Called once,
//                  lazily, by the first pollOpen or timer (genericInit, Go's
//                  netpollGenericInit); failure is fatal (Go throws).
//   open(fd, pd)   Register fd for edge-triggered read and write readiness,
//                  once for the fd's whole life (no re-arming), carrying
//                  taggedPointerPack(pd, pd->fdseq) so a late event can be
//                  traced back to pd and recognised as stale (§4). Returns an
//                  errno, 0 on success; pollOpen frees pd on failure.
//   close(fd)      Stop notifications for fd before close(2) (epoll: DEL;
//                  kqueue: nothing, close(2) removes the knotes). Returns an
//                  errno. Events already dequeued may still arrive later: the
//                  fdseq tag, not close, is what makes them harmless.
//   poll(delay)    Wait for readiness. delay < 0: block until an event or a
//                  break; delay == 0: look without blocking; delay > 0: block
//                  for about delay ns (converted to the kernel's unit, at
//                  least 1 ms on epoll, and clamped, §6). May return early
//                  and empty (EINTR during a timed wait, a break): callers
//                  recompute their timeout and call again. For each event
//                  whose fdseq tag still matches it calls setEventErr and
//                  netpollready; the returned list holds every G those readied
//                  and `delta` the sum of their waiter deltas, which the caller
//                  applies with adjustWaiters only after the Gs are runnable
//                  (#61454). An empty list never comes with a non-zero delta.
//                  Only a blocking call (delay != 0) consumes a break.
//   breakPoll(c)   Wake a poll that is blocked (or about to block). Safe from
//                  any thread; concurrent calls collapse into one wakeup
//                  (netpollWakeSig). A non-blocking poll that sees the wakeup
//                  leaves it for the blocking poller.
//   shutdown()     Close the poller's descriptors (no Go counterpart: Go's
//                  poller lives as long as the process).
//
// Who calls poll (§7): findRunnable (delay 0 with waiters, or delay -1 / until
// the next timer after dropping its P, one M at a time via lastpoll), sysmon
// (delay 0 when nobody polled for 10 ms). Never stopm.
//
// Sections: 1. pollDesc  2. pollcache  3. Netpoll
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "runtime/runtime.hpp"
#include "runtime/timer.hpp"
#include "trace/event.hpp"

namespace pollscope::rt {
struct G;
struct GList;
}  // namespace pollscope::rt

namespace pollscope::netpoll {

using rt::Engine;
using rt::G;
using rt::GList;
using trace::Mode;

// rg/wg values; anything greater than pdWait is a G*. Each of rg (readers) and
// wg (writers) is a one-waiter binary semaphore; trace::SemState names these
// values and trace::SemBy the functions that move them (docs/go-netpoll.md §2):
//
//                   unblockIo: the event came first, nobody is waiting
//        .------------------------------------------------------------.
//        |                                                            v
//   +---------+   blockPrepare (CAS)   +---------+   unblockIo    +---------+
//   |  pdNil  | ---------------------> | pdWait  | -------------> | pdReady |
//   +---------+                        +---------+ (commit fails) +---------+
//    ^  ^   ^                           |      |                   ^    |
//    |  |   |  unblockTimeout/Close     |      | blockCommit       |    |
//    |  |   '---------------------------'      | (CAS on g0,       |    |
//    |  |      (commit fails), or blockSwap    |  waiters +1)      |    |
//    |  |      when checkerr skipped the park  v                   |    |
//    |  |                               +---------+   unblockIo    |    |
//    |  '------------------------------ |    G    | ---------------'    |
//    |     unblockTimeout/Close         +---------+  (G readied,        |
//    |     (G readied, delta -1)                      delta -1)         |
//    '------------------------------------------------------------------'
//        blockConsume (CAS, no park), or blockSwap after the G woke
//
//   pollReset and pollOpen store pdNil over any state. No change: unblockIo on
//   pdReady (events collapse into one token), unblockTimeout/Close on pdNil (no
//   token left behind). netpollblock finding pdWait or G throws "double wait".
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
// Taken only when the engine records (`tracing`): with no record to order, the
// atomics alone run, as in Go.
class SemTraceGuard {
 public:
  SemTraceGuard(PollDesc* pd, bool tracing) : pd_(tracing ? pd : nullptr) {
    if (!pd_) return;
    while (pd_->semTrace.test_and_set(std::memory_order_acquire)) {
    }
  }
  ~SemTraceGuard() {
    if (pd_) pd_->semTrace.clear(std::memory_order_release);
  }
  SemTraceGuard(const SemTraceGuard&) = delete;
  SemTraceGuard& operator=(const SemTraceGuard&) = delete;

 private:
  PollDesc* pd_;
};

static_assert(sizeof(PollDesc) == 512, "pollDesc should pad to tagAlign like Go 1.25");

// taggedPointer (runtime/tagptr_64bit.go, Go 1.25 layout): the pointer, known to be
// 512-aligned, shifted up; the low tagBits carry fdseq. addrBits per OS/arch as Go:
// 48 on amd64 and arm64 whatever the OS (so 25 tag bits on linux, darwin and the
// BSDs alike), 56 on riscv64 (SV57). amd64 sign-extends when unpacking, because
// its stacks may sit above the VA hole.
#if defined(__riscv) && __riscv_xlen == 64
inline constexpr int kAddrBits = 56;
#else
inline constexpr int kAddrBits = 48;
#endif
inline constexpr int kTagAlignBits = 9;
inline constexpr int kTagBits = 64 - kAddrBits + kTagAlignBits;  // 25 on amd64/arm64
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

struct PollResult;  // netpoll/backend.hpp
class PollBackend;  // netpoll/backend.hpp

// ---- 3. Netpoll ----------------------------------------------------------------
class Netpoll {
 public:
  explicit Netpoll(Engine& e);
  ~Netpoll();

  void init();
  void shutdown();
  bool inited() const { return inited_.load(std::memory_order_acquire); }
  // Whether the engine records: the trace-ordering locks are taken only then.
  bool tracing() const { return tracing_; }
  const char* backendName() const;
  Engine& engine() { return e_; }

  // Scheduler side.
  bool anyWaiters() const { return waiters_.load() > 0; }
  int32_t waiters() const { return static_cast<int32_t>(waiters_.load()); }
  void adjustWaiters(int32_t delta);                              // netpollAdjustWaiters
  inline PollResult poll(int64_t delayNs, trace::PollSite site);  // defined in netpoll/backend.hpp
  inline void breakPoll(trace::BreakCaller caller);               // defined in netpoll/backend.hpp
  // netpollGenericInit: the first pollOpen or timer initialises the poller (once).
  void genericInit();

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
    // After those `n` events were processed, before netpoll returns its list.
    std::function<void(int n)> afterPollEvents;
    // On g0 right after a successful netpollblockcommit: the G is parked on pd/mode.
    std::function<void(PollDesc*, Mode)> afterCommit;
    // After a deadline timer expired pd (not for stale timers), before the woken
    // goroutines run.
    std::function<void(PollDesc*, bool read, bool write)> afterDeadlineFire;
    // In pollWait on the woken G, after netpollblock returned false (a timeout or
    // close), before netpollcheckerr asks again whether the error still stands.
    std::function<void(PollDesc*, Mode)> beforeRecheck;
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
  bool tracing_ = false;              // the engine has a recorder (set once, at construction)
  // waitersTraceMu_, held when tracing (else an empty lock).
  std::unique_lock<std::mutex> waitersTraceLock() {
    return tracing_ ? std::unique_lock<std::mutex>(waitersTraceMu_) : std::unique_lock<std::mutex>();
  }
  std::atomic<bool> inited_{false};
  std::mutex initLock_;  // netpollInitLock
};

trace::SemState semValueState(uintptr_t v);  // SemState of a raw rg/wg value
int64_t semValueG(uintptr_t v);              // goroutine id when v holds a G, else 0

}  // namespace pollscope::netpoll
