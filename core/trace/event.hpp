// Typed trace events: the engine's whole vocabulary.
//
// Sections: 1. value enums  2. event kinds  3. Site (engine source location)  4. Event
//
// The engine records these structs and nothing else: no strings are built and
// nothing is allocated on the hot path. Names for people (EAGAIN, EPOLLIN|EPOLLET,
// pdWait) are produced later, by the vocabulary (vocabulary.hpp); fields are read
// by name through the typed views of fields.hpp.
#pragma once

#include <cstdint>

#include "trace/kinds.hpp"

namespace pollscope::trace {

// ---- 1. value enums -------------------------------------------------------
// Each enum is one table of X(enumerator, value, "name people read"): the enum and
// its names (vocabulary.cpp) are generated from the same rows, so they cannot
// disagree. Values are the stored int64 and never change meaning.
#define PS_TRACE_ENUMERATOR(id, value, name) id = value,

// clang-format off

// Value of a pollDesc rg/wg semaphore as drawn in traces. Go stores a *g in the
// word itself; here G means "a parked goroutine" and its id travels beside it.
// The state machine (which SemBy moves which value where) is drawn next to
// pdNil/pdReady/pdWait in core/netpoll/netpoll.hpp; docs/go-netpoll.md §2.
#define PS_ENUM_SemState(X) X(pdNil, 0, "pdNil") X(pdReady, 1, "pdReady") X(pdWait, 2, "pdWait") X(G, 3, "G")

// Which function made an rg/wg transition (docs/go-netpoll.md §10, `by`).
#define PS_ENUM_SemBy(X)                                                                 \
  X(pollReset, 0, "pollReset")             /* poll_runtime_pollReset: any -> pdNil */      \
  X(blockConsume, 1, "block.consume")      /* netpollblock: pdReady -> pdNil, no park */   \
  X(blockPrepare, 2, "block.prepare")      /* netpollblock: pdNil -> pdWait */             \
  X(blockCommit, 3, "blockcommit")         /* netpollblockcommit: pdWait -> G */           \
  X(blockSwap, 4, "block.swap")            /* netpollblock after waking: X -> pdNil */     \
  X(unblockIo, 5, "unblock.io")            /* netpollunblock(ioready=true) */              \
  X(unblockTimeout, 6, "unblock.timeout")  /* netpollunblock(ioready=false), deadline */   \
  X(unblockClose, 7, "unblock.close")      /* netpollunblock(ioready=false), pollUnblock */\
  X(pollOpen, 8, "pollOpen")               /* poll_runtime_pollOpen resets both to pdNil */

#define PS_ENUM_GStatus(X) \
  X(Gidle, 0, "_Gidle") X(Grunnable, 1, "_Grunnable") X(Grunning, 2, "_Grunning") X(Gwaiting, 3, "_Gwaiting") \
  X(Gdead, 4, "_Gdead")

#define PS_ENUM_WaitReason(X) \
  X(none, 0, "") X(ioWait, 1, "IO wait") X(sleep, 2, "sleep") X(semacquire, 3, "semacquire") \
  X(chanReceive, 4, "chan receive") X(scenarioSync, 5, "scenario sync")

#define PS_ENUM_ParkResult(X) X(committed, 0, "committed") X(aborted, 1, "aborted") X(skippedErr, 2, "skipped_err")

// netpollcheckerr codes, in Go's numbering (internal/poll convertErr).
#define PS_ENUM_PollErr(X) \
  X(noError, 0, "pollNoError") X(closing, 1, "pollErrClosing") X(timeout, 2, "pollErrTimeout") \
  X(notPollable, 3, "pollErrNotPollable")

// Where a netpoll call came from (docs/go-netpoll.md §7).
#define PS_ENUM_PollSite(X) \
  X(findRunnableNb, 0, "findRunnable_nb") X(findRunnableBlock, 1, "findRunnable_block") X(sysmon, 2, "sysmon") \
  X(pollWork, 3, "pollWork") X(startTheWorld, 4, "startTheWorld")

// What netpoll did with one kernel event.
#define PS_ENUM_PollAction(X) \
  X(ready, 0, "ready") X(staleDrop, 1, "stale_drop") X(wakeup, 2, "wakeup_fd") X(skipEmpty, 3, "skip_empty")

// Mode of a pollDesc operation: 'r', 'w' or 'r'+'w' exactly as Go passes them.
#define PS_ENUM_Mode(X) X(none, 0, "-") X(r, 'r', "r") X(w, 'w', "w") X(rw, 'r' + 'w', "rw")

#define PS_ENUM_SysOp(X)                                                                           \
  X(socket, 0, "socket") X(bind, 1, "bind") X(listen, 2, "listen") X(accept, 3, "accept4")           \
  X(connect, 4, "connect") X(read, 5, "read") X(write, 6, "write") X(close, 7, "close")              \
  X(shutdown, 8, "shutdown") X(getsockopt, 9, "getsockopt") X(getpeername, 10, "getpeername")        \
  X(setsockopt, 11, "setsockopt") X(epoll_create, 12, "epoll_create1") X(epoll_ctl, 13, "epoll_ctl") \
  X(epoll_wait, 14, "epoll_wait") X(eventfd_read, 15, "eventfd_read") X(eventfd_write, 16, "eventfd_write") \
  X(kqueue, 17, "kqueue") X(kevent, 18, "kevent")                          \
  /* the macOS/BSD fallbacks (platform/platform.hpp), also in the portable Linux build: */ \
  X(fcntl, 19, "fcntl")              /* arg: F_SETFD (close-on-exec) or F_SETFL (non-blocking) */ \
  X(accept_plain, 20, "accept")      /* accept(2) where accept4 does not exist */ \
  X(pipe, 21, "pipe")                /* the netpollBreak pipe (netbsd, openbsd, portable build) */ \
  X(pipe_read, 22, "pipe_read")      /* arg: bytes asked */ \
  X(pipe_write, 23, "pipe_write")    /* arg: bytes written */ \
  /* Go's own calls (Go 1.25 on Linux): the poller waits in epoll_pwait with a null sigmask; */ \
  /* a socket's local address is read after listen, accept and connect. */ \
  X(epoll_pwait, 24, "epoll_pwait") X(getsockname, 25, "getsockname")

#define PS_ENUM_CtlOp(X) X(add, 1, "ADD") X(del, 2, "DEL") X(mod, 3, "MOD")

#define PS_ENUM_FdMuOp(X)                                                                          \
  X(rwlockAcquired, 0, "rwlock") X(rwlockWait, 1, "rwlock_wait") X(rwunlock, 2, "rwunlock")        \
  X(incref, 3, "incref") X(decref, 4, "decref") X(increfAndClose, 5, "increfAndClose") X(destroy, 6, "destroy")

#define PS_ENUM_TimerOp(X) X(none, 0, "none") X(add, 1, "add") X(modify, 2, "modify") X(stop, 3, "stop") X(fire, 4, "fire")

#define PS_ENUM_UserOp(X)                                                                          \
  X(listen, 0, "Listen") X(accept, 1, "Accept") X(dial, 2, "Dial") X(read, 3, "Read") X(write, 4, "Write") \
  X(close, 5, "Close") X(closeWrite, 6, "CloseWrite") X(setReadDeadline, 7, "SetReadDeadline")      \
  X(setWriteDeadline, 8, "SetWriteDeadline") X(setDeadline, 9, "SetDeadline") X(sleep, 10, "Sleep")  \
  X(spawn, 11, "go") X(done, 12, "done")

#define PS_ENUM_Phase(X) X(call, 0, "call") X(ret, 1, "return")

// What an internal/poll or net operation returned, as Go's error values.
#define PS_ENUM_NetErr(X)                                                                          \
  X(ok, 0, "ok") X(eof, 1, "EOF") X(closing, 2, "ErrNetClosing") X(timeout, 3, "ErrDeadlineExceeded") \
  X(notPollable, 4, "ErrNotPollable") X(errno_, 5, "errno") X(unexpectedEof, 6, "ErrUnexpectedEOF")

// A scenario's injection point (docs/fidelity.md, "Injection points").
#define PS_ENUM_HookName(X)                                                                        \
  X(dataBeforePark, 0, "data_before_park") X(eventWhileWait, 1, "event_while_wait")                \
  X(closeDuringPoll, 2, "close_during_poll") X(moveAfterFire, 3, "move_after_fire")                \
  X(parkWatch, 4, "wait_parked")

// hold: the actor under study stops at the injection point; release: it goes on.
#define PS_ENUM_HookPhase(X) X(hold, 0, "hold") X(release, 1, "release")

// Why a goroutine became runnable (goready, injectglist, a park abort, go).
#define PS_ENUM_ReadyBy(X)                                                                         \
  X(netpoll, 0, "netpoll") X(close, 1, "close") X(deadline, 2, "deadline") X(sleep, 3, "sleep")    \
  X(sema, 4, "sema") X(spawn, 5, "go") X(abort, 6, "park_abort")

// Where a readied goroutine was put: next in line, the tail of a P's local queue,
// the global queue, or nowhere because this M runs it at once.
#define PS_ENUM_RunQueue(X) X(runnext, 0, "runnext") X(local, 1, "local") X(global, 2, "global") X(direct, 3, "direct")

// M and P lifecycle (proc.go).
#define PS_ENUM_SchedOp(X)                                                                         \
  X(acquirep, 0, "acquirep") X(releasep, 1, "releasep") X(stopm, 2, "stopm") X(startm, 3, "startm") \
  X(newm, 4, "newm") X(wakep, 5, "wakep") X(spinningOn, 6, "spinning_on") X(spinningOff, 7, "spinning_off") \
  X(pollingNetTaken, 8, "pollingNet_taken") X(pollingNetSkipped, 9, "pollingNet_skipped")

// Which timer: a pollDesc's read or write deadline timer, or a goroutine's sleep.
#define PS_ENUM_TimerOwner(X) X(rt, 0, "rt") X(wt, 1, "wt") X(sleep, 2, "sleep")

// Who called netpollBreak.
#define PS_ENUM_BreakCaller(X) X(wakeNetPoller, 0, "wakeNetPoller") X(findRunnableTimer, 1, "findRunnable_timer") \
  X(exit, 2, "exit") /* the engine stopping its threads; never recorded */

// clang-format on

enum class SemState : int64_t { PS_ENUM_SemState(PS_TRACE_ENUMERATOR) };
enum class SemBy : int64_t { PS_ENUM_SemBy(PS_TRACE_ENUMERATOR) };
enum class GStatus : int64_t { PS_ENUM_GStatus(PS_TRACE_ENUMERATOR) };
enum class WaitReason : int64_t { PS_ENUM_WaitReason(PS_TRACE_ENUMERATOR) };
enum class ParkResult : int64_t { PS_ENUM_ParkResult(PS_TRACE_ENUMERATOR) };
enum class PollErr : int64_t { PS_ENUM_PollErr(PS_TRACE_ENUMERATOR) };
enum class PollSite : int64_t { PS_ENUM_PollSite(PS_TRACE_ENUMERATOR) };
enum class PollAction : int64_t { PS_ENUM_PollAction(PS_TRACE_ENUMERATOR) };
enum class Mode : int64_t { PS_ENUM_Mode(PS_TRACE_ENUMERATOR) };
enum class SysOp : int64_t { PS_ENUM_SysOp(PS_TRACE_ENUMERATOR) };
enum class CtlOp : int64_t { PS_ENUM_CtlOp(PS_TRACE_ENUMERATOR) };
enum class FdMuOp : int64_t { PS_ENUM_FdMuOp(PS_TRACE_ENUMERATOR) };
enum class TimerOp : int64_t { PS_ENUM_TimerOp(PS_TRACE_ENUMERATOR) };
enum class UserOp : int64_t { PS_ENUM_UserOp(PS_TRACE_ENUMERATOR) };
enum class Phase : int64_t { PS_ENUM_Phase(PS_TRACE_ENUMERATOR) };
enum class NetErr : int64_t { PS_ENUM_NetErr(PS_TRACE_ENUMERATOR) };
enum class HookName : int64_t { PS_ENUM_HookName(PS_TRACE_ENUMERATOR) };
enum class HookPhase : int64_t { PS_ENUM_HookPhase(PS_TRACE_ENUMERATOR) };
enum class ReadyBy : int64_t { PS_ENUM_ReadyBy(PS_TRACE_ENUMERATOR) };
enum class RunQueue : int64_t { PS_ENUM_RunQueue(PS_TRACE_ENUMERATOR) };
enum class SchedOp : int64_t { PS_ENUM_SchedOp(PS_TRACE_ENUMERATOR) };
enum class TimerOwner : int64_t { PS_ENUM_TimerOwner(PS_TRACE_ENUMERATOR) };
enum class BreakCaller : int64_t { PS_ENUM_BreakCaller(PS_TRACE_ENUMERATOR) };

// ---- 2. event kinds ------------------------------------------------------
// One enumerator per row of the kind table (kinds.hpp), in its order.
#define PS_TRACE_KIND_ENUMERATOR(id, json, layer) id,
#define PS_TRACE_IGNORE(...)
enum class Kind : uint16_t { PS_TRACE_KINDS(PS_TRACE_KIND_ENUMERATOR, PS_TRACE_IGNORE, PS_TRACE_IGNORE) count_ };
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

// Why bit-fields, and why these: a big trace is mostly Events (10M of them in the
// viewer), and 8 bytes less each is 80 MB. Every 16-bit field shares a word with
// a 48-bit one, so the struct is 96 bytes with every name, type and aggregate
// initialisation unchanged: code reads and writes e.seq, e.ts, e.g, e.m, e.p and
// e.kind as before (only a non-const reference to a field, e.g. a fmt argument,
// needs a copy: +e.seq). A 32-bit site index instead of the pointer would save
// only 4 bytes (the struct keeps 8-byte alignment: still 104) and would need a
// global site registry on the recording path. Nothing needs more than 48 bits:
inline constexpr int kEventWideBits = 48;
inline constexpr uint64_t kMaxEventSeq = (uint64_t{1} << kEventWideBits) - 1;     // 2.8e14 events
inline constexpr int64_t kMaxEventTs = (int64_t{1} << (kEventWideBits - 1)) - 1;  // 1.4e14 ns: 39 hours
inline constexpr int64_t kMinEventTs = -kMaxEventTs - 1;
inline constexpr int64_t kMaxEventG = kMaxEventTs;  // goroutine ids: 1.4e14
inline constexpr int64_t kMinEventG = kMinEventTs;
// What does not fit is never cut silently: the readers reject the event, naming
// the field; the recorder stops at a seq or g past the limit with a note
// (Recorder::limitNote) and saturates ts at kMaxEventTs (a run of 39 hours).
inline constexpr bool seqFits(uint64_t seq) {
  return seq <= kMaxEventSeq;
}
inline constexpr bool tsFits(int64_t ts) {
  return ts >= kMinEventTs && ts <= kMaxEventTs;
}
inline constexpr bool gFits(int64_t g) {
  return g >= kMinEventG && g <= kMaxEventG;
}

struct Event {
  uint64_t seq : kEventWideBits = 0;  // global order, gap-free in a full recording
  Kind kind : 16 = Kind::count_;
  int64_t ts : kEventWideBits = 0;  // CLOCK_MONOTONIC nanoseconds since the run started
  int16_t m : 16 = -1;              // M id (-1 = a thread outside the runtime)
  int64_t g : kEventWideBits = 0;   // goroutine running on the M (0 = none, i.e. g0/scheduler)
  int16_t p : 16 = -1;              // P id held by the M (-1 = none)
  const Site* site = nullptr;
  // Raw field storage, laid out by the kind table (kinds.hpp). Outside core/trace
  // and core/traceio read and write it only through fields.hpp (View, Edit, Args).
  int64_t a[kMaxArgs] = {};
};
static_assert(sizeof(Event) == 96, "trace::Event grew: every event of a big trace pays for it");

}  // namespace pollscope::trace
