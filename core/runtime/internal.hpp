// Runtime internals: G, M, P, the scheduler state. Only runtime/ and netpoll/
// include this (they are one unit, as in Go); everything else uses runtime.hpp.
// Sections: 1. G and queues  2. P  3. M  4. timers  5. Engine  6. getm
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/context.hpp"
#include "runtime/goroutine_names.hpp"
#include "runtime/runtime.hpp"
#include "runtime/timer.hpp"
#include "trace/event.hpp"
#include "trace/recorder.hpp"
#include "trace/vocabulary.hpp"

namespace pollscope::netpoll {
class Netpoll;
}

namespace pollscope::rt {

using trace::GStatus;
using trace::WaitReason;
struct M;
struct P;

// ---- 1. G and queues -------------------------------------------------------
// What every park and ready touches (status, the park commit, the run-queue link,
// the saved stack pointer) comes first, in the G's first cache line: a server with
// thousands of goroutines finds most of them cold, and each extra line is a miss.
struct alignas(64) G {
  std::atomic<GStatus> status{GStatus::Gidle};
  WaitReason waitReason = WaitReason::none;
  int64_t id = 0;
  Engine* engine = nullptr;
  G* schedlink = nullptr;
  // gopark's unlockf, run on g0 by park_m after the G is _Gwaiting.
  bool (*parkCommit)(G*, void*) = nullptr;
  void* parkArg = nullptr;
  Context ctx;  // ctx.sp, its first member, ends the first cache line
  bool isMain = false;
  std::unique_ptr<Stack> stack;
  std::function<void()> fn;
  std::string name;
};

// Go's gList: a LIFO stack linked through schedlink (push prepends).
struct GList {
  G* head = nullptr;
  int n = 0;
  bool empty() const { return head == nullptr; }
  void push(G* g) {
    g->schedlink = head;
    head = g;
    ++n;
  }
  G* pop() {
    G* g = head;
    if (g) {
      head = g->schedlink;
      g->schedlink = nullptr;
      --n;
    }
    return g;
  }
};

// ---- 2. P ------------------------------------------------------------------
struct P {
  int id = 0;
  std::mutex runqLock;  // Go's runq is a lock-free ring; see docs/fidelity.md
  std::deque<G*> runq;
  G* runnext = nullptr;
  P* link = nullptr;  // pidle list
  M* m = nullptr;
  uint32_t schedtick = 0;
};
inline constexpr size_t kLocalRunqSize = 256;

// ---- 3. M ------------------------------------------------------------------
struct M {
  int id = 0;
  Engine* engine = nullptr;
  std::thread thread;
  Context g0;
  G* curg = nullptr;
  P* p = nullptr;
  P* nextp = nullptr;
  bool spinning = false;
  M* schedlink = nullptr;  // midle list
  // A note (Go's notesleep/notewakeup) the M parks on in stopm.
  std::mutex noteMu;
  std::condition_variable noteCv;
  bool noteSignalled = false;
  // mcall: what g0 does after the goroutine switched to it.
  G* (*mcallFn)(M*, G*) = nullptr;
};

// ---- 4. timers ---------------------------------------------------------------
// One heap for the whole runtime (Go keeps one per P; see docs/fidelity.md).
// Timer itself is in runtime/timer.hpp: a pollDesc holds two.
class TimerHeap {
 public:
  explicit TimerHeap(Engine& e) : e_(e) {}
  // Go's t.modify: (re)arms t; returns whether it was pending. Calls wakeNetPoller
  // when the earliest timer moves earlier.
  bool modify(Timer* t, int64_t when, void (*f)(void*, uintptr_t, int64_t), void* arg, uintptr_t seq);
  bool stop(Timer* t);  // returns whether it was pending
  // Runs every timer due at `now` (without holding the heap lock) and returns
  // the next `when`, or 0 when the heap is empty.
  int64_t runDue(int64_t now);
  // Go's checkTimers as findRunnable calls it (now = 0): reads the earliest `when`
  // without the lock (Go's pp.timer0When), and the clock only when a timer is
  // pending; then runs what is due. Sets *now when it read the clock.
  int64_t checkTimers(int64_t* now);
  int64_t next();
  bool empty();

