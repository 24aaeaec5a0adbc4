// The scheduler (Go's proc.go): gopark/goready, run queues, findRunnable with its
// netpoll calls, M start/stop, and the Runtime object.
//
// Sections: 1. current M and emit  2. G status and creation  3. run queues
//           4. Ps and Ms  5. park/ready/inject  6. findRunnable  7. schedule loop
//           8. Runtime API
#include <pthread.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "netpoll/backend.hpp"
#include "runtime/internal.hpp"
#include "trace/vocabulary.hpp"

namespace pollscope::rt {
using trace::Kind;

// ---- 1. current M and emit -------------------------------------------------
namespace {
thread_local M* tlsM = nullptr;
}
[[gnu::noinline]] M* getm() {
  return tlsM;
}
[[gnu::noinline]] void setm(M* m) {
  tlsM = m;
}
Engine* currentEngine() {
  M* m = getm();
  return m ? m->engine : nullptr;
}
G* getg() {
  M* m = getm();
  return m ? m->curg : nullptr;
}

int64_t nanotime() {
  return trace::monotonicNs();
}

void emitFields(Engine* e, trace::Kind kind, const trace::Site* site, const void* fields, size_t bytes) {
  // Once main has returned the engine only stops its threads: like a Go
  // program's exit, that is not part of the trace (no break, no eventfd write).
  if (!e || !e->rec || e->exiting.load(std::memory_order_acquire)) return;
  M* m = getm();
  int16_t mid = m ? static_cast<int16_t>(m->id) : -1;
  int16_t pid = (m && m->p) ? static_cast<int16_t>(m->p->id) : -1;
  int64_t gid = (m && m->curg) ? m->curg->id : 0;
  e->rec->recordFields(kind, site, mid, pid, gid, fields, bytes);
}

const char* RuntimeThrow::what() const noexcept {
  return trace::throwMessage(code);
}

void throwRuntime(Engine* e, trace::ThrowCode code) {
  PS_EMIT(e, Kind::throw_, "runtime.throw", code);
  if (e && e->opt.throwsAsExceptions && getg() != nullptr) throw RuntimeThrow(static_cast<int64_t>(code));
  std::fprintf(stderr, "fatal error: runtime: %s\n", trace::throwMessage(static_cast<int64_t>(code)));
  std::abort();
}

void Engine::setFatal(std::exception_ptr e) {
  std::lock_guard lk(errMu);
  if (!fatal) fatal = e;
}

// ---- 2. G status and creation ----------------------------------------------
void casgstatus(G* gp, GStatus from, GStatus to, WaitReason reason) {
  GStatus expected = from;
  if (!gp->status.compare_exchange_strong(expected, to, std::memory_order_acq_rel)) {
    std::fprintf(stderr, "fatal error: casgstatus: G%lld is %d, wanted %d -> %d\n", static_cast<long long>(gp->id),
                 static_cast<int>(expected), static_cast<int>(from), static_cast<int>(to));
    std::abort();
  }
  PS_EMIT(gp->engine, Kind::gStatus, "runtime.casgstatus", gp->id, from, to,  // reason
          reason);
}

namespace {
void goexit1();

// First frame of every goroutine.
void goroutineEntry(void* arg) {
  enteredContext();
  G* gp = static_cast<G*>(arg);
  try {
    gp->fn();
  } catch (...) {
    // Go would crash the process; here the run stops and reports the error.
    gp->engine->setFatal(std::current_exception());
  }
  gp->fn = nullptr;  // destroy captured state while still on this stack's thread of control
  goexit1();
}

G* newproc1(Engine* e, std::function<void()> fn, std::string name, int64_t parent) {
  std::unique_ptr<G> g;  // set only when a new G is allocated (gfget may reuse a dead one)
  G* gp = gfget(e, &g);  // Go's gfget: servers start a goroutine per connection for ever
  gp->id = e->nextGoid.fetch_add(1);
  gp->name = name.empty() ? "g" + std::to_string(gp->id) : std::move(name);
  gp->engine = e;
  gp->fn = std::move(fn);
  if (!gp->stack) gp->stack = std::make_unique<Stack>(e->opt.stackSize);  // a reused G keeps its stack
  initGoroutineContext(gp->ctx, *gp->stack, &goroutineEntry, gp);
  {
    std::lock_guard lk(e->allgMu);
    e->gnames.set(gp->id, gp->name);
    if (g) e->allgs.push_back(std::move(g));
  }
  PS_EMIT(e, Kind::gCreate, "runtime.newproc1", gp->id, parent);
  casgstatus(gp, GStatus::Gidle, GStatus::Grunnable);
  return gp;
}
}  // namespace

// ---- 3. run queues -----------------------------------------------------------
namespace {
void globrunqput(Engine* e, G* gp) {  // sched.lock held
  e->globrunq.push_back(gp);
  e->runqsize.fetch_add(1);
}

G* globrunqget(Engine* e) {  // sched.lock held
  if (e->globrunq.empty()) return nullptr;
  G* gp = e->globrunq.front();
  e->globrunq.pop_front();
  e->runqsize.fetch_sub(1);
  return gp;
}

void runqput(Engine* e, P* pp, G* gp, bool next) {
  std::unique_lock lk(pp->runqLock);
  if (next) {
    G* old = pp->runnext;
    pp->runnext = gp;
    if (!old) return;
    gp = old;  // kick the old runnext to the tail, as Go does
  }
  if (pp->runq.size() < kLocalRunqSize) {
    pp->runq.push_back(gp);
    return;
  }
  // runqputslow: move half of the local queue plus gp to the global queue.
  std::vector<G*> batch(pp->runq.begin(), pp->runq.begin() + kLocalRunqSize / 2);
  pp->runq.erase(pp->runq.begin(), pp->runq.begin() + kLocalRunqSize / 2);
  lk.unlock();
  batch.push_back(gp);
  std::lock_guard slk(e->lock);
  for (G* g : batch) globrunqput(e, g);
}

G* runqget(P* pp) {
  std::lock_guard lk(pp->runqLock);
  if (G* next = pp->runnext) {
    pp->runnext = nullptr;
    return next;
  }
  if (pp->runq.empty()) return nullptr;
  G* gp = pp->runq.front();
  pp->runq.pop_front();
  return gp;
}

bool runqempty(P* pp) {
  std::lock_guard lk(pp->runqLock);
  return pp->runnext == nullptr && pp->runq.empty();
}

// Steals half of victim's queue into pp and returns one G to run.
G* runqsteal(P* pp, P* victim) {
  std::vector<G*> taken;
  {
    std::lock_guard lk(victim->runqLock);
    size_t n = victim->runq.size() - victim->runq.size() / 2;
    if (n == 0 && victim->runnext) {
      taken.push_back(victim->runnext);
      victim->runnext = nullptr;
    }
    for (size_t i = 0; i < n; ++i) {
      taken.push_back(victim->runq.front());
      victim->runq.pop_front();
    }
  }
  if (taken.empty()) return nullptr;
  G* gp = taken.back();
  taken.pop_back();
  std::lock_guard lk(pp->runqLock);
  for (G* g : taken) pp->runq.push_back(g);
  return gp;
}
}  // namespace

// ---- 4. Ps and Ms ------------------------------------------------------------
namespace {
void pidleput(Engine* e, P* pp) {  // sched.lock held
  pp->link = e->pidle;
  e->pidle = pp;
  e->npidle.fetch_add(1);
}

P* pidleget(Engine* e) {  // sched.lock held
  P* pp = e->pidle;
  if (pp) {
    e->pidle = pp->link;
    pp->link = nullptr;
    e->npidle.fetch_sub(1);
  }
  return pp;
}

void acquirep(M* m, P* pp) {
  m->p = pp;
  pp->m = m;
  PS_EMIT(m->engine, Kind::mp, "runtime.acquirep", trace::SchedOp::acquirep, pp->id, m->id);
}

P* releasep(M* m) {
  P* pp = m->p;
  pp->m = nullptr;
  m->p = nullptr;
  PS_EMIT(m->engine, Kind::mp, "runtime.releasep", trace::SchedOp::releasep, pp->id, m->id);
  return pp;
}

void setSpinning(M* m, bool on) {
  m->spinning = on;
  PS_EMIT(m->engine, Kind::mp, "runtime.findRunnable", on ? trace::SchedOp::spinningOn : trace::SchedOp::spinningOff,
          m->p ? m->p->id : -1, m->id);
}

void notewakeup(M* m) {
  std::lock_guard lk(m->noteMu);
  m->noteSignalled = true;
  m->noteCv.notify_one();
}

void notesleep(M* m) {
  std::unique_lock lk(m->noteMu);
  m->noteCv.wait(lk, [m] { return m->noteSignalled; });
  m->noteSignalled = false;
}

void mstart(M* m);

void checkdead(Engine* e);

void newm(Engine* e, P* pp, bool spinning) {  // sched.lock held
  auto m = std::make_unique<M>();
  M* mp = m.get();
  mp->id = e->mcount++;
  mp->engine = e;
  mp->nextp = pp;
  mp->spinning = spinning;
  e->allm.push_back(std::move(m));
  PS_EMIT(e, Kind::mp, "runtime.newm", trace::SchedOp::newm, pp ? pp->id : -1, mp->id);
  mp->thread = std::thread([mp] { mstart(mp); });
}

// Go's startm: run some M on pp (an idle P if pp is nullptr).
// Returns whether an M was started (or woken) for the P.
bool startm(Engine* e, P* pp, bool spinning) {
  std::unique_lock lk(e->lock);
  if (e->shutdown.load()) {  // no new work once main has returned
    if (spinning) e->nmspinning.fetch_sub(1);
    return false;
  }
  if (!pp) {
    pp = pidleget(e);
    if (!pp) {
      if (spinning) e->nmspinning.fetch_sub(1);
      return false;
    }
  }
  M* nmp = e->midle;
  if (nmp) {
    e->midle = nmp->schedlink;
    --e->nmidle;
  }
  if (!nmp) {
    newm(e, pp, spinning);
    return true;
  }
  lk.unlock();
  nmp->spinning = spinning;
  nmp->nextp = pp;
  PS_EMIT(e, Kind::mp, "runtime.startm", trace::SchedOp::startm, pp->id, nmp->id);
  notewakeup(nmp);
  return true;
}

// Go's wakep: start a spinning M if there is an idle P and nobody is spinning.
void wakep(Engine* e) {
  if (e->npidle.load() == 0) return;
  int32_t zero = 0;
  if (e->nmspinning.load() != 0 || !e->nmspinning.compare_exchange_strong(zero, 1)) return;
  PS_EMIT(e, Kind::mp, "runtime.wakep", trace::SchedOp::wakep, -1, -1);
  startm(e, nullptr, true);
}

// Starts up to n Ms on idle Ps; returns how many really started.
int startIdle(Engine* e, int n) {
  int started = 0;
  for (int i = 0; i < n; ++i) {
    P* pp;
    {
      std::lock_guard lk(e->lock);
      pp = pidleget(e);
    }
    if (!pp) break;
    if (startm(e, pp, false)) ++started;
  }
  return started;
}

// Go's stopm: park this M until startm hands it a P. Never polls the network.
// Returns false when the runtime is shutting down.
bool stopm(M* m) {
  Engine* e = m->engine;
  {
    std::lock_guard lk(e->lock);
    // beginShutdown wakes the Ms on the idle list under this lock; one that comes
    // later must see the flag here or it would sleep forever.
    if (e->shutdown.load()) return false;
    m->schedlink = e->midle;
    e->midle = m;
    ++e->nmidle;
    checkdead(e);
  }
  PS_EMIT(e, Kind::mp, "runtime.stopm", trace::SchedOp::stopm, -1, m->id);
  notesleep(m);
  if (e->shutdown.load()) return false;
  acquirep(m, m->nextp);
  m->nextp = nullptr;
  if (m->spinning) setSpinning(m, true);  // startm handed it a P to spin with
  return true;
}

struct DeadlockError : std::runtime_error {
  DeadlockError() : std::runtime_error("all goroutines are asleep - deadlock!") {}
};

void beginShutdown(Engine* e, bool lockHeld = false);

// Go's checkdead (sched.lock held): every M is idle, nothing waits on the network
// and no timer is pending, so nothing can ever run again.
void checkdead(Engine* e) {
  if (e->shutdown.load()) return;
  if (e->mcount - e->nmidle - e->nmsys > 0) return;  // sysmon's M does not count, as in Go
  if (e->netpoll && e->netpoll->anyWaiters()) return;
  if (!e->timers.empty()) return;
  e->setFatal(std::make_exception_ptr(DeadlockError()));
  beginShutdown(e, true);
}

void beginShutdown(Engine* e, bool lockHeld) {
  if (e->shutdown.exchange(true)) return;
  e->exiting.store(true, std::memory_order_release);  // from here on nothing is recorded
  if (e->netpoll) e->netpoll->breakPoll(trace::BreakCaller::exit);
  {
    std::unique_lock lk(e->lock, std::defer_lock);
    if (!lockHeld) lk.lock();
    for (M* m = e->midle; m; m = m->schedlink) notewakeup(m);
  }
  std::lock_guard lk(e->sysmonMu);
  e->sysmonCv.notify_all();
}
}  // namespace

// ---- 5. park/ready/inject ------------------------------------------------------
namespace {
void mcall(G* (*fn)(M*, G*), bool finalSwitch = false) {
  M* m = getm();
  G* gp = m->curg;
  m->mcallFn = fn;
  switchContext(gp->ctx, m->g0, finalSwitch);
  // Resumed, possibly on another M: nothing cached from before the switch is used.
}

G* park_m(M* m, G* gp) {
  casgstatus(gp, GStatus::Grunning, GStatus::Gwaiting, gp->waitReason);
  m->curg = nullptr;  // dropg
  if (gp->parkCommit) {
    auto commit = gp->parkCommit;
    void* arg = gp->parkArg;
    gp->parkCommit = nullptr;
    gp->parkArg = nullptr;
    if (!commit(gp, arg)) {
      // The park was aborted: run gp again right away ("park aborted").
      casgstatus(gp, GStatus::Gwaiting, GStatus::Grunnable);
      PS_EMIT(m->engine, Kind::ready, "runtime.park_m", gp->id, trace::ReadyBy::abort, trace::RunQueue::direct,
              m->p ? m->p->id : -1);
      return gp;
    }
  }
  return nullptr;
}

G* gosched_m(M* m, G* gp) {
  casgstatus(gp, GStatus::Grunning, GStatus::Grunnable);
  m->curg = nullptr;
  Engine* e = m->engine;
  std::lock_guard lk(e->lock);
  globrunqput(e, gp);
  return nullptr;
}

G* goexit0(M* m, G* gp) {
  casgstatus(gp, GStatus::Grunning, GStatus::Gdead);
  m->curg = nullptr;
  destroyContext(gp->ctx);
  if (gp->isMain) beginShutdown(m->engine);
  gfput(m->engine, gp);  // Go's gfput: the G is kept for reuse, with its stack (we are on g0)
  return nullptr;
}

void goexit1() {
  mcall(goexit0, true);
}
}  // namespace

void gopark(bool (*commit)(G*, void*), void* arg, WaitReason reason) {
  G* gp = getg();
  gp->parkCommit = commit;
  gp->parkArg = arg;
  gp->waitReason = reason;
  mcall(park_m);
}

// Go's goready/ready: make gp runnable on the current P, next in line, and wake a P.
void goready(G* gp, trace::ReadyBy by) {
  M* m = getm();
  Engine* e = gp->engine;
  if (!m || !m->p) {
    // Go's ready always runs with a P. Only a deadline change made by a thread
    // that holds none gets here; the G goes to the global queue, as injectglist does.
    GList one;
    one.push(gp);
    injectglist(e, one, by);
    return;
  }
  casgstatus(gp, GStatus::Gwaiting, GStatus::Grunnable);
  // Recorded before the put: once queued, another M may run gp at once.
  PS_EMIT(e, Kind::ready, "runtime.ready", gp->id, by, trace::RunQueue::runnext, m->p->id);
  runqput(e, m->p, gp, true);
  wakep(e);
}

// Go's injectglist: make every G runnable; one per idle P goes to the global queue
// (with an M started for each), the rest to the current P's local queue.
void injectglist(Engine* e, GList& list, trace::ReadyBy by) {
  if (list.empty()) return;
  M* m = getm();
  int n = list.n;
  for (G* g = list.head; g; g = g->schedlink) casgstatus(g, GStatus::Gwaiting, GStatus::Grunnable);
  P* pp = m ? m->p : nullptr;
  if (!pp) {
    {
      std::lock_guard lk(e->lock);
      while (G* g = list.pop()) {
        PS_EMIT(e, Kind::ready, "runtime.injectglist", g->id, by, trace::RunQueue::global, -1);
        globrunqput(e, g);
      }
    }
    int started = startIdle(e, n);
    PS_EMIT(e, Kind::inject, "runtime.injectglist", n, n, 0, started);
    return;
  }
  int npidle = e->npidle.load();
  int toGlobal = 0;
  {
    std::lock_guard lk(e->lock);
    for (; toGlobal < npidle && !list.empty(); ++toGlobal) {
      G* g = list.pop();
      PS_EMIT(e, Kind::ready, "runtime.injectglist", g->id, by, trace::RunQueue::global, -1);
      globrunqput(e, g);
    }
  }
  int toLocal = list.n;
  int started = toGlobal > 0 ? startIdle(e, toGlobal) : 0;
  PS_EMIT(e, Kind::inject, "runtime.injectglist", n, toGlobal, toLocal, started);
  while (G* g = list.pop()) {
    PS_EMIT(e, Kind::ready, "runtime.injectglist", g->id, by, trace::RunQueue::local, pp->id);
    runqput(e, pp, g, false);
  }
  wakep(e);
}

// Go's wakeNetPoller: a timer moved earlier; make sure someone notices.
void wakeNetPoller(Engine* e, int64_t when) {
  if (e->lastpoll.load() == 0) {
    int64_t pollerPollUntil = e->pollUntil.load();
    if (pollerPollUntil == 0 || pollerPollUntil > when) e->netpoll->breakPoll(trace::BreakCaller::wakeNetPoller);
  } else {
    wakep(e);
  }
}

// ---- 6. findRunnable ---------------------------------------------------------
namespace {
void storeLastpoll(Engine* e, int64_t v) {
  int64_t old = e->lastpoll.exchange(v);
  PS_EMIT(e, Kind::lastpoll, "runtime.findRunnable", old, v);
}

// The netpoll(0) result findRunnable runs itself: the first G directly, the rest injected.
G* runFirstInjectRest(Engine* e, M* m, netpoll::PollResult& res) {
  G* gp = res.list.pop();
  injectglist(e, res.list, trace::ReadyBy::netpoll);
  e->netpoll->adjustWaiters(res.delta);
  casgstatus(gp, GStatus::Gwaiting, GStatus::Grunnable);
  PS_EMIT(e, Kind::ready, "runtime.findRunnable", gp->id, trace::ReadyBy::netpoll, trace::RunQueue::direct,
          m->p ? m->p->id : -1);
  return gp;
}

// Go's findRunnable. Returns nullptr only when the runtime shuts down.
G* findRunnable(M* m) {
  Engine* e = m->engine;
  netpoll::Netpoll* np = e->netpoll.get();
top:
  if (e->shutdown.load()) return nullptr;
  P* pp = m->p;
  int64_t now = 0;                                  // read by checkTimers only when a timer is pending
  int64_t pollUntil = e->timers.checkTimers(&now);  // deadlines and sleeps fire here

  // Every 61st schedule, look at the global queue first for fairness.
  if (pp->schedtick % 61 == 0 && e->runqsize.load() > 0) {
    std::lock_guard lk(e->lock);
    if (G* gp = globrunqget(e)) return gp;
  }
  if (G* gp = runqget(pp)) return gp;
  if (e->runqsize.load() != 0) {
    std::lock_guard lk(e->lock);
    if (G* gp = globrunqget(e)) return gp;
  }

  // Opportunistic non-blocking poll, before stealing.
  if (np->inited() && np->anyWaiters() && e->lastpoll.load() != 0) {
    if (e->pollingNet.exchange(1) != 0) {
      PS_EMIT(e, Kind::mp, "runtime.findRunnable", trace::SchedOp::pollingNetSkipped, pp->id, m->id);
    } else {
      PS_EMIT(e, Kind::mp, "runtime.findRunnable", trace::SchedOp::pollingNetTaken, pp->id, m->id);
      auto res = np->poll(0, trace::PollSite::findRunnableNb);
      e->pollingNet.store(0);
      if (!res.list.empty()) return runFirstInjectRest(e, m, res);
    }
  }

  // Steal from other Ps (only spin when fewer than half the busy Ps already do).
  int procs = e->opt.gomaxprocs;
  if (procs > 1 && (m->spinning || 2 * e->nmspinning.load() < procs - e->npidle.load())) {
    if (!m->spinning) {
      setSpinning(m, true);
      e->nmspinning.fetch_add(1);
    }
    for (int i = 0; i < procs; ++i) {
      P* victim = e->allp[(pp->id + 1 + i) % procs].get();
      if (victim == pp) continue;
      if (G* gp = runqsteal(pp, victim)) {
        return gp;
      }
    }
  }

  // Nothing to do: give up the P.
  {
    std::lock_guard lk(e->lock);
    if (G* gp = globrunqget(e)) return gp;
    releasep(m);
    pidleput(e, pp);
  }
  bool wasSpinning = m->spinning;
  if (m->spinning) {
    setSpinning(m, false);
    e->nmspinning.fetch_sub(1);
    // Re-check every P's queue: work may have arrived while we were dropping ours.
    for (auto& other : e->allp) {
      if (!runqempty(other.get())) {
        P* got;
        {
          std::lock_guard lk(e->lock);
          got = pidleget(e);
        }
        if (got) {
          acquirep(m, got);
          setSpinning(m, true);
          e->nmspinning.fetch_add(1);
          goto top;
        }
        break;
      }
    }
  }

  // Block in netpoll until the next timer, if nobody else is.
  int64_t lastpollOld = 0;
  if (np->inited() && (np->anyWaiters() || pollUntil != 0) && (lastpollOld = e->lastpoll.exchange(0)) != 0) {
    PS_EMIT(e, Kind::lastpoll, "runtime.findRunnable", lastpollOld, 0);
    e->pollUntil.store(pollUntil);
    PS_EMIT(e, Kind::pollUntil, "runtime.findRunnable", pollUntil);
    int64_t delay = -1;
    if (pollUntil != 0) delay = std::max<int64_t>(0, pollUntil - nanotime());
    auto res = np->poll(delay, trace::PollSite::findRunnableBlock);
    now = nanotime();
    e->pollUntil.store(0);
    storeLastpoll(e, now);
    P* got;
    {
      std::lock_guard lk(e->lock);
      got = pidleget(e);
    }
    if (!got) {
      injectglist(e, res.list, trace::ReadyBy::netpoll);
      np->adjustWaiters(res.delta);
    } else {
      acquirep(m, got);
      if (!res.list.empty()) {
        G* gp = runFirstInjectRest(e, m, res);
        if (wasSpinning) {
          setSpinning(m, true);
          e->nmspinning.fetch_add(1);
        }
        return gp;
      }
      np->adjustWaiters(res.delta);
      if (wasSpinning) {
        setSpinning(m, true);
        e->nmspinning.fetch_add(1);
      }
      goto top;
    }
  } else if (pollUntil != 0 && np->inited()) {
    int64_t pollerPollUntil = e->pollUntil.load();
    if (pollerPollUntil == 0 || pollerPollUntil > pollUntil) np->breakPoll(trace::BreakCaller::findRunnableTimer);
  }
  if (!stopm(m)) return nullptr;
  goto top;
}
}  // namespace

// ---- 7. schedule loop ----------------------------------------------------------
namespace {
// Runs gp on m until it parks, yields or exits (or again when its park aborts).
void execute(M* m, G* gp) {
  while (gp) {
    casgstatus(gp, GStatus::Grunnable, GStatus::Grunning);
    m->curg = gp;
    if (m->p) ++m->p->schedtick;
    switchContext(m->g0, gp->ctx);
    // Back on g0 because the goroutine called mcall.
    auto fn = m->mcallFn;
    m->mcallFn = nullptr;
    gp = fn(m, gp);
  }
}

void schedule(M* m) {
  while (G* gp = findRunnable(m)) {
    if (m->spinning) {  // resetspinning: found work, let another M spin
      setSpinning(m, false);
      if (m->engine->nmspinning.fetch_sub(1) == 1) wakep(m->engine);
    }
    execute(m, gp);
  }
}

void mstart(M* m) {
  setm(m);
  initThreadContext(m->g0);
  if (!m->nextp) {
    // A new M with no P only runs while the runtime is alive; nothing to do.
    setm(nullptr);
    return;
  }
  acquirep(m, m->nextp);
  m->nextp = nullptr;
  if (m->spinning) setSpinning(m, true);  // started by wakep to look for work
  schedule(m);
  if (m->p) {
    std::lock_guard lk(m->engine->lock);
    pidleput(m->engine, releasep(m));
  }
  setm(nullptr);
}

void sysmonLoop(Engine* e);
}  // namespace

// ---- 8. Runtime API -------------------------------------------------------------
Engine::Engine(Options o) : opt(o), rec(o.recorder) {
  if (opt.gomaxprocs < 1) opt.gomaxprocs = 1;
  for (int i = 0; i < opt.gomaxprocs; ++i) {
    auto p = std::make_unique<P>();
    p->id = i;
    allp.push_back(std::move(p));
  }
}

Engine::~Engine() {
  for (auto& g : allgs) destroyContext(g->ctx);
}

Runtime::Runtime(Options opt) : engine_(std::make_unique<Engine>(opt)) {
  engine_->netpoll = std::make_unique<netpoll::Netpoll>(*engine_);
}

Runtime::~Runtime() = default;

const Options& Runtime::options() const {
  return engine_->opt;
}

void Runtime::run(std::function<void()> mainFn) {
  Engine* e = engine_.get();
  // M0 is the calling thread.
  auto m0 = std::make_unique<M>();
  M* m = m0.get();
  {
    std::lock_guard lk(e->lock);
    m->id = e->mcount++;
    m->engine = e;
    e->allm.push_back(std::move(m0));
    // All Ps but P0 start idle, as after procresize.
    for (int i = e->opt.gomaxprocs - 1; i >= 1; --i) pidleput(e, e->allp[i].get());
  }
  setm(m);
  initThreadContext(m->g0);
  acquirep(m, e->allp[0].get());
  // netpoll is initialised lazily, on the first pollOpen or timer (netpollGenericInit).
  e->lastpoll.store(nanotime());
  if (e->opt.sysmon || e->opt.sysmonOnDemand) {
    // sysmon runs on its own M with no P, as in Go (newm(sysmon, nil)).
    M* sm;
    {
      std::lock_guard lk(e->lock);
      auto owned = std::make_unique<M>();
      sm = owned.get();
      sm->id = e->mcount++;
      sm->engine = e;
      ++e->nmsys;
      e->allm.push_back(std::move(owned));
    }
    e->sysmonThread = std::thread([e, sm] {
      setm(sm);
      sysmonLoop(e);
      setm(nullptr);
    });
  }
  G* main = newproc1(e, std::move(mainFn), "main", 0);
  main->isMain = true;
  runqput(e, m->p, main, true);

  schedule(m);

  // Main returned (or the run failed): every M leaves its schedule loop.
  beginShutdown(e);
  // Join every other M, including any started while we were stopping.
  for (;;) {
    std::vector<M*> others;
    {
      std::lock_guard lk(e->lock);
      for (auto& mm : e->allm)
        if (mm.get() != m && mm->thread.joinable()) others.push_back(mm.get());
    }
    if (others.empty()) break;
    for (M* om : others) {
      notewakeup(om);
      om->thread.join();
    }
  }
  if (e->sysmonThread.joinable()) e->sysmonThread.join();
  setm(nullptr);
  e->netpoll->shutdown();
  if (e->fatal) std::rethrow_exception(e->fatal);
}

int64_t go(std::function<void()> fn, std::string name) {
  M* m = getm();
  Engine* e = m->engine;
  int64_t parent = m->curg ? m->curg->id : 0;
  G* gp = newproc1(e, std::move(fn), std::move(name), parent);
  PS_EMIT(e, Kind::ready, "runtime.newproc", gp->id, trace::ReadyBy::spawn, trace::RunQueue::runnext, m->p->id);
  runqput(e, m->p, gp, true);
  wakep(e);
  return gp->id;
}

void gosched() {
  mcall(gosched_m);
}

int64_t currentGoroutineId() {
  G* g = getg();
  return g ? g->id : 0;
}

bool pollerAsleep(Engine& e) {
  return e.lastpoll.load() == 0;
}

std::string goroutineName(Engine& e, int64_t id) {
  std::lock_guard lk(e.allgMu);
  return e.gnames.get(id);
}

namespace {
// sysmon (Go's proc.go): polls the network if nobody has for 10 ms. Note there is
// no waiters check here, unlike findRunnable's opportunistic poll.
void sysmonLoop(Engine* e) {
  int64_t delayUs = 0;
  int idle = 0;
  while (!e->shutdown.load()) {
    {
      std::unique_lock lk(e->sysmonMu);
      if (e->opt.sysmonOnDemand && e->sysmonRequests == 0) {
        // Dormant until a scenario stages a race (sysmonRequest); then it ticks
        // as Go's sysmon does, starting again from its shortest sleep.
        e->sysmonCv.wait(lk, [e] { return e->shutdown.load() || e->sysmonRequests > 0; });
        idle = 0;
      }
    }
    if (idle == 0)
      delayUs = 20;
    else if (idle > 50)
      delayUs = std::min<int64_t>(delayUs * 2, 10000);
    {
      std::unique_lock lk(e->sysmonMu);
      e->sysmonCv.wait_for(lk, std::chrono::microseconds(delayUs), [e] { return e->shutdown.load(); });
    }
    if (e->shutdown.load()) break;
    int64_t now = nanotime();
    int64_t lastpoll = e->lastpoll.load();
    bool polled = false;
    if (e->netpoll->inited() && lastpoll != 0 && lastpoll + 10'000'000 < now &&
        e->lastpoll.compare_exchange_strong(lastpoll, now)) {
      PS_EMIT(e, Kind::lastpoll, "runtime.sysmon", lastpoll, now);
      auto res = e->netpoll->poll(0, trace::PollSite::sysmon);
      if (!res.list.empty()) {
        polled = true;
        injectglist(e, res.list, trace::ReadyBy::netpoll);  // sysmon has no P: all go to the global queue
        e->netpoll->adjustWaiters(res.delta);
      }
    }
    idle = polled ? 0 : idle + 1;
  }
}
}  // namespace

void sysmonRequest(Engine& e, bool on) {
  {
    std::lock_guard lk(e.sysmonMu);
    e.sysmonRequests += on ? 1 : -1;
  }
  e.sysmonCv.notify_all();
}

// ---- free Gs (after every emit site, so that none moves) ---------------------------------
// Go keeps dead Gs on a free list and newproc1 reuses them, so a server that starts a
// goroutine per connection holds as many G structs as it ever had goroutines at once,
// not as many as it ever started. The reuse is invisible in the trace: a reused G
// gets a new id and starts as _Gidle, exactly like a new one.
G* gfget(Engine* e, std::unique_ptr<G>* fresh) {
  {
    std::lock_guard lk(e->allgMu);
    if (!e->gfree.empty()) {
      G* gp = e->gfree.back();
      e->gfree.pop_back();
      gp->status.store(GStatus::Gidle, std::memory_order_relaxed);
      gp->waitReason = WaitReason::none;
      gp->ctx = Context{};
      gp->schedlink = nullptr;
      gp->parkCommit = nullptr;
      gp->parkArg = nullptr;
      gp->isMain = false;
      if (gp->stack) gp->stack->recycle();
      return gp;
    }
  }
  *fresh = std::make_unique<G>();
  return fresh->get();
}

// Like Go's gfput, the dead G keeps its stack (Go frees only a stack that grew past the
// starting size; ours never grow): a server that starts a goroutine per connection maps
// and faults in stacks only until it reaches its peak concurrency, not once per
// connection. gfput runs on g0, so the stack is no longer in use.
void gfput(Engine* e, G* gp) {
  if (gp->isMain) {  // the main goroutine's end is the runtime's end
    gp->stack.reset();
    return;
  }
  std::lock_guard lk(e->allgMu);
  e->gfree.push_back(gp);
}

}  // namespace pollscope::rt
