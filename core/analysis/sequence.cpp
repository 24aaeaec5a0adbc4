// Builds the sequence model from trace events. Sections: 1. lifelines  2. items per event  3. finish
#include "analysis/sequence.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "trace/vocabulary.hpp"

namespace pollscope::analysis {
using trace::Event;
using trace::FieldType;
using trace::Kind;

namespace {
// ---- 1. lifelines ------------------------------------------------------------------
const char* kFD = "FD";
const char* kNP = "NP";
const char* kSched = "SCHED";
const char* kKernel = "K";

std::string gid(int64_t g) {
  return "G" + std::to_string(g);
}

class SequenceBuilder {
 public:
  SequenceBuilder(const traceio::TraceModel& t, SeqLevel level, bool zh, const SeqSink* sink = nullptr)
      : t_(t), level_(level), zh_(zh), sink_(sink) {}

  // ---- 3. messages per event ---------------------------------------------------------
  void add(const Event& e, size_t index) {
    index_ = index;
    const int64_t* a = e.a;
    auto name = [&](FieldType ft, int64_t v) { return trace::formatValue(ft, v); };
    bool runtime = level_ == SeqLevel::runtime;
    switch (e.kind) {
      case Kind::step: {
        if (a[1] != 0 || a[0] < 0 || static_cast<size_t>(a[0]) >= t_.steps.size()) return;
        const auto& st = t_.steps[static_cast<size_t>(a[0])];
        std::string say = zh_ && !st.sayZh.empty() ? st.sayZh : st.sayEn;
        if (say.empty() || !e.g) return;
        note(gid(e.g), say);
        return;
      }
      case Kind::user: {
        std::string op(trace::enumName(FieldType::UserOp, a[0]));
        if (a[1] == 0) {
          std::string args = a[2] >= 0 ? fmt::format("fd {}", a[2]) : "";
          if (a[3] > 0) args += fmt::format("{}{} bytes", args.empty() ? "" : ", ", a[3]);
          msg(gid(e.g), kFD, fmt::format("{}({})", op, args));
        } else {
          auto res = static_cast<trace::NetErr>(a[4]);
          std::string r = res == trace::NetErr::ok       ? "ok"
                          : res == trace::NetErr::errno_ ? trace::errnoName(a[5])
                                                         : std::string(trace::enumName(FieldType::NetErr, a[4]));
          msg(kFD, gid(e.g), fmt::format("{} returns n={} {}", op, a[3], r), true);
        }
        return;
      }
      case Kind::sys: {
        std::string op(trace::enumName(FieldType::SysOp, a[0]));
        if (op == "epoll_wait" || op == "eventfd_read" || op == "eventfd_write" || op == "epoll_create1") {
          if (!runtime) return;
          msg(e.g ? kFD : kNP, kKernel,
              fmt::format("{}(fd {}) = {}", op, a[1], a[3] ? "-1 " + trace::errnoName(a[3]) : std::to_string(a[2])));
          return;
        }
        if (!runtime && (op == "setsockopt" || op == "bind" || op == "listen" || op == "socket")) return;
        msg(kFD, kKernel,
            fmt::format("{}(fd {}) = {}", op, a[1], a[3] ? "-1 " + trace::errnoName(a[3]) : std::to_string(a[2])));
        return;
      }
      case Kind::sem: {
        auto by = static_cast<trace::SemBy>(a[5]);
        std::string which = fmt::format("pd{}.{}", a[0], a[2] == 'w' ? "wg" : "rg");
        std::string from = a[3] == 3 ? gid(a[6]) : name(FieldType::SemState, a[3]);
        std::string to = a[4] == 3 ? gid(a[7]) : name(FieldType::SemState, a[4]);
        std::string tr = fmt::format("{} {} → {}", which, from, to);
        if (runtime) {
          note(kNP, fmt::format("{} ({})", tr, name(FieldType::SemBy, a[5])));
          return;
        }
        switch (by) {
          case trace::SemBy::blockPrepare: msg(kFD, kNP, fmt::format("pollWait(fd {}): {}", a[1], tr)); return;
          case trace::SemBy::blockConsume:
            msg(kNP, kFD, fmt::format("{}: data already here, no park", tr), true);
            return;
          case trace::SemBy::unblockIo: msg(kNP, kNP, fmt::format("netpollunblock: {}", tr)); return;
          case trace::SemBy::unblockTimeout: msg(kNP, kNP, fmt::format("deadline: {}", tr)); return;
          case trace::SemBy::unblockClose: msg(kNP, kNP, fmt::format("pollUnblock (close): {}", tr)); return;
          case trace::SemBy::blockSwap:
            if (a[3] != 0) msg(kNP, kFD, fmt::format("netpollblock returns: {}", tr), true);
            return;
          default: return;  // pollReset, blockcommit (shown as the park), pollOpen
        }
      }
      case Kind::park: {
        auto r = static_cast<trace::ParkResult>(a[3]);
        int64_t g = lastParking_;
        if (r == trace::ParkResult::committed) {
          msg(kNP, kSched,
              fmt::format("gopark: {} parks on pd{}.{}", g ? gid(g) : "G", a[0], a[2] == 'w' ? "wg" : "rg"));
          if (g && !active_.count(g)) {
            use(gid(g));
            item(SeqItem::Type::activate, gid(g), "", "");
            active_.insert(g);
          }
        } else if (r == trace::ParkResult::aborted) {
          msg(kNP, kSched, "park aborted: readiness arrived while pdWait, run again at once");
        } else {
          msg(kNP, kFD, "no park: netpollcheckerr reports an error", true);
        }
        return;
      }
      case Kind::gStatus: {
        auto from = static_cast<trace::GStatus>(a[1]), to = static_cast<trace::GStatus>(a[2]);
        if (to == trace::GStatus::Gwaiting) lastParking_ = a[0];
        if (from == trace::GStatus::Grunnable && to == trace::GStatus::Grunning && active_.count(a[0])) {
          msg(kSched, gid(a[0]), fmt::format("run {}", gid(a[0])));
          item(SeqItem::Type::deactivate, gid(a[0]), "", "");
          active_.erase(a[0]);
        } else if (runtime && to != trace::GStatus::Grunning) {
          note(kSched,
               fmt::format("{} {} → {}", gid(a[0]), name(FieldType::GStatus, a[1]), name(FieldType::GStatus, a[2])));
        }
        return;
      }
      case Kind::pollEnter:
        if (!runtime && a[1] == 0) return;
        msg(kSched, kNP,
            fmt::format("{}: netpoll({})", name(FieldType::PollSite, a[0]),
                        a[1] < 0    ? "block"
                        : a[1] == 0 ? "0"
                                    : name(FieldType::Duration, a[1])));
        return;
      case Kind::pollEvent: {
        auto act = static_cast<trace::PollAction>(a[6]);
        if (act == trace::PollAction::wakeup)
          msg(kKernel, kNP, "eventfd: netpollBreak wakeup", true);
        else if (act == trace::PollAction::staleDrop)
          msg(kKernel, kNP, fmt::format("stale event fd {} dropped (tag {} ≠ fdseq {})", a[0], a[4], a[5]), true);
        else if (act == trace::PollAction::ready)
          msg(kKernel, kNP, fmt::format("epoll_wait: fd {} {}", a[0], trace::epollMaskName(a[2])), true);
        return;
      }
      case Kind::netpollReady:
        if (a[3]) msg(kNP, kSched, fmt::format("netpollready: {} runnable", gid(a[3])));
        if (a[4]) msg(kNP, kSched, fmt::format("netpollready: {} runnable", gid(a[4])));
        return;
      case Kind::inject:
        if (runtime) note(kSched, fmt::format("injectglist: {} goroutine(s)", a[0]));
        return;
      case Kind::waiters:
        if (runtime) note(kNP, fmt::format("netpollWaiters {:+} = {}", a[0], a[1]));
        return;
      case Kind::pdOpen: msg(kFD, kNP, fmt::format("pollOpen(fd {}) → pd{}", a[1], a[0])); return;
      case Kind::pdFree: msg(kFD, kNP, fmt::format("pollClose: pd{} freed, fdseq {} → {}", a[0], a[2], a[3])); return;
      case Kind::pollCtl:
        msg(kNP, kKernel, fmt::format("epoll_ctl({}, fd {})", name(FieldType::CtlOp, a[0]), a[1]));
        return;
      case Kind::deadlineSet:
        msg(kFD, kNP,
            fmt::format("SetDeadline(fd {}, {}): {}", a[1], name(FieldType::Mode, a[2]),
                        a[3] < 0    ? "in the past"
                        : a[3] == 0 ? "none"
                                    : name(FieldType::Duration, a[3])));
        return;
      case Kind::deadlineFire:
        msg(kSched, kNP,
            a[3] ? fmt::format("stale deadline timer for fd {} ignored", a[1])
                 : fmt::format("deadline timer fires for fd {}", a[1]));
        return;
      case Kind::netpollBreak:
        msg(kSched, kKernel, a[0] ? "netpollBreak (already pending)" : "netpollBreak: write eventfd");
        return;
      case Kind::checkErr:
        if (runtime && a[3]) note(kNP, fmt::format("netpollcheckerr: {}", name(FieldType::PollErr, a[3])));
        return;
      case Kind::throw_: note(kSched, fmt::format("fatal error: {}", trace::throwMessage(a[0]))); return;
      default: return;
    }
  }

