#include "analysis/lint.hpp"

#include <fmt/format.h>

#include <map>
#include <optional>

#include "trace/fields.hpp"

namespace pollscope::analysis {
using trace::Event;
using trace::FieldType;
using trace::GStatus;
using trace::Kind;
using trace::SemBy;
using trace::SemState;

bool semTransitionAllowed(SemState from, SemState to, SemBy by) {
  using S = SemState;
  switch (by) {
    case SemBy::pollReset: return to == S::pdNil;
    case SemBy::blockConsume: return from == S::pdReady && to == S::pdNil;
    case SemBy::blockPrepare: return from == S::pdNil && to == S::pdWait;
    case SemBy::blockCommit: return from == S::pdWait && to == S::G;
    case SemBy::blockSwap: return from != S::G && to == S::pdNil;
    case SemBy::unblockIo: return (from == S::pdNil || from == S::pdWait || from == S::G) && to == S::pdReady;
    case SemBy::unblockTimeout:
    case SemBy::unblockClose: return (from == S::pdWait || from == S::G) && to == S::pdNil;
    case SemBy::pollOpen: return from == S::pdReady && to == S::pdNil;
  }
  return false;
}

bool gstatusTransitionAllowed(GStatus from, GStatus to) {
  using S = GStatus;
  return (from == S::Gidle && to == S::Grunnable) || (from == S::Grunnable && to == S::Grunning) ||
         (from == S::Grunning && to == S::Gwaiting) || (from == S::Grunning && to == S::Grunnable) ||
         (from == S::Gwaiting && to == S::Grunnable) || (from == S::Grunning && to == S::Gdead);
}

namespace {
// More Ps than any machine this runs on has cores to give (Go allows up to 2^32-1, but a
// recording with more Ps than this is not one the engine made).
constexpr int kMaxGomaxprocs = 1024;

struct SemValue {
  SemState state;
  int64_t g;
  bool operator==(const SemValue&) const = default;
};

std::string show(SemValue v) {
  return v.state == SemState::G ? "G" + std::to_string(v.g) : std::string(trace::name(v.state));
}

class Linter {
 public:
  explicit Linter(const traceio::TraceModel& t) : t_(t) {}

  std::vector<LintIssue> run() {
    checkTables();
    bool partial = t_.meta.ring && t_.meta.overwritten > 0;
    if (!partial) waiters_ = 0;  // a complete trace starts with no goroutine waiting on the poller
    std::optional<uint64_t> lastSeq;
    for (size_t i = 0; i < t_.events.size(); ++i) {
      const Event& e = t_.events[i];
      idx_ = i;
      seq_ = e.seq;
      if (lastSeq) {
        if (e.seq <= *lastSeq)
          issue(fmt::format("seq {} does not increase (previous {})", e.seq, *lastSeq));
        else if (!partial && e.seq != *lastSeq + 1)
          issue(fmt::format("seq jumps from {} to {}: events are missing", *lastSeq, e.seq));
      } else if (!partial && e.seq != 0) {
        issue(fmt::format("first event has seq {}, expected 0: the trace is cut", e.seq));
      }
      lastSeq = e.seq;
      checkRanges(e);
      if (e.kind != Kind::hook && e.kind != Kind::gStatus && e.kind != Kind::ready && e.kind != Kind::mp)
        for (auto& [key, only] : onlyHookEffects_)
          if (key.second == e.m) only = false;
      if (e.m >= 0) {
        auto [it, fresh] = lastTs_.try_emplace(e.m, e.ts);
        if (!fresh) {
          if (e.ts < it->second) issue(fmt::format("time goes backwards on M{} ({} < {})", e.m, e.ts, it->second));
          it->second = e.ts;
        }
      }
      schedStep(e, partial);
      step(e);
    }
    // A hold still open at the end is an error unless its M recorded nothing after
    // it but what the hook itself does (readying the goroutine it releases: its
    // status, the run queue, waking a P): the program ended (main returned, on
    // another M) while that M was inside the hook, and what an M records after
    // main's exit is not part of the run.
    for (const auto& [key, open] : hooksOpen_)
      if (open && !partial && !onlyHookEffects_[key]) {
        idx_ = t_.events.empty() ? 0 : t_.events.size() - 1;
        issue(fmt::format("injection point {} on M{} is never released",
                          trace::name(static_cast<trace::HookName>(key.first)), key.second));
      }
    if (!partial && waiters_ && *waiters_ < 0) {
      idx_ = t_.events.empty() ? 0 : t_.events.size() - 1;
      issue(fmt::format("the trace ends with netpollWaiters = {}", *waiters_));
    }
    return std::move(issues_);
  }

 private:
  void issue(std::string msg) { issues_.push_back({seq_, idx_, std::move(msg)}); }

