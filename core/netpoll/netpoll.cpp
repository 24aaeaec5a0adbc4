// Go's runtime/netpoll.go, function for function. Every rg/wg change goes through
// a real atomic here and is recorded right where it happens.
//
// Sections: 1. helpers  2. pollcache  3. pollInfo and checkerr  4. block/unblock/ready
//           5. poll_runtime_* entry points  6. deadlines
#include "netpoll/netpoll.hpp"

#include <cstdlib>
#include <new>

#include "netpoll/backend.hpp"

namespace pollscope::netpoll {
using rt::throwRuntime;
using trace::Kind;
using trace::PollErr;
using trace::SemBy;
using trace::ThrowCode;

// ---- 1. helpers ---------------------------------------------------------------
trace::SemState semValueState(uintptr_t v) {
  return v > pdWait ? trace::SemState::G : static_cast<trace::SemState>(v);
}
int64_t semValueG(uintptr_t v) {
  return v > pdWait ? reinterpret_cast<G*>(v)->id : 0;
}

uint64_t taggedPointerPack(PollDesc* pd, uintptr_t tag) {
  auto addr = reinterpret_cast<uint64_t>(pd);
  return ((addr >> kTagAlignBits) << kTagBits) | (tag & kTagMask);
}
PollDesc* taggedPointerPointer(uint64_t tp) {
#if defined(__x86_64__)
  // Arithmetic shift: Go's amd64 sign-extends (addresses above the VA hole).
  return reinterpret_cast<PollDesc*>(static_cast<uint64_t>(static_cast<int64_t>(tp) >> kTagBits) << kTagAlignBits);
#else
  return reinterpret_cast<PollDesc*>((tp >> kTagBits) << kTagAlignBits);
#endif
}
uintptr_t taggedPointerTag(uint64_t tp) {
  return tp & kTagMask;
}

namespace {
// Records one rg/wg transition. The raw words become what the trace shows: a
// SemState, plus the goroutine's id when the word holds a G. Mode and `by` go in
// as their enums: trace::Args<Kind::sem> checks every field's type, so swapped
// or missing arguments do not compile. (A site's line is part of every golden
// trace: keep the PS_SEM and PS_EMIT lines where they are.)
#define PS_SEM(e, pd, mode, from, to, by, gofunc)                                                                      \
  PS_EMIT(e, Kind::sem, gofunc, (pd)->id, (pd)->fd, mode, semValueState(from), semValueState(to), by, semValueG(from), \
          semValueG(to))
}  // namespace

// ---- 2. pollcache ---------------------------------------------------------------
PollCache::~PollCache() {
  for (PollDesc* block : blocks_) {
    for (size_t i = 0; i < kPollBlockSize / sizeof(PollDesc); ++i) block[i].~PollDesc();
    std::free(block);
  }
}

PollDesc* PollCache::alloc() {
  std::lock_guard lk(lock_);
  bool fresh = false;
  if (!first_) {
    // persistentalloc(n*pdSize, tagAlign): a block that is never returned.
    constexpr size_t n = kPollBlockSize / sizeof(PollDesc);
    void* mem = std::aligned_alloc(alignof(PollDesc), kPollBlockSize);
    if (!mem) throw std::bad_alloc();
    auto* block = static_cast<PollDesc*>(mem);
    int blockNo = static_cast<int>(blocks_.size());
    blocks_.push_back(block);
    for (size_t i = 0; i < n; ++i) {
      PollDesc* pd = new (&block[i]) PollDesc();
      pd->id = nextId_ + static_cast<int>(n - 1 - i);  // numbered in the order they are handed out
      pd->block = blockNo;
      pd->rt.owner = trace::TimerOwner::rt;
      pd->rt.pd = pd->id;
      pd->wt.owner = trace::TimerOwner::wt;
      pd->wt.pd = pd->id;
    }
    nextId_ += static_cast<int>(n);
    for (size_t i = 0; i < n; ++i) {  // as Go links them: the block's last pd is handed out first
      block[i].link = first_;
      first_ = &block[i];
    }
    fresh = true;
  }
  PollDesc* pd = first_;
  first_ = pd->link;
  PS_EMIT(&e_, Kind::pollcacheAlloc, "runtime.(*pollCache).alloc", pd->id, pd->block, fresh);
  return pd;
}

void PollCache::free(PollDesc* pd) {
  Netpoll& np = *e_.netpoll;
  {
    std::lock_guard lk(pd->lock);
    // Bump fdseq so a netpoll still holding an event for this pd drops it.
    uintptr_t old = pd->fdseq.load();
    uintptr_t seq = (old + 1) & kTagMask;
    pd->fdseq.store(seq);
    PS_EMIT(&e_, Kind::pdFree, "runtime.(*pollCache).free", pd->id, pd->fd, static_cast<int64_t>(old),
            static_cast<int64_t>(seq));
    np.publishInfo(pd);
  }
  std::lock_guard lk(lock_);
  pd->link = first_;
  first_ = pd;
}

// ---- 3. pollInfo and checkerr -----------------------------------------------------
Netpoll::Netpoll(Engine& e) : e_(e), backend_(makeDefaultBackend(*this)), cache_(e), tracing_(e.rec != nullptr) {}
Netpoll::~Netpoll() = default;

void Netpoll::init() {
  backend_->init();
  inited_.store(true, std::memory_order_release);
}

void Netpoll::genericInit() {
  if (inited()) return;
  std::lock_guard lk(initLock_);
  if (!inited()) init();
}

void Netpoll::shutdown() {
  if (inited()) backend_->shutdown();
  inited_.store(false);
}

// pd.lock must be held.
void Netpoll::publishInfo(PollDesc* pd) {
  uint32_t info = 0;
  if (pd->closing) info |= trace::kPollClosing;
  if (pd->rd < 0) info |= trace::kPollExpiredReadDeadline;
  if (pd->wd < 0) info |= trace::kPollExpiredWriteDeadline;
  info |= static_cast<uint32_t>(pd->fdseq.load() & trace::kPollFDSeqMask) << trace::kPollFDSeqShift;
  // Keep the eventErr bit, set or cleared by setEventErr without the lock. The
  // record shows the value this CAS stored, ordered with the pd's rg/wg records.
  SemTraceGuard guard(pd, tracing_);
  uint32_t x = pd->atomicInfo.load();
  while (!pd->atomicInfo.compare_exchange_weak(x, (x & trace::kPollEventErr) | info)) {
  }
  PS_EMIT(&e_, Kind::publishInfo, "runtime.(*pollDesc).publishInfo", pd->id, pd->fd,
          static_cast<int64_t>((x & trace::kPollEventErr) | info));
}

void Netpoll::setEventErr(PollDesc* pd, bool b, uintptr_t seq) {
  uint32_t mySeq = static_cast<uint32_t>(seq & trace::kPollFDSeqMask);
  SemTraceGuard guard(pd, tracing_);  // ordered with the pd's rg/wg and pollInfo records
  uint32_t x = pd->atomicInfo.load();
  bool applied = false;
  for (;;) {
    uint32_t xSeq = (x >> trace::kPollFDSeqShift) & trace::kPollFDSeqMask;
    if (seq != 0 && xSeq != mySeq) break;  // the event is for an older use of this pd (#59545)
    if (((x & trace::kPollEventErr) != 0) == b) {
      applied = true;  // already in that state
      break;
    }
    uint32_t y = x ^ trace::kPollEventErr;
    if (pd->atomicInfo.compare_exchange_weak(x, y)) {
      applied = true;
      break;
    }
  }
  PS_EMIT(&e_, Kind::setEventErr, "runtime.(*pollDesc).setEventErr", pd->id, pd->fd, b, static_cast<int64_t>(seq),
          applied);
}

int Netpoll::netpollcheckerr(PollDesc* pd, Mode mode) {
  SemTraceGuard guard(pd, tracing_);  // the load and its record, ordered with publishInfo's CAS
  uint32_t info = pd->atomicInfo.load();
  PollErr code = PollErr::noError;
  if (info & trace::kPollClosing) {
    code = PollErr::closing;
  } else if ((mode == Mode::r && (info & trace::kPollExpiredReadDeadline)) ||
             (mode == Mode::w && (info & trace::kPollExpiredWriteDeadline))) {
    code = PollErr::timeout;
  } else if (mode == Mode::r && (info & trace::kPollEventErr)) {
    // Report an event scanning error only on a read event; an error on a write
    // event will be captured in a subsequent write call that is able to report
    // a more specific error.
    code = PollErr::notPollable;
  }
  PS_EMIT(&e_, Kind::checkErr, "runtime.netpollcheckerr", pd->id, pd->fd, mode, code,  // info
          static_cast<int64_t>(info));
  return static_cast<int>(code);
}

// ---- 4. block/unblock/ready --------------------------------------------------------
namespace {
struct CommitArg {
  Netpoll* np;
  PollDesc* pd;
  Mode mode;
};

// netpollblockcommit: runs on g0 inside park_m, after the G is already _Gwaiting.
bool netpollblockcommit(G* gp, void* arg) {
  // `arg` lives on the parking goroutine's stack. Once the CAS below publishes the
  // G, another M may wake it and the frame may be gone: copy everything first.
  const CommitArg c = *static_cast<CommitArg*>(arg);
  std::atomic<uintptr_t>& gpp = c.pd->sem(c.mode);
  if (c.np->hooks.beforeCommit) c.np->hooks.beforeCommit(c.pd, c.mode);
  uintptr_t expected = pdWait;
  Engine* e = gp->engine;
  bool ok;
  {
    SemTraceGuard guard(c.pd, c.np->tracing());
    ok = gpp.compare_exchange_strong(expected, reinterpret_cast<uintptr_t>(gp));
    if (ok)
      PS_SEM(e, c.pd, c.mode, pdWait, reinterpret_cast<uintptr_t>(gp), SemBy::blockCommit,
             "runtime.netpollblockcommit");
    PS_EMIT(e, Kind::park, "runtime.park_m", c.pd->id, c.pd->fd, c.mode,
            ok ? trace::ParkResult::committed : trace::ParkResult::aborted);
  }
  // Bump the count of goroutines waiting for the poller. The scheduler uses
  // this to decide whether to block waiting for the poller if there is
  // nothing else for it to do. (As in Go, a waker on another M may already have
  // applied its -1: the count can dip below zero for a moment.)
  if (ok) {
    c.np->adjustWaiters(1);
    if (c.np->hooks.afterCommit) c.np->hooks.afterCommit(c.pd, c.mode);
  }
  return ok;
}
}  // namespace

void Netpoll::adjustWaiters(int32_t delta) {
  if (delta == 0) return;
  auto lk = waitersTraceLock();
  uint32_t v = waiters_.fetch_add(static_cast<uint32_t>(delta)) + static_cast<uint32_t>(delta);
  PS_EMIT(&e_, Kind::waiters, "runtime.netpollAdjustWaiters", delta, static_cast<int32_t>(v));
}

// Returns true if IO is ready, or false if timed out or closed.
bool Netpoll::netpollblock(PollDesc* pd, Mode mode, bool waitio) {
  if (hooks.beforeBlock) hooks.beforeBlock(pd, mode);
  std::atomic<uintptr_t>& gpp = pd->sem(mode);
  // Set the gpp semaphore to pdWait.
  for (;;) {
    SemTraceGuard guard(pd, tracing_);
    uintptr_t expected = pdReady;
    if (gpp.compare_exchange_strong(expected, pdNil)) {
      // Consume notification if already ready: the event beat us here.
      PS_SEM(&e_, pd, mode, pdReady, pdNil, SemBy::blockConsume, "runtime.netpollblock");
      return true;
    }
    expected = pdNil;
    if (gpp.compare_exchange_strong(expected, pdWait)) {
      PS_SEM(&e_, pd, mode, pdNil, pdWait, SemBy::blockPrepare, "runtime.netpollblock");
      break;
    }
    // Double check that this isn't corrupt; otherwise we'd loop forever.
    uintptr_t v = gpp.load();
    if (v != pdReady && v != pdNil) throwRuntime(&e_, ThrowCode::doubleWait);
  }
  // Re-check error states after setting gpp to pdWait: pollUnblock, SetDeadline and
  // deadlineimpl do the opposite (store closing/rd/wd, publishInfo, then load rg/wg).
  if (waitio || netpollcheckerr(pd, mode) == 0) {
    CommitArg arg{this, pd, mode};
    rt::gopark(netpollblockcommit, &arg, trace::WaitReason::ioWait);
  } else {
    PS_EMIT(&e_, Kind::park, "runtime.netpollblock", pd->id, pd->fd, mode,  // result
            trace::ParkResult::skippedErr);
  }
  // Be careful to not lose a concurrent pdReady notification.
  uintptr_t old;
  {
    SemTraceGuard guard(pd, tracing_);
    old = gpp.exchange(pdNil);
    PS_SEM(&e_, pd, mode, old, pdNil, SemBy::blockSwap, "runtime.netpollblock");
  }
  if (old > pdWait) throwRuntime(&e_, ThrowCode::corruptedPolldesc);
  return old == pdReady;
}

// Moves pd's rg or wg towards pdReady (ioready) or pdNil and returns the G it
// releases, if any. *delta is decremented for each G that was really parked.
G* Netpoll::netpollunblock(PollDesc* pd, Mode mode, bool ioready, int32_t* delta) {
  std::atomic<uintptr_t>& gpp = pd->sem(mode);
  SemBy by = ioready ? SemBy::unblockIo : (pd->closing ? SemBy::unblockClose : SemBy::unblockTimeout);
  for (;;) {
    SemTraceGuard guard(pd, tracing_);
    uintptr_t old = gpp.load();
    if (old == pdReady) return nullptr;            // pending notifications collapse into one
    if (old == pdNil && !ioready) return nullptr;  // a timeout or close leaves no token behind
    uintptr_t next = ioready ? pdReady : pdNil;
    if (gpp.compare_exchange_strong(old, next)) {
      PS_SEM(&e_, pd, mode, old, next, by, "runtime.netpollunblock");
      if (old == pdWait) return nullptr;  // the G has not committed; its commit CAS will fail
      if (old == pdNil) return nullptr;
      *delta -= 1;
      return reinterpret_cast<G*>(old);
    }
  }
}

int32_t Netpoll::netpollready(GList& toRun, PollDesc* pd, Mode mode) {
  int32_t delta = 0;
  G* rg = nullptr;
  G* wg = nullptr;
  if (mode == Mode::r || mode == Mode::rw) rg = netpollunblock(pd, Mode::r, true, &delta);
  if (mode == Mode::w || mode == Mode::rw) wg = netpollunblock(pd, Mode::w, true, &delta);
  if (rg) toRun.push(rg);
  if (wg) toRun.push(wg);
  PS_EMIT(&e_, Kind::netpollReady, "runtime.netpollready", pd->id, pd->fd, mode, rg ? rg->id : 0, wg ? wg->id : 0,
          delta);
  return delta;
}

// ---- 5. poll_runtime_* entry points -------------------------------------------------
PollDesc* Netpoll::pollOpen(int fd, int* errnoOut) {
  genericInit();  // internal/poll's serverInit.Do(runtime_pollServerInit)
  PollDesc* pd = cache_.alloc();
  {
    std::lock_guard lk(pd->lock);
    uintptr_t wg = pd->wg.load();
    if (wg != pdNil && wg != pdReady) throwRuntime(&e_, ThrowCode::blockedWriteOnFree);
    uintptr_t rg = pd->rg.load();
    if (rg != pdNil && rg != pdReady) throwRuntime(&e_, ThrowCode::blockedReadOnFree);
    pd->fd = fd;
    // The value 0 is special in setEventErr, so don't use it.
    if (pd->fdseq.load() == 0) pd->fdseq.store(1);
    pd->closing = false;
    setEventErr(pd, false, 0);
    pd->rseq++;
    {
      // Go stores pdNil; the exchange (same result) lets the trace name what it overwrote.
      SemTraceGuard guard(pd, tracing_);
      uintptr_t old = pd->rg.exchange(pdNil);
      if (old != pdNil) PS_SEM(&e_, pd, Mode::r, old, pdNil, SemBy::pollOpen, "runtime.poll_runtime_pollOpen");
    }
    pd->rd = 0;
    pd->wseq++;
    {
      SemTraceGuard guard(pd, tracing_);
      uintptr_t old = pd->wg.exchange(pdNil);
      if (old != pdNil) PS_SEM(&e_, pd, Mode::w, old, pdNil, SemBy::pollOpen, "runtime.poll_runtime_pollOpen");
    }
    pd->wd = 0;
    PS_EMIT(&e_, Kind::pdOpen, "runtime.poll_runtime_pollOpen", pd->id, fd, static_cast<int64_t>(pd->fdseq.load()),
            static_cast<int64_t>(pd->rseq), static_cast<int64_t>(pd->wseq));
    publishInfo(pd);
  }
  int err = backend_->open(fd, pd);
  if (err != 0) {
    cache_.free(pd);
    *errnoOut = err;
    return nullptr;
  }
  *errnoOut = 0;
  return pd;
}

void Netpoll::pollClose(PollDesc* pd) {
  if (!pd->closing) throwRuntime(&e_, ThrowCode::closeWithoutUnblock);
  uintptr_t wg = pd->wg.load();
  if (wg != pdNil && wg != pdReady) throwRuntime(&e_, ThrowCode::blockedWriteOnClosing);
  uintptr_t rg = pd->rg.load();
  if (rg != pdNil && rg != pdReady) throwRuntime(&e_, ThrowCode::blockedReadOnClosing);
  backend_->close(pd->fd);
  cache_.free(pd);
}

int Netpoll::pollReset(PollDesc* pd, Mode mode) {
  int errcode = netpollcheckerr(pd, mode);
  if (errcode != 0) return errcode;
  std::atomic<uintptr_t>& gpp = pd->sem(mode);
  // A plain store: a stale pdReady is dropped because the syscall runs next anyway.
  SemTraceGuard guard(pd, tracing_);
  uintptr_t old = gpp.exchange(pdNil);  // exchange only so the trace can name `from`
  PS_SEM(&e_, pd, mode, old, pdNil, SemBy::pollReset, "runtime.poll_runtime_pollReset");
  return 0;
}

int Netpoll::pollWait(PollDesc* pd, Mode mode) {
  int errcode = netpollcheckerr(pd, mode);
  if (errcode != 0) return errcode;
  while (!netpollblock(pd, mode, false)) {
    if (hooks.beforeRecheck) hooks.beforeRecheck(pd, mode);
    errcode = netpollcheckerr(pd, mode);
    if (errcode != 0) return errcode;
    // A timeout woke us but was reset before we ran: pretend it did not happen, retry.
  }
  return 0;
}

void Netpoll::pollUnblock(PollDesc* pd) {
  G* rg;
  G* wg;
  int32_t delta = 0;
  {
    std::lock_guard lk(pd->lock);
    if (pd->closing) throwRuntime(&e_, ThrowCode::unblockOnClosing);
    pd->closing = true;
    pd->rseq++;
    pd->wseq++;
    publishInfo(pd);
    rg = netpollunblock(pd, Mode::r, false, &delta);
    wg = netpollunblock(pd, Mode::w, false, &delta);
    bool rtStopped = false, wtStopped = false;
    if (pd->rrun) {
      rtStopped = e_.timers.stop(&pd->rt);
      pd->rrun = false;
    }
    if (pd->wrun) {
      wtStopped = e_.timers.stop(&pd->wt);
      pd->wrun = false;
    }
    PS_EMIT(&e_, Kind::evict, "runtime.poll_runtime_pollUnblock", pd->id, pd->fd, static_cast<int64_t>(pd->rseq),
            static_cast<int64_t>(pd->wseq), rtStopped, wtStopped);
  }
  if (rg) rt::goready(rg, trace::ReadyBy::close);
  if (wg) rt::goready(wg, trace::ReadyBy::close);
  adjustWaiters(delta);
}

// ---- 6. deadlines ---------------------------------------------------------------------
void Netpoll::deadlineImpl(PollDesc* pd, uintptr_t seq, bool read, bool write) {
  Engine* e = &e_;
  Netpoll& np = *this;
  G* rg = nullptr;
  G* wg = nullptr;
  int32_t delta = 0;
  {
    std::lock_guard lk(pd->lock);
    // seq is the one the timer was armed with. If it is stale (fd reused or the
    // deadline reset), ignore the timer.
    uintptr_t currentSeq = read ? pd->rseq : pd->wseq;
    bool stale = seq != currentSeq;
    PS_EMIT(e, Kind::deadlineFire, "runtime.netpolldeadlineimpl", pd->id, pd->fd, static_cast<int64_t>(seq), stale,
            read, write);
    if (stale) return;
    if (read) {
      if (pd->rd <= 0 || !pd->rrun) throwRuntime(e, ThrowCode::inconsistentReadDeadline);
      pd->rd = -1;
      np.publishInfo(pd);
      rg = np.netpollunblock(pd, Mode::r, false, &delta);
    }
    if (write) {
      if (pd->wd <= 0 || (!pd->wrun && !read)) throwRuntime(e, ThrowCode::inconsistentWriteDeadline);
      pd->wd = -1;
      np.publishInfo(pd);
      wg = np.netpollunblock(pd, Mode::w, false, &delta);
    }
  }
  if (rg) rt::goready(rg, trace::ReadyBy::deadline);
  if (wg) rt::goready(wg, trace::ReadyBy::deadline);
  np.adjustWaiters(delta);
  if (hooks.afterDeadlineFire) hooks.afterDeadlineFire(pd, read, write);
}

namespace {
// Timer callbacks: the arg is the pollDesc (type-stable, so always valid).
Netpoll& netpollOf() {
  return *rt::currentEngine()->netpoll;
}
void netpollDeadline(void* arg, uintptr_t seq, int64_t) {
  netpollOf().deadlineImpl(static_cast<PollDesc*>(arg), seq, true, true);
}
void netpollReadDeadline(void* arg, uintptr_t seq, int64_t) {
  netpollOf().deadlineImpl(static_cast<PollDesc*>(arg), seq, true, false);
}
void netpollWriteDeadline(void* arg, uintptr_t seq, int64_t) {
  netpollOf().deadlineImpl(static_cast<PollDesc*>(arg), seq, false, true);
}
}  // namespace

// d is relative: >0 a deadline d ns from now, <0 already expired, 0 none.
void Netpoll::pollSetDeadline(PollDesc* pd, int64_t d, Mode mode) {
  G* rg = nullptr;
  G* wg = nullptr;
  int32_t delta = 0;
  {
    std::lock_guard lk(pd->lock);
    if (pd->closing) return;
    int64_t rd0 = pd->rd, wd0 = pd->wd;
    bool combo0 = rd0 > 0 && rd0 == wd0;
    if (d > 0) {
      d += rt::nanotime();
      if (d <= 0) d = INT64_MAX;  // overflow: the maximum deadline
    }
    if (mode == Mode::r || mode == Mode::rw) pd->rd = d;
    if (mode == Mode::w || mode == Mode::rw) pd->wd = d;
    publishInfo(pd);
    bool combo = pd->rd > 0 && pd->rd == pd->wd;
    auto rtf = combo ? netpollDeadline : netpollReadDeadline;
    trace::TimerOp rop = trace::TimerOp::none, wop = trace::TimerOp::none;
    if (!pd->rrun) {
      if (pd->rd > 0) {
        // The timer carries the current seq; the callback compares it later.
        e_.timers.modify(&pd->rt, pd->rd, rtf, pd, pd->rseq);
        pd->rrun = true;
        rop = trace::TimerOp::add;
      }
    } else if (pd->rd != rd0 || combo != combo0) {
      pd->rseq++;  // invalidate current timers
      if (pd->rd > 0) {
        e_.timers.modify(&pd->rt, pd->rd, rtf, pd, pd->rseq);
        rop = trace::TimerOp::modify;
      } else {
        e_.timers.stop(&pd->rt);
        pd->rrun = false;
        rop = trace::TimerOp::stop;
      }
    }
    if (!pd->wrun) {
      if (pd->wd > 0 && !combo) {
        e_.timers.modify(&pd->wt, pd->wd, netpollWriteDeadline, pd, pd->wseq);
        pd->wrun = true;
        wop = trace::TimerOp::add;
      }
    } else if (pd->wd != wd0 || combo != combo0) {
      pd->wseq++;
      if (pd->wd > 0 && !combo) {
        e_.timers.modify(&pd->wt, pd->wd, netpollWriteDeadline, pd, pd->wseq);
        wop = trace::TimerOp::modify;
      } else {
        e_.timers.stop(&pd->wt);
        pd->wrun = false;
        wop = trace::TimerOp::stop;
      }
    }
    trace::TimerOp op = rop != trace::TimerOp::none ? rop : wop;
    int64_t shown = mode == Mode::w ? pd->wd : pd->rd;
    PS_EMIT(&e_, Kind::deadlineSet, "runtime.poll_runtime_pollSetDeadline", pd->id, pd->fd, mode,
            shown > 0 ? shown - rt::nanotime() : shown, combo, static_cast<int64_t>(pd->rseq),
            static_cast<int64_t>(pd->wseq), op);
    // A deadline in the past unblocks pending IO now (publishInfo already ran).
    if (pd->rd < 0) rg = netpollunblock(pd, Mode::r, false, &delta);
    if (pd->wd < 0) wg = netpollunblock(pd, Mode::w, false, &delta);
  }
  if (rg) rt::goready(rg, trace::ReadyBy::deadline);
  if (wg) rt::goready(wg, trace::ReadyBy::deadline);
  adjustWaiters(delta);
}

}  // namespace pollscope::netpoll
