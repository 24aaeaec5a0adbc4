// The event-kind table: every kind the engine records, declared exactly once.
//
// PS_TRACE_KINDS(KIND, FIELD, END) lists each kind as
//   KIND(identifier, "json name", "layer")  FIELD(identifier, "json name", FieldType)...  END(identifier)
// with its fields in storage order (Event::a). Everything else is derived from it:
// enum Kind (event.hpp), the layout table kindSpec() (vocabulary.cpp), the typed
// views View<Kind::x> / Edit<Kind::x> and the recording arguments Args<Kind::x>
// (fields.hpp). Adding a field is one FIELD row plus the code that uses it; a
// field's identifier differs from its JSON name only where the name is a C++
// keyword ("new").
//
// Layers group kinds in views: "user", "poll", "runtime", "kernel", "sched".
// FieldType spellings are the enumerators of trace::FieldType (vocabulary.hpp).
#pragma once

// clang-format off
#define PS_TRACE_KINDS(KIND, FIELD, END)                                                        \
  KIND(gCreate, "g_create", "sched")                                                            \
    FIELD(goid, "goid", G)                                                                      \
    FIELD(parent, "parent", G)                                                                  \
  END(gCreate)                                                                                  \
  KIND(gStatus, "gstatus", "sched")                                                             \
    FIELD(goid, "goid", G)                                                                      \
    FIELD(from, "from", GStatus)                                                                \
    FIELD(to, "to", GStatus)                                                                    \
    FIELD(reason, "reason", WaitReason)                                                         \
  END(gStatus)                                                                                  \
  KIND(park, "park", "runtime")                                                                 \
    FIELD(pd, "pd", Pd)                                                                         \
    FIELD(fd, "fd", Fd)                                                                         \
    FIELD(mode, "mode", Mode)                                                                   \
    FIELD(result, "result", ParkResult)                                                         \
  END(park)                                                                                     \
  KIND(sem, "sem", "runtime")                                                                   \
    FIELD(pd, "pd", Pd)                                                                         \
    FIELD(fd, "fd", Fd)                                                                         \
    FIELD(mode, "mode", Mode)                                                                   \
    FIELD(from, "from", SemState)                                                               \
    FIELD(to, "to", SemState)                                                                   \
    FIELD(by, "by", SemBy)                                                                      \
    FIELD(fromG, "from_g", G)   /* the goroutine in `from` when it is SemState::G */            \
    FIELD(toG, "to_g", G)                                                                       \
  END(sem)                                                                                      \
  KIND(checkErr, "checkerr", "runtime")                                                         \
    FIELD(pd, "pd", Pd)                                                                         \
    FIELD(fd, "fd", Fd)                                                                         \
    FIELD(mode, "mode", Mode)                                                                   \
    FIELD(code, "code", PollErr)                                                                \
    FIELD(info, "info", InfoBits)                                                               \
  END(checkErr)                                                                                 \
  KIND(publishInfo, "publish_info", "runtime")                                                  \
    FIELD(pd, "pd", Pd)                                                                         \
    FIELD(fd, "fd", Fd)                                                                         \
    FIELD(info, "info", InfoBits)                                                               \
  END(publishInfo)                                                                              \
  KIND(setEventErr, "set_event_err", "runtime")                                                 \
    FIELD(pd, "pd", Pd)                                                                         \
    FIELD(fd, "fd", Fd)                                                                         \
    FIELD(value, "value", Bool)                                                                 \
    FIELD(tag, "tag", Int)                                                                      \
    FIELD(applied, "applied", Bool)                                                             \
  END(setEventErr)                                                                              \
  KIND(pollEnter, "poll_enter", "runtime")                                                      \
    FIELD(caller, "caller", PollSite)                                                           \
    FIELD(delayNs, "delay_ns", Duration)  /* 0: non-blocking, <0: block forever */              \
    FIELD(timeoutMs, "timeout_ms", Int)                                                         \
  END(pollEnter)                                                                                \
  KIND(pollExit, "poll_exit", "runtime")                                                        \
    FIELD(caller, "caller", PollSite)                                                           \
    FIELD(nEvents, "n_events", Int)                                                             \
    FIELD(nG, "n_g", Int)                                                                       \
    FIELD(delta, "delta", Int)                                                                  \
    FIELD(eintr, "eintr", Bool)                                                                 \
  END(pollExit)                                                                                 \
  KIND(pollEvent, "poll_event", "kernel")                                                       \
    FIELD(fd, "fd", Fd)                                                                         \
    FIELD(pd, "pd", Pd)                                                                         \
    FIELD(mask, "mask", EpollMask)                                                              \
    FIELD(mode, "mode", Mode)                                                                   \
    FIELD(tag, "tag", Int)                                                                      \
    FIELD(pdFdseq, "pd_fdseq", Int)                                                             \
    FIELD(action, "action", PollAction)                                                         \
  END(pollEvent)                                                                                \
  KIND(netpollReady, "netpoll_ready", "runtime")                                                \
    FIELD(pd, "pd", Pd)                                                                         \
    FIELD(fd, "fd", Fd)                                                                         \
    FIELD(mode, "mode", Mode)                                                                   \
    FIELD(rgG, "rg_g", G)                                                                       \
    FIELD(wgG, "wg_g", G)                                                                       \
    FIELD(delta, "delta", Int)                                                                  \
  END(netpollReady)                                                                             \
  KIND(waiters, "waiters", "runtime")                                                           \
    FIELD(delta, "delta", Int)                                                                  \
    FIELD(value, "value", Int)                                                                  \
  END(waiters)                                                                                  \
  KIND(inject, "inject", "sched")                                                               \
    FIELD(n, "n", Int)                                                                          \
    FIELD(toGlobal, "to_global", Int)                                                           \
    FIELD(toLocal, "to_local", Int)                                                             \
    FIELD(msStarted, "ms_started", Int)                                                         \
  END(inject)                                                                                   \
  KIND(netpollBreak, "break", "runtime")                                                        \
    FIELD(deduped, "deduped", Bool)                                                             \
    FIELD(caller, "caller", BreakCaller)                                                        \
  END(netpollBreak)                                                                             \
  KIND(breakConsume, "break_consume", "runtime")                                                \
    FIELD(blocking, "blocking", Bool)                                                           \
    FIELD(drained, "drained", Bool)                                                             \
  END(breakConsume)                                                                             \
  KIND(lastpoll, "lastpoll", "sched")                                                           \
    FIELD(old, "old", Int)                                                                      \
    FIELD(new_, "new", Int)                                                                     \
  END(lastpoll)                                                                                 \
  KIND(pollUntil, "poll_until", "sched")                                                        \
    FIELD(value, "value", Int)                                                                  \
  END(pollUntil)                                                                                \
  KIND(deadlineSet, "deadline_set", "runtime")                                                  \
    FIELD(pd, "pd", Pd)                                                                         \
    FIELD(fd, "fd", Fd)                                                                         \
    FIELD(mode, "mode", Mode)                                                                   \
    FIELD(dNs, "d_ns", Duration)                                                                \
    FIELD(combo, "combo", Bool)                                                                 \
    FIELD(rseq, "rseq", Int)                                                                    \
    FIELD(wseq, "wseq", Int)                                                                    \
    FIELD(timer, "timer", TimerOp)                                                              \
  END(deadlineSet)                                                                              \
  KIND(deadlineFire, "deadline_fire", "runtime")                                                \
    FIELD(pd, "pd", Pd)                                                                         \
    FIELD(fd, "fd", Fd)                                                                         \
    FIELD(timerSeq, "timer_seq", Int)                                                           \
    FIELD(stale, "stale", Bool)                                                                 \
    FIELD(r, "r", Bool)                                                                         \
    FIELD(w, "w", Bool)                                                                         \
  END(deadlineFire)                                                                             \
  KIND(sys, "sys", "kernel")                                                                    \
    FIELD(op, "op", SysOp)                                                                      \
    FIELD(fd, "fd", Fd)                                                                         \
    FIELD(ret, "ret", Int)                                                                      \
    FIELD(err, "err", Errno)                                                                    \
    FIELD(arg, "arg", Int)                                                                      \
  END(sys)                                                                                      \
  KIND(fdmu, "fdmu", "poll")                                                                    \
    FIELD(fd, "fd", Fd)                                                                         \
    FIELD(op, "op", FdMuOp)                                                                     \
    FIELD(refs, "refs", Int)                                                                    \
    FIELD(rlock, "rlock", Bool)                                                                 \
    FIELD(wlock, "wlock", Bool)                                                                 \
    FIELD(closed, "closed", Bool)                                                               \
    FIELD(rwait, "rwait", Int)                                                                  \
    FIELD(wwait, "wwait", Int)                                                                  \
  END(fdmu)                                                                                     \
  KIND(pdOpen, "pd_open", "runtime")                                                            \
    FIELD(pd, "pd", Pd)                                                                         \
    FIELD(fd, "fd", Fd)                                                                         \
    FIELD(fdseq, "fdseq", Int)                                                                  \
    FIELD(rseq, "rseq", Int)                                                                    \
    FIELD(wseq, "wseq", Int)                                                                    \
  END(pdOpen)                                                                                   \
  KIND(pdFree, "pd_free", "runtime")                                                            \
    FIELD(pd, "pd", Pd)                                                                         \
    FIELD(fd, "fd", Fd)                                                                         \
    FIELD(fdseqOld, "fdseq_old", Int)                                                           \
    FIELD(fdseqNew, "fdseq_new", Int)                                                           \
  END(pdFree)                                                                                   \
  KIND(pollCtl, "poll_ctl", "kernel")                                                           \
    FIELD(op, "op", CtlOp)                                                                      \
    FIELD(fd, "fd", Fd)                                                                         \
    FIELD(events, "events", EpollMask)                                                          \
    FIELD(tag, "tag", Int)                                                                      \
    FIELD(ret, "ret", Int)                                                                      \
    FIELD(err, "err", Errno)                                                                    \
  END(pollCtl)                                                                                  \
  KIND(pollcacheAlloc, "pollcache_alloc", "runtime")                                            \
    FIELD(pd, "pd", Pd)                                                                         \
    FIELD(block, "block", Int)                                                                  \
    FIELD(fresh, "fresh", Bool)                                                                 \
  END(pollcacheAlloc)                                                                           \
  KIND(user, "user", "user")                                                                    \
    FIELD(op, "op", UserOp)                                                                     \
    FIELD(phase, "phase", Phase)                                                                \
    FIELD(fd, "fd", Fd)                                                                         \
    FIELD(n, "n", Int)                                                                          \
    FIELD(result, "result", NetErr)                                                             \
    FIELD(err, "err", Errno)                                                                    \
  END(user)                                                                                     \
  /* a scenario step begins or ends: the narration's anchors */                                 \
  KIND(step, "step", "user")                                                                    \
    FIELD(step, "step", Int)                                                                    \
    FIELD(phase, "phase", Phase)                                                                \
  END(step)                                                                                     \
  KIND(throw_, "throw", "runtime")                                                              \
    FIELD(code, "code", ThrowCode)                                                              \
  END(throw_)                                                                                   \
  /* a scenario's injection point: events between hold and release were arranged */            \
  KIND(hook, "hook", "user")                                                                    \
    FIELD(name, "name", HookName)                                                               \
    FIELD(phase, "phase", HookPhase)                                                            \
    FIELD(pd, "pd", Pd)                                                                         \
  END(hook)                                                                                     \
  /* goready / injectglist / runqput / a park abort: a goroutine becomes runnable */           \
  KIND(ready, "ready", "sched")                                                                 \
    FIELD(goid, "goid", G)                                                                      \
    FIELD(by, "by", ReadyBy)                                                                    \
    FIELD(queue, "queue", RunQueue)                                                             \
    FIELD(toP, "to_p", Int)       /* the P whose queue it joined; -1: global or none */         \
  END(ready)                                                                                    \
  /* poll_runtime_pollUnblock under pd.lock: closing set, seqs bumped, timers stopped */        \
  KIND(evict, "evict", "runtime")                                                               \
    FIELD(pd, "pd", Pd)                                                                         \
    FIELD(fd, "fd", Fd)                                                                         \
    FIELD(rseq, "rseq", Int)                                                                    \
    FIELD(wseq, "wseq", Int)                                                                    \
    FIELD(rtStopped, "rt_stopped", Bool)                                                        \
    FIELD(wtStopped, "wt_stopped", Bool)                                                        \
  END(evict)                                                                                    \
  /* one runtime timer armed, moved, stopped or fired (deadlines rt/wt, sleeps) */              \
  KIND(timer, "timer", "sched")                                                                 \
    FIELD(op, "op", TimerOp)                                                                    \
    FIELD(owner, "owner", TimerOwner)                                                           \
    FIELD(pd, "pd", Pd)                                                                         \
    FIELD(goid, "goid", G)                                                                      \
    FIELD(inNs, "in_ns", Duration) /* when - now, at the moment of the operation */            \
    FIELD(timerSeq, "timer_seq", Int)                                                           \
  END(timer)                                                                                    \
  /* M/P lifecycle: acquirep/releasep, stopm/startm/newm, wakep, spinning, pollingNet */       \
  KIND(mp, "mp", "sched")                                                                       \
    FIELD(op, "op", SchedOp)                                                                    \
    FIELD(pid, "p_id", Int)        /* the P concerned, -1 when none */                          \
    FIELD(mid, "m_id", Int)        /* the M concerned (startm/newm: the one started) */         \
  END(mp)
// clang-format on