  // ---- values a real recording cannot have (a trace file may hold anything) ----------
  // The header and the tables, reported at the first event.
  void checkTables() {
    const auto& m = t_.meta;
    if (m.gomaxprocs < 1 || m.gomaxprocs > kMaxGomaxprocs)
      issue(fmt::format("meta.gomaxprocs {} is not 1..{}", m.gomaxprocs, kMaxGomaxprocs));
    if (!m.ring && m.overwritten > 0)
      issue(fmt::format("meta.overwritten is {} but the trace was not recorded in a ring", m.overwritten));
    // seq numbers every event recorded, kept or lost: the events kept and the events
    // lost together are at most the last seq + 1.
    if (!t_.events.empty()) {
      uint64_t recorded = t_.events.back().seq + 1;  // 0 when the last seq is UINT64_MAX: then no bound
      uint64_t kept = t_.events.size();
      if (recorded != 0 && recorded >= kept && m.overwritten > recorded - kept)
        issue(fmt::format("meta.overwritten is {} but only {} events were recorded ({} kept)", m.overwritten, recorded,
                          kept));
    }
    for (size_t i = 0; i < t_.steps.size(); ++i)
      if (t_.steps[i].id != static_cast<int64_t>(i))
        issue(fmt::format("steps[{}] has id {}: the step table lists steps by id, from 0", i, t_.steps[i].id));
  }

  void checkRanges(const Event& e) {
    if (e.ts < 0) issue(fmt::format("ts {} is negative (times count from the start of the recording)", e.ts));
    // A cut file (a killed streamed run) never got to its sites table: the sites are unknown, not missing.
    if (!e.site && t_.meta.cut.empty())
      issue("the event has no site (the engine records the line that made every event)");
    if (e.kind == Kind::step) {
      int64_t id = trace::View<Kind::step>(e).step();
      if (id < 0 || static_cast<uint64_t>(id) >= t_.steps.size())
        issue(fmt::format("step {} is not in the trace's step table ({} steps)", id, t_.steps.size()));
    }
  }

  std::string pdName(int64_t pd, int64_t fd, trace::Mode mode) {
    return fmt::format("pd{} (fd {}) {}", pd, fd, trace::name(mode));
  }

