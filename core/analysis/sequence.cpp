// Builds the sequence model from trace events. Sections: 1. lifelines  2. items per event  3. finish
#include "analysis/sequence.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "trace/fields.hpp"

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

// Every label the builder writes in words, English and Chinese ({} as fmt takes them);
// sequenceChineseTexts() lists the Chinese column for a viewer's font atlas.
struct Words {
  const char* en;
  const char* zh;
};
constexpr Words kBytes{"{}{} bytes", "{}{} 字节"};
constexpr Words kReturns{"{} returns n={} {}", "{} 返回 n={} {}"};
constexpr Words kNoParkData{"{}: data already here, no park", "{}：数据已经到了，不挂起"};
constexpr Words kDeadline{"deadline: {}", "截止时间：{}"};
constexpr Words kUnblockClose{"pollUnblock (close): {}", "pollUnblock（关闭）：{}"};
constexpr Words kBlockReturns{"netpollblock returns: {}", "netpollblock 返回：{}"};
constexpr Words kParks{"gopark: {} parks on pd{}.{}", "gopark：{} 挂起在 pd{}.{} 上"};
constexpr Words kParkAborted{"park aborted: readiness arrived while pdWait, run again at once",
                             "放弃挂起：pdWait 期间已就绪，立即再次运行"};
constexpr Words kNoParkErr{"no park: netpollcheckerr reports an error", "不挂起：netpollcheckerr 报告错误"};
constexpr Words kRun{"run {}", "运行 {}"};
constexpr Words kBlock{"block", "阻塞"};
constexpr Words kBreakWakeup{"eventfd: netpollBreak wakeup", "eventfd：netpollBreak 唤醒"};
constexpr Words kStaleDrop{"stale event for pd{} dropped (tag {} ≠ fdseq {})",
                           "丢弃 pd{} 的过期事件（tag {} ≠ fdseq {}）"};
constexpr Words kRunnable{"netpollready: {} runnable", "netpollready：{} 可运行"};
constexpr Words kInjected{"injectglist: {} goroutine(s)", "injectglist：{} 个 goroutine"};
constexpr Words kPollClose{"pollClose: pd{} freed, fdseq {} → {}", "pollClose：释放 pd{}，fdseq {} → {}"};
constexpr Words kInThePast{"in the past", "已过去"};
constexpr Words kNone{"none", "无"};
constexpr Words kStaleTimer{"stale deadline timer for fd {} ignored", "忽略 fd {} 的过期截止计时器"};
constexpr Words kTimerFires{"deadline timer fires for fd {}", "fd {} 的截止计时器触发"};
constexpr Words kBreakPending{"netpollBreak from {} (already pending)", "来自 {} 的 netpollBreak（已在等待中）"};
constexpr Words kBreakWrite{"netpollBreak from {}: write eventfd", "来自 {} 的 netpollBreak：写 eventfd"};
constexpr Words kHook{"arranged by the scenario: {} {}", "由场景安排：{} {}"};
constexpr Words kEvictClosing{"pollUnblock fd {}: closing", "pollUnblock fd {}：正在关闭"};
constexpr Words kFatal{"fatal error: {}", "致命错误：{}"};
constexpr Words kScheduler{"scheduler", "调度器"};
constexpr Words kEpollKernel{"epoll (kernel)", "epoll（内核）"};
constexpr const Words* kAllWords[] = {
    &kBytes,       &kReturns,   &kNoParkData,   &kDeadline, &kUnblockClose, &kBlockReturns, &kParks,
    &kParkAborted, &kNoParkErr, &kRun,          &kBlock,    &kBreakWakeup,  &kStaleDrop,    &kRunnable,
    &kInjected,    &kPollClose, &kInThePast,    &kNone,     &kStaleTimer,   &kTimerFires,   &kBreakPending,
    &kBreakWrite,  &kHook,      &kEvictClosing, &kFatal,    &kScheduler,    &kEpollKernel};

std::string gid(int64_t g) {
  return "G" + std::to_string(g);
}

class SequenceBuilder {
 public:
  SequenceBuilder(const traceio::TraceModel& t, SeqLevel level, bool zh, const SeqSink* sink = nullptr)
      : t_(t), level_(level), zh_(zh), sink_(sink) {}

  const char* in(const Words& w) const { return zh_ ? w.zh : w.en; }
  template <class... A>
  std::string say(const Words& w, A&&... args) const {
    return fmt::format(fmt::runtime(in(w)), std::forward<A>(args)...);
  }

