// Typed trace events: the engine's whole vocabulary.
//
// Sections: 1. value enums  2. event kinds  3. Site (engine source location)  4. Event
//
// The engine records these structs and nothing else: no strings are built and
// nothing is allocated on the hot path. Names for people (EAGAIN, EPOLLIN|EPOLLET,
// pdWait) are produced later, by the vocabulary tables in vocabulary.hpp.
#pragma once

#include <cstdint>

namespace pollscope::trace {

// ---- 1. value enums -------------------------------------------------------

// Value of a pollDesc rg/wg semaphore as drawn in traces. Go stores a *g in the
// word itself; here kG means "a parked goroutine" and its id travels beside it.
// The state machine (which SemBy moves which value where) is drawn next to
// pdNil/pdReady/pdWait in core/netpoll/netpoll.hpp; docs/go-netpoll.md §2.
enum class SemState : int64_t { pdNil = 0, pdReady = 1, pdWait = 2, G = 3 };

// Which function made an rg/wg transition (docs/go-netpoll.md §10, `by`).
enum class SemBy : int64_t {
  pollReset,       // poll_runtime_pollReset: any -> pdNil
  blockConsume,    // netpollblock: pdReady -> pdNil, no park
  blockPrepare,    // netpollblock: pdNil -> pdWait
  blockCommit,     // netpollblockcommit: pdWait -> G
  blockSwap,       // netpollblock after waking: X -> pdNil
  unblockIo,       // netpollunblock(ioready=true)
  unblockTimeout,  // netpollunblock(ioready=false) from a deadline
  unblockClose,    // netpollunblock(ioready=false) from pollUnblock
  pollOpen,        // poll_runtime_pollOpen resets both to pdNil
};

enum class GStatus : int64_t { Gidle, Grunnable, Grunning, Gwaiting, Gdead };

enum class WaitReason : int64_t { none, ioWait, sleep, semacquire, chanReceive, scenarioSync };

enum class ParkResult : int64_t { committed, aborted, skippedErr };

// netpollcheckerr codes, in Go's numbering (internal/poll convertErr).
enum class PollErr : int64_t { noError = 0, closing = 1, timeout = 2, notPollable = 3 };

// Where a netpoll call came from (docs/go-netpoll.md §7).
enum class PollSite : int64_t { findRunnableNb, findRunnableBlock, sysmon, pollWork, startTheWorld };

// What netpoll did with one kernel event.
enum class PollAction : int64_t { ready, staleDrop, wakeup, skipEmpty };

// Mode of a pollDesc operation: 'r', 'w' or 'r'+'w' exactly as Go passes them.
enum class Mode : int64_t { none = 0, r = 'r', w = 'w', rw = 'r' + 'w' };

enum class SysOp : int64_t {
  socket,
  bind,
  listen,
  accept,
  connect,
  read,
  write,
  close,
  shutdown,
  getsockopt,
  getpeername,
  setsockopt,
  epoll_create,
  epoll_ctl,
  epoll_wait,
  eventfd_read,
  eventfd_write,
  kqueue,
  kevent,
};

enum class CtlOp : int64_t { add = 1, del = 2, mod = 3 };

enum class FdMuOp : int64_t { rwlockAcquired, rwlockWait, rwunlock, incref, decref, increfAndClose, destroy };

enum class TimerOp : int64_t { none, add, modify, stop };

enum class UserOp : int64_t {
  listen,
  accept,
  dial,
  read,
  write,
  close,
  closeWrite,
  setReadDeadline,
  setWriteDeadline,
  setDeadline,
  sleep,
  spawn,
  done
};

enum class Phase : int64_t { call, ret };

// What an internal/poll or net operation returned, as Go's error values.
enum class NetErr : int64_t { ok, eof, closing, timeout, notPollable, errno_, unexpectedEof };

// ---- 2. event kinds ------------------------------------------------------
// Field layout of every kind is declared once, in vocabulary.cpp (kindSpecs).
enum class Kind : uint16_t {
  gCreate,         // goid, parent
  gStatus,         // goid, from, to, reason
  park,            // pd, fd, mode, result
  sem,             // pd, fd, mode, from, to, by, from_g, to_g
  checkErr,        // pd, fd, mode, code, info
  publishInfo,     // pd, fd, info
  setEventErr,     // pd, fd, value, tag, applied
  pollEnter,       // caller, delay_ns, timeout_ms
  pollExit,        // caller, n_events, n_g, delta, eintr
  pollEvent,       // fd, pd, mask, mode, tag, pd_fdseq, action
  netpollReady,    // pd, fd, mode, rg_g, wg_g, delta
  waiters,         // delta, value
  inject,          // n, to_global, to_local, ms_started
  netpollBreak,    // deduped
  breakConsume,    // blocking, drained
  lastpoll,        // old, new
  pollUntil,       // value
  deadlineSet,     // pd, fd, mode, d_ns, combo, rseq, wseq, timer
  deadlineFire,    // pd, fd, timer_seq, stale, r, w
  sys,             // op, fd, ret, err, arg
  fdmu,            // fd, op, refs, rlock, wlock, closed, rwait, wwait
  pdOpen,          // pd, fd, fdseq, rseq, wseq
  pdFree,          // pd, fd, fdseq_old, fdseq_new
  pollCtl,         // op, fd, events, tag, ret, err
  pollcacheAlloc,  // pd, block, fresh
  user,            // op, phase, fd, n, result, err
  step,            // step, phase: a scenario step begins or ends (narration anchors)
  throw_,          // code (index into throw messages)
  count_
};
inline constexpr int kKindCount = static_cast<int>(Kind::count_);

// ---- 3. Site --------------------------------------------------------------
// Where in the engine an event was recorded, and which Go function that code mirrors.
// Engine sites are static storage; loaded traces own theirs (TraceModel).
struct Site {
  const char* file;  // path relative to the repository root
  int line;
  const char* goFunc;   // e.g. "runtime.netpollblock"
  const char* cppFunc;  // e.g. "netpollblock"
};

// ---- 4. Event ------------------------------------------------------------
inline constexpr int kMaxArgs = 8;

struct Event {
  uint64_t seq = 0;  // global order, gap-free in a full recording
  int64_t ts = 0;    // CLOCK_MONOTONIC nanoseconds since the run started
  int64_t g = 0;     // goroutine running on the M (0 = none, i.e. g0/scheduler)
  int16_t m = -1;    // M id (-1 = a thread outside the runtime)
  int16_t p = -1;    // P id held by the M (-1 = none)
  Kind kind = Kind::count_;
  const Site* site = nullptr;
  int64_t a[kMaxArgs] = {};
};

}  // namespace pollscope::trace