  void step(const Event& e) {
    switch (e.kind) {
      case Kind::gCreate: {
        const trace::View<Kind::gCreate> v{e};
        auto it = gstatus_.find(v.goid());
        if (it != gstatus_.end() && it->second != GStatus::Gdead)  // Go reuses a goroutine only once it is dead
          issue(fmt::format("G{} created again while it is {}", v.goid(), trace::name(it->second)));
        gstatus_[v.goid()] = GStatus::Gidle;
        break;
      }
      case Kind::gStatus: {
        const trace::View<Kind::gStatus> v{e};
        auto from = v.from(), to = v.to();
        auto it = gstatus_.find(v.goid());
        if (it != gstatus_.end() && it->second != from)
          issue(fmt::format("G{} status recorded as {} -> {} but it was {}", v.goid(), trace::name(v.from()),
                            trace::name(v.to()), trace::name(it->second)));
        if (!gstatusTransitionAllowed(from, to))
          issue(fmt::format("illegal goroutine transition for G{}: {} -> {}", v.goid(), trace::name(v.from()),
                            trace::name(v.to())));
        if (to == GStatus::Gwaiting && v.reason() == trace::WaitReason::none)
          issue(fmt::format("G{} went to _Gwaiting without a wait reason", v.goid()));
        gstatus_[v.goid()] = to;
        break;
      }
      case Kind::pdOpen: {
        const trace::View<Kind::pdOpen> v{e};
        sem_[{v.pd(), trace::Mode::r}] = {SemState::pdNil, 0};
        sem_[{v.pd(), trace::Mode::w}] = {SemState::pdNil, 0};
        fdseq_[v.pd()] = v.fdseq();
        open_[v.pd()] = true;
        break;
      }
      case Kind::pdFree: {
        const trace::View<Kind::pdFree> v{e};
        // Unsigned: the fields come from a file and may hold anything (INT64_MAX + 1 is UB).
        int64_t expect = static_cast<int64_t>((static_cast<uint64_t>(v.fdseqOld()) + 1) & ((uint64_t{1} << 25) - 1));
        if (v.fdseqNew() != expect)
          issue(fmt::format("pd{} freed with fdseq {} -> {}, expected {}", v.pd(), v.fdseqOld(), v.fdseqNew(), expect));
        fdseq_[v.pd()] = v.fdseqNew();
        open_[v.pd()] = false;
        break;
      }
      case Kind::sem: semStep(trace::View<Kind::sem>(e)); break;
      case Kind::park: {
        const trace::View<Kind::park> v{e};
        auto result = v.result();
        auto it = sem_.find({v.pd(), v.mode()});
        if (it == sem_.end()) break;
        if (result == trace::ParkResult::committed && it->second.state != SemState::G)
          issue(fmt::format("park on {} committed but the semaphore holds {}", pdName(v.pd(), v.fd(), v.mode()),
                            show(it->second)));
        if (result == trace::ParkResult::aborted && it->second.state == SemState::pdWait)
          issue(fmt::format("park on {} aborted although the semaphore still holds pdWait",
                            pdName(v.pd(), v.fd(), v.mode())));
        break;
      }
      case Kind::waiters: {
        const trace::View<Kind::waiters> v{e};
        int64_t expected = 0;
        bool overflows = waiters_ && __builtin_add_overflow(*waiters_, v.delta(), &expected);
        if (waiters_ && (overflows || v.value() != expected))
          issue(fmt::format("netpollWaiters is {} after a delta of {} from {}", v.value(), v.delta(), *waiters_));
        // A transient -1 is legal: netpollblockcommit bumps the count after its CAS,
        // so a waker on another M can apply its -1 first. It must not end there.
        if (v.value() < -static_cast<int64_t>(t_.meta.gomaxprocs))
          issue(fmt::format("netpollWaiters went negative ({})", v.value()));
        waiters_ = v.value();
        break;
      }
      case Kind::pollEvent: {
        const trace::View<Kind::pollEvent> v{e};
        auto action = v.action();
        if (action == trace::PollAction::ready && v.tag() != v.pdFdseq())
          issue(fmt::format("event for fd {} delivered although its tag {} differs from fdseq {}", v.fd(), v.tag(),
                            v.pdFdseq()));
        if (action == trace::PollAction::staleDrop && v.tag() == v.pdFdseq())
          issue(fmt::format("event for fd {} dropped as stale although tag and fdseq are both {}", v.fd(), v.tag()));
        break;
      }
      case Kind::checkErr: {
        const trace::View<Kind::checkErr> v{e};
        using trace::Mode;
        using trace::PollErr;
        int64_t info = v.info();
        Mode mode = v.mode();
        PollErr want = PollErr::noError;
        if (info & trace::kPollClosing)
          want = PollErr::closing;
        else if ((mode == Mode::r && (info & trace::kPollExpiredReadDeadline)) ||
                 (mode == Mode::w && (info & trace::kPollExpiredWriteDeadline)))
          want = PollErr::timeout;
        else if (mode == Mode::r && (info & trace::kPollEventErr))
          want = PollErr::notPollable;
        if (v.code() != want)
          issue(fmt::format("netpollcheckerr on {} returned {} but the info bits ({}) give {}",
                            pdName(v.pd(), v.fd(), mode), trace::name(v.code()), trace::infoBitsName(info),
                            trace::name(want)));
        break;
      }
      case Kind::hook: {
        // Arranged timing is bracketed: an M's hold is released by that M before it holds there again.
        const trace::View<Kind::hook> v{e};
        auto& open = hooksOpen_[{static_cast<int64_t>(v.name()), e.m}];
        if (v.phase() == trace::HookPhase::hold) {
          if (open) issue(fmt::format("injection point {} held twice", trace::name(v.name())));
          open = true;
          onlyHookEffects_[{static_cast<int64_t>(v.name()), e.m}] = true;
        } else {
          if (!open) issue(fmt::format("injection point {} released without a hold", trace::name(v.name())));
          open = false;
        }
        break;
      }
      case Kind::throw_: {
        const trace::View<Kind::throw_> v{e};
        issue(fmt::format("the runtime threw: {}", trace::name(v.code())));
        break;
      }
      default: break;
    }
  }