  // ---- 3. messages per event ---------------------------------------------------------
  void add(const Event& e, size_t index) {
    index_ = index;
    auto name = [&](FieldType ft, int64_t v) { return trace::formatValue(ft, v); };
    bool runtime = level_ == SeqLevel::runtime;
    switch (e.kind) {
      case Kind::step: {
        const trace::View<Kind::step> v{e};
        if (v.phase() != trace::Phase::call || v.step() < 0 || static_cast<size_t>(v.step()) >= t_.steps.size()) return;
        const auto& st = t_.steps[static_cast<size_t>(v.step())];
        std::string say = zh_ && !st.sayZh.empty() ? st.sayZh : st.sayEn;
        if (say.empty() || !e.g) return;
        note(gid(e.g), say);
        return;
      }
      case Kind::user: {
        const trace::View<Kind::user> v{e};
        std::string op(trace::name(v.op()));
        if (v.phase() == trace::Phase::call) {
          std::string args = v.fd() >= 0 ? fmt::format("fd {}", v.fd()) : "";
          if (v.n() > 0) args += say(kBytes, args.empty() ? "" : ", ", v.n());
          msg(gid(e.g), kFD, fmt::format("{}({})", op, args));
        } else {
          auto res = v.result();
          std::string r = res == trace::NetErr::ok       ? "ok"
                          : res == trace::NetErr::errno_ ? trace::errnoName(v.err())
                                                         : std::string(trace::name(v.result()));
          msg(kFD, gid(e.g), say(kReturns, op, v.n(), r), true);
        }
        return;
      }
      case Kind::sys: {
        const trace::View<Kind::sys> v{e};
        std::string op(trace::name(v.op()));
        // socket(2) and epoll_create1 have no fd yet: they return one.
        std::string fdArg = v.fd() >= 0 ? fmt::format("fd {}", v.fd()) : "";
        if (op == "epoll_pwait" || op == "epoll_wait" || op == "eventfd_read" || op == "eventfd_write" ||
            op == "epoll_create1") {
          if (!runtime) return;
          msg(e.g ? kFD : kNP, kKernel,
              fmt::format("{}({}) = {}", op, fdArg,
                          v.err() ? "-1 " + trace::errnoName(v.err()) : std::to_string(v.ret())));
          return;
        }
        if (!runtime && (op == "setsockopt" || op == "bind" || op == "listen" || op == "socket" || op == "getsockname"))
          return;
        msg(kFD, kKernel,
            fmt::format("{}({}) = {}", op, fdArg,
                        v.err() ? "-1 " + trace::errnoName(v.err()) : std::to_string(v.ret())));
        return;
      }
      case Kind::sem: {
        const trace::View<Kind::sem> v{e};
        auto by = v.by();
        std::string which = fmt::format("pd{}.{}", v.pd(), v.mode() == trace::Mode::w ? "wg" : "rg");
        std::string from = v.from() == trace::SemState::G ? gid(v.fromG()) : std::string(trace::name(v.from()));
        std::string to = v.to() == trace::SemState::G ? gid(v.toG()) : std::string(trace::name(v.to()));
        std::string tr = fmt::format("{} {} → {}", which, from, to);
        if (runtime) {
          note(kNP, fmt::format("{} ({})", tr, trace::name(v.by())));
          return;
        }
        switch (by) {
          case trace::SemBy::blockPrepare: msg(kFD, kNP, fmt::format("pollWait(fd {}): {}", v.fd(), tr)); return;
          case trace::SemBy::blockConsume: msg(kNP, kFD, say(kNoParkData, tr), true); return;
          case trace::SemBy::unblockIo: msg(kNP, kNP, fmt::format("netpollunblock: {}", tr)); return;
          case trace::SemBy::unblockTimeout: msg(kNP, kNP, say(kDeadline, tr)); return;
          case trace::SemBy::unblockClose: msg(kNP, kNP, say(kUnblockClose, tr)); return;
          case trace::SemBy::blockSwap:
            if (v.from() != trace::SemState::pdNil) msg(kNP, kFD, say(kBlockReturns, tr), true);
            return;
          default: return;  // pollReset, blockcommit (shown as the park), pollOpen
        }
      }
      case Kind::park: {
        const trace::View<Kind::park> v{e};
        auto r = v.result();
        int64_t g = lastParking_;
        if (r == trace::ParkResult::committed) {
          msg(kNP, kSched, say(kParks, g ? gid(g) : "G", v.pd(), v.mode() == trace::Mode::w ? "wg" : "rg"));
          if (g && !active_.count(g)) {
            use(gid(g));
            item(SeqItem::Type::activate, gid(g), "", "");
            active_.insert(g);
          }
        } else if (r == trace::ParkResult::aborted) {
          msg(kNP, kSched, in(kParkAborted));
        } else {
          msg(kNP, kFD, in(kNoParkErr), true);
        }
        return;
      }
      case Kind::gStatus: {
        const trace::View<Kind::gStatus> v{e};
        auto from = v.from(), to = v.to();
        if (to == trace::GStatus::Gwaiting) lastParking_ = v.goid();
        if (from == trace::GStatus::Grunnable && to == trace::GStatus::Grunning && active_.count(v.goid())) {
          msg(kSched, gid(v.goid()), say(kRun, gid(v.goid())));
          item(SeqItem::Type::deactivate, gid(v.goid()), "", "");
          active_.erase(v.goid());
        } else if (runtime && to != trace::GStatus::Grunning) {
          note(kSched, fmt::format("{} {} → {}", gid(v.goid()), trace::name(v.from()), trace::name(v.to())));
        }
        return;
      }
      case Kind::pollEnter: {
        const trace::View<Kind::pollEnter> v{e};
        if (!runtime && v.delayNs() == 0) return;
        msg(kSched, kNP,
            fmt::format("{}: netpoll({})", trace::name(v.caller()),
                        v.delayNs() < 0    ? in(kBlock)
                        : v.delayNs() == 0 ? "0"
                                           : name(FieldType::Duration, v.delayNs())));
        return;
      }
      case Kind::pollEvent: {
        const trace::View<Kind::pollEvent> v{e};
        auto act = v.action();
        if (act == trace::PollAction::wakeup)
          msg(kKernel, kNP, in(kBreakWakeup), true);
        else if (act == trace::PollAction::staleDrop)
          msg(kKernel, kNP, say(kStaleDrop, v.pd(), v.tag(), v.pdFdseq()), true);
        else if (act == trace::PollAction::ready)
          msg(kKernel, kNP, fmt::format("epoll_wait: fd {} {}", v.fd(), trace::epollMaskName(v.mask())), true);
        return;
      }
      case Kind::netpollReady: {
        const trace::View<Kind::netpollReady> v{e};
        if (v.rgG()) msg(kNP, kSched, say(kRunnable, gid(v.rgG())));
        if (v.wgG()) msg(kNP, kSched, say(kRunnable, gid(v.wgG())));
        return;
      }
      case Kind::inject: {
        const trace::View<Kind::inject> v{e};
        if (runtime) note(kSched, say(kInjected, v.n()));
        return;
      }
      case Kind::waiters: {
        const trace::View<Kind::waiters> v{e};
        if (runtime) note(kNP, fmt::format("netpollWaiters {:+} = {}", v.delta(), v.value()));
        return;
      }
      case Kind::pdOpen: {
        const trace::View<Kind::pdOpen> v{e};
        msg(kFD, kNP, fmt::format("pollOpen(fd {}) → pd{}", v.fd(), v.pd()));
        return;
      }
      case Kind::pdFree: {
        const trace::View<Kind::pdFree> v{e};
        msg(kFD, kNP, say(kPollClose, v.pd(), v.fdseqOld(), v.fdseqNew()));
        return;
      }
      case Kind::pollCtl: {
        const trace::View<Kind::pollCtl> v{e};
        msg(kNP, kKernel, fmt::format("epoll_ctl({}, fd {})", trace::name(v.op()), v.fd()));
        return;
      }
      case Kind::deadlineSet: {
        const trace::View<Kind::deadlineSet> v{e};
        msg(kFD, kNP,
            fmt::format("SetDeadline(fd {}, {}): {}", v.fd(), trace::name(v.mode()),
                        v.dNs() < 0    ? in(kInThePast)
                        : v.dNs() == 0 ? in(kNone)
                                       : name(FieldType::Duration, v.dNs())));
        return;
      }
      case Kind::deadlineFire: {
        const trace::View<Kind::deadlineFire> v{e};
        msg(kSched, kNP, v.stale() ? say(kStaleTimer, v.fd()) : say(kTimerFires, v.fd()));
        return;
      }
      case Kind::netpollBreak: {
        const trace::View<Kind::netpollBreak> v{e};
        msg(kSched, kKernel, say(v.deduped() ? kBreakPending : kBreakWrite, trace::name(v.caller())));
        return;
      }
      case Kind::hook: {
        // Arranged timing: say so, so nobody takes it for something Go did by itself.
        const trace::View<Kind::hook> v{e};
        note(kSched, say(kHook, trace::name(v.name()), trace::name(v.phase())));
        return;
      }
      case Kind::evict: {
        const trace::View<Kind::evict> v{e};
        note(kNP, say(kEvictClosing, v.fd()));
        return;
      }
      case Kind::checkErr: {
        const trace::View<Kind::checkErr> v{e};
        if (runtime && v.code() != trace::PollErr::noError)
          note(kNP, fmt::format("netpollcheckerr: {}", trace::name(v.code())));
        return;
      }
      case Kind::throw_: {
        const trace::View<Kind::throw_> v{e};
        note(kSched, say(kFatal, trace::name(v.code())));
        return;
      }
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
        {kFD, "internal/poll.FD"}, {kNP, "runtime netpoll"}, {kSched, in(kScheduler)}};
    for (const auto& [id, label] : runtime)
      if (used_.count(id)) m.participants.push_back({id, label, SeqGroup::runtime, 0});
    if (used_.count(kKernel)) m.participants.push_back({kKernel, in(kEpollKernel), SeqGroup::kernel, 0});
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

std::vector<std::string> sequenceChineseTexts() {
  std::vector<std::string> out;
  for (const Words* w : kAllWords) out.emplace_back(w->zh);
  return out;
}

}  // namespace pollscope::analysis