  // ---- 3. finish -------------------------------------------------------------------------
  SequenceModel finish() {
    // Close what is still parked so every activation has its end.
    for (int64_t g : std::set<int64_t>(active_)) item(SeqItem::Type::deactivate, gid(g), "", "");
    SequenceModel m;
    for (const auto& [id, n] : t_.goroutines)
      if (used_.count(gid(id))) m.participants.push_back({gid(id), fmt::format("G{} {}", id, n), SeqGroup::user, id});
    const std::pair<const char*, const char*> runtime[] = {
        {kFD, "internal/poll.FD"}, {kNP, "runtime netpoll"}, {kSched, "scheduler"}};
    for (const auto& [id, label] : runtime)
      if (used_.count(id)) m.participants.push_back({id, label, SeqGroup::runtime, 0});
    if (used_.count(kKernel)) m.participants.push_back({kKernel, "epoll (kernel)", SeqGroup::kernel, 0});
    m.items = std::move(items_);
    return m;
  }

 private:
  void use(const std::string& id) { used_.insert(id); }
  void item(SeqItem::Type type, const std::string& from, const std::string& to, std::string text) {
    use(from);
    if (!to.empty()) use(to);
    if (sink_)
      (*sink_)(SeqItem{type, from, to, std::move(text), index_});
    else
      items_.push_back({type, from, to, std::move(text), index_});
  }
  void msg(const std::string& from, const std::string& to, const std::string& text, bool reply = false) {
    item(reply ? SeqItem::Type::reply : SeqItem::Type::message, from, to, text);
  }
  void note(const std::string& over, const std::string& text) { item(SeqItem::Type::note, over, "", text); }

  const traceio::TraceModel& t_;
  SeqLevel level_;
  bool zh_;
  const SeqSink* sink_;
  std::set<std::string> used_;
  std::vector<SeqItem> items_;
  std::set<int64_t> active_;
  int64_t lastParking_ = 0;
  size_t index_ = 0;
};
}  // namespace

SequenceModel buildSequence(const traceio::TraceModel& t, const std::vector<size_t>& events, SeqLevel level,
                            bool chinese) {
  SequenceBuilder b(t, level, chinese);
  for (size_t i : events) b.add(t.events[i], i);
  return b.finish();
}

SequenceModel buildSequence(const traceio::TraceModel& t, SeqLevel level, bool chinese, const SeqSink& sink) {
  SequenceBuilder b(t, level, chinese, &sink);
  for (size_t i = 0; i < t.events.size(); ++i) b.add(t.events[i], i);
  return b.finish();
}

}  // namespace pollscope::analysis