  // The scheduler's rules: who holds which P, what a ready means. (Who may poll
  // is checked per scenario by tests/scenarios/test_injection.cpp: engine unit
  // tests call netpoll directly from a goroutine on purpose.)
  void schedStep(const Event& e, bool partial) {
    // Every event an M records shows the P it holds (acquirep/releasep say which).
    if (e.m >= 0) {
      auto held = pOf_.find(e.m);
      if (held != pOf_.end() && held->second != e.p && e.kind != Kind::mp)
        issue(fmt::format("M{} records with P{} but holds {}", e.m, e.p,
                          held->second < 0 ? std::string("no P") : "P" + std::to_string(held->second)));
    }
    switch (e.kind) {
      case Kind::mp: {
        const trace::View<Kind::mp> v{e};
        int64_t m = v.mid(), p = v.pid();
        switch (v.op()) {
          case trace::SchedOp::acquirep: {
            auto owner = mOf_.find(p);
            if (owner != mOf_.end() && owner->second >= 0 && owner->second != m)
              issue(fmt::format("M{} acquires P{} while M{} holds it", m, p, owner->second));
            auto mine = pOf_.find(static_cast<int16_t>(m));
            if (mine != pOf_.end() && mine->second >= 0 && mine->second != p)
              issue(fmt::format("M{} acquires P{} while it holds P{}", m, p, mine->second));
            mOf_[p] = m;
            pOf_[static_cast<int16_t>(m)] = p;
            break;
          }
          case trace::SchedOp::releasep: {
            auto mine = pOf_.find(static_cast<int16_t>(m));
            if (!partial && (mine == pOf_.end() || mine->second != p))
              issue(fmt::format("M{} releases P{} which it does not hold", m, p));
            mOf_[p] = -1;
            pOf_[static_cast<int16_t>(m)] = -1;
            break;
          }
          case trace::SchedOp::spinningOn:
            if (spinning_[m]) issue(fmt::format("M{} starts spinning twice", m));
            spinning_[m] = true;
            break;
          case trace::SchedOp::spinningOff:
            if (!partial && !spinning_[m]) issue(fmt::format("M{} stops spinning but was not spinning", m));
            spinning_[m] = false;
            break;
          case trace::SchedOp::stopm:
            if (e.p >= 0) issue(fmt::format("M{} stops while holding P{}", m, e.p));
            break;
          default: break;
        }
        break;
      }
      case Kind::ready: {
        const trace::View<Kind::ready> v{e};
        auto gs = gstatus_.find(v.goid());
        if (gs != gstatus_.end() && gs->second != GStatus::Grunnable)
          issue(fmt::format("G{} made ready while {}", v.goid(), trace::name(gs->second)));
        auto q = v.queue();
        if (q == trace::RunQueue::global && v.toP() != -1)
          issue(fmt::format("G{} put on the global queue names P{}", v.goid(), v.toP()));
        if ((q == trace::RunQueue::runnext || q == trace::RunQueue::local) && v.toP() != e.p)
          issue(fmt::format("G{} put on P{}'s {} queue by an M holding P{}", v.goid(), v.toP(), trace::name(q), e.p));
        break;
      }
      default: break;
    }
  }

  void semStep(trace::View<Kind::sem> s) {
    SemValue from{s.from(), s.fromG()};
    SemValue to{s.to(), s.toG()};
    auto by = s.by();
    std::string where = pdName(s.pd(), s.fd(), s.mode());
    if (s.mode() != trace::Mode::r && s.mode() != trace::Mode::w)
      issue(fmt::format("rg/wg transition on {} with a mode that is neither r nor w", where));
    if ((from.state == SemState::G) != (from.g != 0) || (to.state == SemState::G) != (to.g != 0))
      issue(fmt::format("rg/wg transition on {} names a goroutine inconsistently", where));
    if (!semTransitionAllowed(from.state, to.state, by))
      issue(fmt::format("illegal {} transition {} -> {} by {} on {}", s.mode() == trace::Mode::w ? "wg" : "rg",
                        show(from), show(to), trace::name(by), where));
    auto key = std::make_pair(s.pd(), s.mode());
    auto it = sem_.find(key);
    if (it != sem_.end() && !(it->second == from))
      issue(fmt::format("{} was {} but a transition starts from {}", where, show(it->second), show(from)));
    if (to.state == SemState::G) {
      auto gs = gstatus_.find(to.g);
      if (gs != gstatus_.end() && gs->second != GStatus::Gwaiting)
        issue(fmt::format("G{} parked on {} while {}", to.g, where, trace::name(gs->second)));
    }
    sem_[key] = to;
  }

  const traceio::TraceModel& t_;
  size_t idx_ = 0;
  uint64_t seq_ = 0;
  std::vector<LintIssue> issues_;
  std::map<int16_t, int64_t> lastTs_;
  std::map<int64_t, GStatus> gstatus_;
  std::map<std::pair<int64_t, trace::Mode>, SemValue> sem_;
  std::map<int64_t, int64_t> fdseq_;
  std::map<int64_t, bool> open_;
  std::optional<int64_t> waiters_;
  std::map<int16_t, int64_t> pOf_;  // M -> the P it holds (-1: none), from acquirep/releasep
  std::map<int64_t, int64_t> mOf_;  // P -> the M holding it (-1: idle)
  std::map<int64_t, bool> spinning_;
  std::map<std::pair<int64_t, int16_t>, bool> hooksOpen_;  // (name, M) held and not yet released
  // (name, M) -> since its last hold, that M recorded only what a hook does (see run())
  std::map<std::pair<int64_t, int16_t>, bool> onlyHookEffects_;
};
}  // namespace

std::vector<LintIssue> lint(const traceio::TraceModel& trace) {
  return Linter(trace).run();
}

}  // namespace pollscope::analysis