 private:
  void up(size_t i);
  void down(size_t i);
  void removeAt(size_t i);
  void publishFirst();  // mu_ held: first_ = the earliest when, 0 when empty
  Engine& e_;
  std::mutex mu_;
  std::vector<Timer*> heap_;
  std::atomic<int64_t> first_{0};  // Go's timer0When
};

// ---- 5. Engine -------------------------------------------------------------
// Counts an engine that records in rt::enginesRecording for as long as it lives.
class EngineRecording {
 public:
  explicit EngineRecording(const trace::Recorder* rec) : on_(rec != nullptr) {
    if (on_) enginesRecording.fetch_add(1, std::memory_order_relaxed);
  }
  ~EngineRecording() {
    if (on_) enginesRecording.fetch_sub(1, std::memory_order_relaxed);
  }
  EngineRecording(const EngineRecording&) = delete;
  EngineRecording& operator=(const EngineRecording&) = delete;

 private:
  bool on_;
};

struct Engine {
  explicit Engine(Options o);
  ~Engine();

  Options opt;
  trace::Recorder* rec = nullptr;
  EngineRecording recording{opt.recorder};  // after opt: initialised from it

  // sched (Go's schedt)
  std::mutex lock;  // sched.lock
  std::deque<G*> globrunq;
  std::atomic<int32_t> runqsize{0};
  P* pidle = nullptr;
  std::atomic<int32_t> npidle{0};
  M* midle = nullptr;
  int nmidle = 0;
  int mcount = 0;
  std::atomic<int32_t> nmspinning{0};
  std::atomic<int64_t> lastpoll{0};
  std::atomic<int64_t> pollUntil{0};
  std::atomic<uint32_t> pollingNet{0};
  std::atomic<bool> shutdown{false};
  std::atomic<bool> exiting{false};  // main has returned: stop recording (Go's exit is not traced)
  int nmsys = 0;                     // system Ms (sysmon), not counted by checkdead; guarded by lock

  std::vector<std::unique_ptr<P>> allp;
  std::vector<std::unique_ptr<M>> allm;  // guarded by lock
  std::mutex allgMu;
  std::vector<std::unique_ptr<G>> allgs;
  std::vector<G*> gfree;  // dead Gs kept for reuse (Go's gFree); guarded by allgMu
  GoroutineNames gnames;  // guarded by allgMu
  std::atomic<int64_t> nextGoid{1};

  TimerHeap timers{*this};
  std::unique_ptr<netpoll::Netpoll> netpoll;

  std::thread sysmonThread;
  std::mutex sysmonMu;
  std::condition_variable sysmonCv;
  int sysmonRequests = 0;  // Options::sysmonOnDemand: tick while > 0 (guarded by sysmonMu)

  std::mutex errMu;
  std::exception_ptr fatal;  // first fatal error, rethrown by Runtime::run
  void setFatal(std::exception_ptr e);
};

// ---- 6. getm ----------------------------------------------------------------
// (currentEngine, emitFields and PS_EMIT are in runtime/runtime.hpp: poll, net and
// scenarios record events too.)
// The M running on this thread (nullptr outside the runtime). Not inlined: the
// caller may be a goroutine that has moved to another thread since its last call.
M* getm();
void setm(M* m);
G* getg();  // running goroutine, nullptr on g0

// Go's throw: records the throw, then aborts (or throws RuntimeThrow on a G in tests).
[[noreturn]] void throwRuntime(Engine* e, trace::ThrowCode code);

// scheduler entry points used by netpoll and the poll layer
void gopark(bool (*commit)(G*, void*), void* arg, WaitReason reason);
void goready(G* gp, trace::ReadyBy by);
void injectglist(Engine* e, GList& list, trace::ReadyBy by);
// Go's gfget/gfput: a dead G for newproc1 to reuse (else a new one, owned through
// *fresh until it joins allgs), and a G that has exited, kept for reuse.
G* gfget(Engine* e, std::unique_ptr<G>* fresh);
void gfput(Engine* e, G* gp);
void casgstatus(G* gp, GStatus from, GStatus to, WaitReason reason = WaitReason::none);
void wakeNetPoller(Engine* e, int64_t when);
int64_t nanotime();

}  // namespace pollscope::rt
