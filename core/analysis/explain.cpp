// Sentences for each event kind. Sections: 1. helpers  2. narrate  3. transcript
#include "analysis/explain.hpp"

#include <fmt/format.h>

#include "trace/fields.hpp"

namespace pollscope::analysis {
using trace::Event;
using trace::FieldType;
using trace::Kind;

bool parseLang(const std::string& s, Lang* out) {
  if (s == "en")
    *out = Lang::en;
  else if (s == "zh")
    *out = Lang::zh;
  else
    return false;
  return true;
}

// ---- 1. helpers ----------------------------------------------------------------
namespace {
std::string gname(const traceio::TraceModel& t, int64_t g) {
  if (g == 0) return "g0";
  auto it = t.goroutines.find(g);
  if (it == t.goroutines.end() || it->second.empty()) return fmt::format("G{}", g);
  return fmt::format("G{}({})", g, it->second);
}

std::string semValue(const traceio::TraceModel& t, trace::SemState state, int64_t g) {
  if (state == trace::SemState::G) return gname(t, g);
  return std::string(trace::name(state));
}

const char* modeWord(trace::Mode mode, Lang l) {
  if (mode == trace::Mode::w) return l == Lang::en ? "wg (writer)" : "wg（写）";
  if (mode == trace::Mode::r) return l == Lang::en ? "rg (reader)" : "rg（读）";
  return l == Lang::en ? "rg+wg" : "rg+wg";
}

std::string en(FieldType t, int64_t v) {
  return trace::formatValue(t, v);
}
}  // namespace

// ---- 2. narrate -------------------------------------------------------------------
std::string narrate(const traceio::TraceModel& t, const Event& e, Lang l, bool all) {
  bool E = l == Lang::en;
  switch (e.kind) {
    case Kind::gCreate: {
      const trace::View<Kind::gCreate> v{e};
      return E ? fmt::format("go statement: {} creates goroutine {}", gname(t, v.parent()), gname(t, v.goid()))
               : fmt::format("go 语句：{} 创建了 goroutine {}", gname(t, v.parent()), gname(t, v.goid()));
    }
    case Kind::gStatus: {
      const trace::View<Kind::gStatus> v{e};
      auto to = v.to();
      std::string g = gname(t, v.goid());
      switch (to) {
        case trace::GStatus::Grunning:
          return E ? fmt::format("{} starts running on M{}", g, e.m) : fmt::format("{} 在 M{} 上开始运行", g, e.m);
        case trace::GStatus::Gwaiting:
          return E ? fmt::format("{} parks (_Gwaiting, reason \"{}\")", g, trace::name(v.reason()))
                   : fmt::format("{} 挂起（_Gwaiting，原因 \"{}\"）", g, trace::name(v.reason()));
        case trace::GStatus::Grunnable:
          if (v.from() == trace::GStatus::Gidle && !all) return {};
          return E ? fmt::format("{} is runnable again (_Grunnable), waiting for a P", g)
                   : fmt::format("{} 重新变为可运行（_Grunnable），等待 P", g);
        case trace::GStatus::Gdead:
          return E ? fmt::format("{} returns and exits (_Gdead)", g) : fmt::format("{} 返回并退出（_Gdead）", g);
        default: return {};
      }
    }
    case Kind::park: {
      const trace::View<Kind::park> v{e};
      auto r = v.result();
      if (r == trace::ParkResult::committed)
        return E ? fmt::format("netpollblockcommit succeeded: the goroutine is now parked on fd {} {}", v.fd(),
                               modeWord(v.mode(), l))
                 : fmt::format("netpollblockcommit 成功：goroutine 已挂在 fd {} 的 {} 上", v.fd(),
                               modeWord(v.mode(), l));
      if (r == trace::ParkResult::aborted)
        return E ? fmt::format(
                       "park aborted: readiness on fd {} arrived while the state was pdWait, so the goroutine runs on "
                       "at once",
                       v.fd())
                 : fmt::format("挂起被取消：fd {} 在 pdWait 状态时就绪，goroutine 立即继续运行", v.fd());
      return E ? fmt::format("no park: netpollcheckerr reported an error after pdWait on fd {}", v.fd())
               : fmt::format("未挂起：设置 pdWait 后 netpollcheckerr 在 fd {} 上报告错误", v.fd());
    }
    case Kind::sem: {
      const trace::View<Kind::sem> v{e};
      std::string from = semValue(t, v.from(), v.fromG()), to = semValue(t, v.to(), v.toG());
      auto by = v.by();
      std::string head = fmt::format("pd{} {} {} -> {}", v.pd(), v.mode() == trace::Mode::w ? "wg" : "rg", from, to);
      switch (by) {
        case trace::SemBy::pollReset:
          if (!all && v.from() == trace::SemState::pdNil) return {};
          return E ? head + " (pollReset before the syscall)" : head + "（系统调用前 pollReset）";
        case trace::SemBy::blockConsume:
          return E ? head + ": the data arrived before we parked; consume the token and retry the syscall, no park"
                   : head + "：数据在挂起前已到达；消费就绪标记并重试系统调用，无需挂起";
        case trace::SemBy::blockPrepare:
          return E ? head + ": netpollblock announces it is about to park" : head + "：netpollblock 声明即将挂起";
        case trace::SemBy::blockCommit:
          return E ? head + ": netpollblockcommit stores the goroutine in the semaphore"
                   : head + "：netpollblockcommit 把 goroutine 存入信号量";
        case trace::SemBy::blockSwap:
          return E ? head + ": back in netpollblock, swap to pdNil and read what woke us"
                   : head + "：回到 netpollblock，交换为 pdNil 并查看唤醒原因";
        case trace::SemBy::unblockIo:
          return E ? head + ": netpollunblock(ioready=true) marks the fd ready"
                   : head + "：netpollunblock(ioready=true) 标记就绪";
        case trace::SemBy::unblockTimeout:
          return E ? head + ": the deadline passed; wake the goroutine without a token"
                   : head + "：超时已到；唤醒 goroutine，不留就绪标记";
        case trace::SemBy::unblockClose:
          return E ? head + ": the fd is closing; wake the goroutine" : head + "：fd 正在关闭；唤醒 goroutine";
        case trace::SemBy::pollOpen:
          return E ? head + " (pollOpen resets a reused pollDesc)" : head + "（pollOpen 重置复用的 pollDesc）";
      }
      return head;
    }
    case Kind::checkErr: {
      const trace::View<Kind::checkErr> v{e};
      if (v.code() == trace::PollErr::noError && !all) return {};
      return E ? fmt::format("netpollcheckerr on fd {} {}: {}", v.fd(), modeWord(v.mode(), l), trace::name(v.code()))
               : fmt::format("fd {} {} 的 netpollcheckerr：{}", v.fd(), modeWord(v.mode(), l), trace::name(v.code()));
    }
    case Kind::publishInfo: {
      const trace::View<Kind::publishInfo> v{e};
      if (!all) return {};
      return fmt::format("publishInfo pd{}: {}", v.pd(), trace::infoBitsName(v.info()));
    }
    case Kind::setEventErr: {
      const trace::View<Kind::setEventErr> v{e};
      if (!all && !v.value()) return {};
      return E ? fmt::format("setEventErr({}) on pd{} (seq {}): {}", v.value() ? "true" : "false", v.pd(), v.tag(),
                             v.applied() ? "applied" : "ignored, stale")
               : fmt::format("pd{} 上 setEventErr({})（seq {}）：{}", v.pd(), v.value() ? "true" : "false", v.tag(),
                             v.applied() ? "已生效" : "过期，忽略");
    }
    case Kind::pollEnter: {
      const trace::View<Kind::pollEnter> v{e};
      std::string site(trace::name(v.caller()));
      if (v.delayNs() == 0)
        return E ? fmt::format("{}: non-blocking netpoll(0) - any fd ready?", site)
                 : fmt::format("{}：非阻塞 netpoll(0)——有就绪的 fd 吗？", site);
      if (v.delayNs() < 0)
        return E ? fmt::format("{}: nothing to run, block in netpoll until an fd is ready (epoll_wait timeout -1)",
                               site)
                 : fmt::format("{}：无事可做，阻塞在 netpoll 直到 fd 就绪（epoll_wait 超时 -1）", site);
      return E ? fmt::format("{}: block in netpoll until the next timer ({}; epoll_wait {} ms)", site,
                             en(FieldType::Duration, v.delayNs()), v.timeoutMs())
               : fmt::format("{}：阻塞在 netpoll 直到下一个定时器（{}；epoll_wait {} 毫秒）", site,
                             en(FieldType::Duration, v.delayNs()), v.timeoutMs());
    }
    case Kind::pollExit: {
      const trace::View<Kind::pollExit> v{e};
      if (!all && v.nEvents() == 0) return {};
      return E ? fmt::format("netpoll returns: {} kernel event(s), {} goroutine(s) to run, waiters delta {}",
                             v.nEvents(), v.nG(), v.delta())
               : fmt::format("netpoll 返回：{} 个内核事件，{} 个待运行 goroutine，waiters 变化 {}", v.nEvents(), v.nG(),
                             v.delta());
    }
    case Kind::pollEvent: {
      const trace::View<Kind::pollEvent> v{e};
      auto act = v.action();
      if (act == trace::PollAction::wakeup)
        return E ? "epoll reports the eventfd: someone called netpollBreak"
                 : "epoll 报告 eventfd：有人调用了 netpollBreak";
      if (act == trace::PollAction::staleDrop)
        return E ? fmt::format("stale event for fd {} dropped: its tag {} no longer matches fdseq {}", v.fd(), v.tag(),
                               v.pdFdseq())
                 : fmt::format("丢弃 fd {} 的过期事件：标签 {} 与 fdseq {} 不符", v.fd(), v.tag(), v.pdFdseq());
      if (act == trace::PollAction::skipEmpty) return {};
      return E ? fmt::format("epoll_wait says fd {} is ready: {} -> mode {}", v.fd(), trace::epollMaskName(v.mask()),
                             trace::name(v.mode()))
               : fmt::format("epoll_wait 报告 fd {} 就绪：{} -> 模式 {}", v.fd(), trace::epollMaskName(v.mask()),
                             trace::name(v.mode()));
    }
    case Kind::netpollReady: {
      const trace::View<Kind::netpollReady> v{e};
      if (!all && v.rgG() == 0 && v.wgG() == 0) return {};
      return E ? fmt::format("netpollready on pd{}: goroutine(s) to wake: {}{}", v.pd(),
                             v.rgG() ? gname(t, v.rgG()) + " " : "", v.wgG() ? gname(t, v.wgG()) : "")
               : fmt::format("pd{} 的 netpollready：需要唤醒 {}{}", v.pd(), v.rgG() ? gname(t, v.rgG()) + " " : "",
                             v.wgG() ? gname(t, v.wgG()) : "");
    }
    case Kind::waiters: {
      const trace::View<Kind::waiters> v{e};
      return E ? fmt::format("netpollWaiters {:+} = {}", v.delta(), v.value())
               : fmt::format("netpollWaiters {:+} = {}", v.delta(), v.value());
    }
    case Kind::inject: {
      const trace::View<Kind::inject> v{e};
      return E ? fmt::format(
                     "injectglist: {} goroutine(s) made runnable ({} to the global queue, {} to the local queue)",
                     v.n(), v.toGlobal(), v.toLocal())
               : fmt::format("injectglist：{} 个 goroutine 变为可运行（全局队列 {}，本地队列 {}）", v.n(), v.toGlobal(),
                             v.toLocal());
    }
    case Kind::netpollBreak: {
      const trace::View<Kind::netpollBreak> v{e};
      return v.deduped() ? (E ? "netpollBreak: a wakeup is already pending, nothing to do"
                              : "netpollBreak：已有唤醒在途，无需操作")
                         : (E ? "netpollBreak: write to the eventfd to wake the M blocked in epoll_wait"
                              : "netpollBreak：写 eventfd 唤醒阻塞在 epoll_wait 的 M");
    }
    case Kind::breakConsume: {
      const trace::View<Kind::breakConsume> v{e};
      return v.drained() ? (E ? "the blocking poller drains the eventfd and clears netpollWakeSig"
                              : "阻塞轮询者读空 eventfd 并清除 netpollWakeSig")
                         : (E ? "a non-blocking poll sees the wakeup and leaves it for the blocking poller"
                              : "非阻塞轮询看到唤醒，留给阻塞轮询者处理");
    }
    case Kind::lastpoll:
      if (!all) return {};
      return fmt::format("sched.lastpoll = {}", trace::View<Kind::lastpoll>(e).new_());
    case Kind::pollUntil:
      if (!all) return {};
      return fmt::format("sched.pollUntil = {}", trace::View<Kind::pollUntil>(e).value());
    case Kind::deadlineSet: {
      const trace::View<Kind::deadlineSet> v{e};
      return E ? fmt::format("SetDeadline on fd {} ({}): {} ({} timer{})", v.fd(), trace::name(v.mode()),
                             v.dNs() < 0    ? "in the past"
                             : v.dNs() == 0 ? "none"
                                            : "in " + en(FieldType::Duration, v.dNs()),
                             trace::name(v.timer()), v.combo() ? ", one combined timer for both sides" : "")
               : fmt::format("fd {} 设置截止时间（{}）：{}（定时器 {}{}）", v.fd(), trace::name(v.mode()),
                             v.dNs() < 0    ? "已过去"
                             : v.dNs() == 0 ? "无"
                                            : en(FieldType::Duration, v.dNs()) + " 后",
                             trace::name(v.timer()), v.combo() ? "，读写共用一个定时器" : "");
    }
    case Kind::deadlineFire: {
      const trace::View<Kind::deadlineFire> v{e};
      if (v.stale())
        return E ? fmt::format("a deadline timer for fd {} fires with stale seq {}: ignored", v.fd(), v.timerSeq())
                 : fmt::format("fd {} 的截止定时器以过期 seq {} 触发：忽略", v.fd(), v.timerSeq());
      return E ? fmt::format("the deadline for fd {} expires: rd/wd = -1, waiters are woken with a timeout", v.fd())
               : fmt::format("fd {} 的截止时间到：rd/wd = -1，以超时唤醒等待者", v.fd());
    }
    case Kind::sys: {
      const trace::View<Kind::sys> v{e};
      auto op = trace::name(v.op());
      if (!all && (op == "setsockopt" || op == "bind" || op == "listen")) return {};
      if (v.err())
        return E ? fmt::format("{}(fd {}) = -1 {}", op, v.fd(), trace::errnoName(v.err()))
                 : fmt::format("{}(fd {}) = -1 {}", op, v.fd(), trace::errnoName(v.err()));
      return fmt::format("{}(fd {}) = {}", op, v.fd(), v.ret());
    }
    case Kind::fdmu: {
      const trace::View<Kind::fdmu> v{e};
      if (!all && v.op() != trace::FdMuOp::destroy && v.op() != trace::FdMuOp::increfAndClose) return {};
      return E ? fmt::format("fdMutex {} on fd {} (refs {}{})", trace::name(v.op()), v.fd(), v.refs(),
                             v.closed() ? ", closed" : "")
               : fmt::format("fd {} 的 fdMutex {}（引用 {}{}）", v.fd(), trace::name(v.op()), v.refs(),
                             v.closed() ? "，已关闭" : "");
    }
    case Kind::pdOpen: {
      const trace::View<Kind::pdOpen> v{e};
      return E ? fmt::format("pollOpen: fd {} gets pd{} (fdseq {})", v.fd(), v.pd(), v.fdseq())
               : fmt::format("pollOpen：fd {} 分配到 pd{}（fdseq {}）", v.fd(), v.pd(), v.fdseq());
    }
    case Kind::pdFree: {
      const trace::View<Kind::pdFree> v{e};
      return E ? fmt::format("pollcache.free: pd{} returns to the cache, fdseq {} -> {} so late events are dropped",
                             v.pd(), v.fdseqOld(), v.fdseqNew())
               : fmt::format("pollcache.free：pd{} 归还缓存，fdseq {} -> {}，迟到的事件将被丢弃", v.pd(), v.fdseqOld(),
                             v.fdseqNew());
    }
    case Kind::pollCtl: {
      const trace::View<Kind::pollCtl> v{e};
      return fmt::format("epoll_ctl({}, fd {}, {}) = {}{}", trace::name(v.op()), v.fd(),
                         trace::epollMaskName(v.events()), v.ret(), v.err() ? " " + trace::errnoName(v.err()) : "");
    }
    case Kind::pollcacheAlloc: {
      const trace::View<Kind::pollcacheAlloc> v{e};
      if (!all) return {};
      return fmt::format("pollcache.alloc -> pd{}{}", v.pd(), v.fresh() ? " (new block)" : "");
    }
    case Kind::user: {
      const trace::View<Kind::user> v{e};
      auto op = trace::name(v.op());
      if (v.phase() == trace::Phase::call)
        return E ? fmt::format("{} calls {}(fd {}{})", gname(t, e.g), op, v.fd(),
                               v.n() ? fmt::format(", {}", v.n()) : "")
                 : fmt::format("{} 调用 {}(fd {}{})", gname(t, e.g), op, v.fd(),
                               v.n() ? fmt::format(", {}", v.n()) : "");
      auto res = v.result();
      std::string r = res == trace::NetErr::ok       ? "ok"
                      : res == trace::NetErr::errno_ ? trace::errnoName(v.err())
                                                     : std::string(trace::name(v.result()));
      return E ? fmt::format("{} returns from {} on fd {}: n={} err={}", gname(t, e.g), op, v.fd(), v.n(), r)
               : fmt::format("{} 从 {} 返回（fd {}）：n={} err={}", gname(t, e.g), op, v.fd(), v.n(), r);
    }
    case Kind::step: {
      const trace::View<Kind::step> v{e};
      if (v.phase() != trace::Phase::call || v.step() < 0 || static_cast<size_t>(v.step()) >= t.steps.size()) return {};
      const auto& st = t.steps[static_cast<size_t>(v.step())];
      const std::string& say = (!E && !st.sayZh.empty()) ? st.sayZh : st.sayEn;
      if (say.empty() && !all) return {};
      if (say.empty())  // a step the scenario does not narrate: its operation
        return E ? fmt::format("[{}] step {} ({})", st.goroutine, st.path, st.op)
                 : fmt::format("[{}] 步骤：{}", st.goroutine, st.op);
      return fmt::format(">> [{}] {}", st.goroutine, say);
    }
    case Kind::throw_: {
      const trace::View<Kind::throw_> v{e};
      return fmt::format("fatal error: runtime: {}", trace::name(v.code()));
    }
    case Kind::count_: break;
  }
  return {};
}

// ---- 3. transcript -------------------------------------------------------------------
std::string transcript(const traceio::TraceModel& t, Lang l, bool all) {
  std::string out;
  for (const auto& e : t.events) {
    std::string s = narrate(t, e, l, all);
    if (s.empty()) continue;
    fmt::format_to(std::back_inserter(out), "#{:<5} {:>9.3f}ms  M{:<2} {:<3}  {}\n", e.seq,
                   static_cast<double>(e.ts) / 1e6, e.m < 0 ? std::string("-") : std::to_string(e.m),
                   e.p < 0 ? std::string("-") : "P" + std::to_string(e.p), s);
  }
  return out;
}

}  // namespace pollscope::analysis
