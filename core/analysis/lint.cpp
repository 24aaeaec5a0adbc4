#include "analysis/lint.hpp"

#include <fmt/format.h>

#include <map>
#include <optional>

#include "trace/vocabulary.hpp"

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
struct SemValue {
  SemState state;
  int64_t g;
  bool operator==(const SemValue&) const = default;
};

std::string show(SemValue v) {
  return v.state == SemState::G ? "G" + std::to_string(v.g)
                                : std::string(trace::enumName(FieldType::SemState, static_cast<int64_t>(v.state)));
}

class Linter {
 public:
  explicit Linter(const traceio::TraceModel& t) : t_(t) {}

  std::vector<LintIssue> run() {
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
      if (e.m >= 0) {
        auto [it, fresh] = lastTs_.try_emplace(e.m, e.ts);
        if (!fresh) {
          if (e.ts < it->second) issue(fmt::format("time goes backwards on M{} ({} < {})", e.m, e.ts, it->second));
          it->second = e.ts;
        }
      }
      step(e);
    }
    if (!partial && waiters_ && *waiters_ < 0) {
      idx_ = t_.events.empty() ? 0 : t_.events.size() - 1;
      issue(fmt::format("the trace ends with netpollWaiters = {}", *waiters_));
    }
    return std::move(issues_);
  }

 private:
  void issue(std::string msg) { issues_.push_back({seq_, idx_, std::move(msg)}); }

  std::string pdName(int64_t pd, int64_t fd, int64_t mode) {
    return fmt::format("pd{} (fd {}) {}", pd, fd, trace::enumName(FieldType::Mode, mode));
  }

  void step(const Event& e) {
    const int64_t* a = e.a;
    switch (e.kind) {
      case Kind::gCreate: gstatus_[a[0]] = GStatus::Gidle; break;
      case Kind::gStatus: {
        auto from = static_cast<GStatus>(a[1]), to = static_cast<GStatus>(a[2]);
        auto it = gstatus_.find(a[0]);
        if (it != gstatus_.end() && it->second != from)
          issue(fmt::format("G{} status recorded as {} -> {} but it was {}", a[0],
                            trace::enumName(FieldType::GStatus, a[1]), trace::enumName(FieldType::GStatus, a[2]),
                            trace::enumName(FieldType::GStatus, static_cast<int64_t>(it->second))));
        if (!gstatusTransitionAllowed(from, to))
          issue(fmt::format("illegal goroutine transition for G{}: {} -> {}", a[0],
                            trace::enumName(FieldType::GStatus, a[1]), trace::enumName(FieldType::GStatus, a[2])));
        if (to == GStatus::Gwaiting && static_cast<trace::WaitReason>(a[3]) == trace::WaitReason::none)
          issue(fmt::format("G{} went to _Gwaiting without a wait reason", a[0]));
        gstatus_[a[0]] = to;
        break;
      }
      case Kind::pdOpen:
        sem_[{a[0], 'r'}] = {SemState::pdNil, 0};
        sem_[{a[0], 'w'}] = {SemState::pdNil, 0};
        fdseq_[a[0]] = a[2];
        open_[a[0]] = true;
        break;
      case Kind::pdFree: {
        int64_t expect = (a[2] + 1) & ((int64_t{1} << 25) - 1);
        if (a[3] != expect) issue(fmt::format("pd{} freed with fdseq {} -> {}, expected {}", a[0], a[2], a[3], expect));
        fdseq_[a[0]] = a[3];
        open_[a[0]] = false;
        break;
      }
      case Kind::sem: semStep(e); break;
      case Kind::park: {
        auto result = static_cast<trace::ParkResult>(a[3]);
        auto it = sem_.find({a[0], a[2]});
        if (it == sem_.end()) break;
        if (result == trace::ParkResult::committed && it->second.state != SemState::G)
          issue(fmt::format("park on {} committed but the semaphore holds {}", pdName(a[0], a[1], a[2]),
                            show(it->second)));
        if (result == trace::ParkResult::aborted && it->second.state == SemState::pdWait)
          issue(fmt::format("park on {} aborted although the semaphore still holds pdWait", pdName(a[0], a[1], a[2])));
        break;
      }
      case Kind::waiters: {
        if (waiters_ && a[1] != *waiters_ + a[0])
          issue(fmt::format("netpollWaiters is {} after a delta of {} from {}", a[1], a[0], *waiters_));
        // A transient -1 is legal: netpollblockcommit bumps the count after its CAS,
        // so a waker on another M can apply its -1 first. It must not end there.
        if (a[1] < -static_cast<int64_t>(t_.meta.gomaxprocs))
          issue(fmt::format("netpollWaiters went negative ({})", a[1]));
        waiters_ = a[1];
        break;
      }
      case Kind::pollEvent: {
        auto action = static_cast<trace::PollAction>(a[6]);
        if (action == trace::PollAction::ready && a[4] != a[5])
          issue(fmt::format("event for fd {} delivered although its tag {} differs from fdseq {}", a[0], a[4], a[5]));
        if (action == trace::PollAction::staleDrop && a[4] == a[5])
          issue(fmt::format("event for fd {} dropped as stale although tag and fdseq are both {}", a[0], a[4]));
        break;
      }
      case Kind::checkErr: {
        int64_t info = a[4], mode = a[2];
        int64_t want = 0;
        if (info & trace::kPollClosing)
          want = 1;
        else if ((mode == 'r' && (info & trace::kPollExpiredReadDeadline)) ||
                 (mode == 'w' && (info & trace::kPollExpiredWriteDeadline)))
          want = 2;
        else if (mode == 'r' && (info & trace::kPollEventErr))
          want = 3;
        if (a[3] != want)
          issue(fmt::format("netpollcheckerr on {} returned {} but the info bits ({}) give {}",
                            pdName(a[0], a[1], mode), trace::enumName(FieldType::PollErr, a[3]),
                            trace::infoBitsName(info), trace::enumName(FieldType::PollErr, want)));
        break;
      }
      case Kind::throw_: issue(fmt::format("the runtime threw: {}", trace::throwMessage(a[0]))); break;
      default: break;
    }
  }

  void semStep(const Event& e) {
    const int64_t* a = e.a;
    SemValue from{static_cast<SemState>(a[3]), a[4]};
    from.g = a[6];
    SemValue to{static_cast<SemState>(a[4]), a[7]};
    auto by = static_cast<SemBy>(a[5]);
    std::string where = pdName(a[0], a[1], a[2]);
    if (a[2] != 'r' && a[2] != 'w')
      issue(fmt::format("rg/wg transition on {} with a mode that is neither r nor w", where));
    if ((from.state == SemState::G) != (from.g != 0) || (to.state == SemState::G) != (to.g != 0))
      issue(fmt::format("rg/wg transition on {} names a goroutine inconsistently", where));
    if (!semTransitionAllowed(from.state, to.state, by))
      issue(fmt::format("illegal {} transition {} -> {} by {} on {}", a[2] == 'w' ? "wg" : "rg", show(from), show(to),
                        trace::enumName(FieldType::SemBy, a[5]), where));
    auto key = std::make_pair(a[0], a[2]);
    auto it = sem_.find(key);
    if (it != sem_.end() && !(it->second == from))
      issue(fmt::format("{} was {} but a transition starts from {}", where, show(it->second), show(from)));
    if (to.state == SemState::G) {
      auto gs = gstatus_.find(to.g);
      if (gs != gstatus_.end() && gs->second != GStatus::Gwaiting)
        issue(fmt::format("G{} parked on {} while {}", to.g, where,
                          trace::enumName(FieldType::GStatus, static_cast<int64_t>(gs->second))));
    }
    sem_[key] = to;
  }

  const traceio::TraceModel& t_;
  size_t idx_ = 0;
  uint64_t seq_ = 0;
  std::vector<LintIssue> issues_;
  std::map<int16_t, int64_t> lastTs_;
  std::map<int64_t, GStatus> gstatus_;
  std::map<std::pair<int64_t, int64_t>, SemValue> sem_;
  std::map<int64_t, int64_t> fdseq_;
  std::map<int64_t, bool> open_;
  std::optional<int64_t> waiters_;
};
}  // namespace

std::vector<LintIssue> lint(const traceio::TraceModel& trace) {
  return Linter(trace).run();
}

}  // namespace pollscope::analysis
