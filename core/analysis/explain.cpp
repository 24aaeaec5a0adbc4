// Sentences for each event kind. Sections: 1. helpers  2. narrate  3. transcript
#include "analysis/explain.hpp"

#include <fmt/format.h>

#include "trace/vocabulary.hpp"

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

std::string semValue(const traceio::TraceModel& t, int64_t state, int64_t g) {
  if (state == static_cast<int64_t>(trace::SemState::G)) return gname(t, g);
  return std::string(trace::enumName(FieldType::SemState, state));
}

const char* modeWord(int64_t mode, Lang l) {
  if (mode == 'w') return l == Lang::en ? "wg (writer)" : "wg（写）";
  if (mode == 'r') return l == Lang::en ? "rg (reader)" : "rg（读）";
  return l == Lang::en ? "rg+wg" : "rg+wg";
}

std::string en(FieldType t, int64_t v) {
  return trace::formatValue(t, v);
}
}  // namespace

// ---- 2. narrate -------------------------------------------------------------------
std::string narrate(const traceio::TraceModel& t, const Event& e, Lang l, bool all) {
  const int64_t* a = e.a;
  bool E = l == Lang::en;
  switch (e.kind) {
    case Kind::gCreate:
      return E ? fmt::format("go statement: {} creates goroutine {}", gname(t, a[1]), gname(t, a[0]))
               : fmt::format("go 语句：{} 创建了 goroutine {}", gname(t, a[1]), gname(t, a[0]));
    case Kind::gStatus: {
      auto to = static_cast<trace::GStatus>(a[2]);
      std::string g = gname(t, a[0]);
      switch (to) {
        case trace::GStatus::Grunning:
          return E ? fmt::format("{} starts running on M{}", g, e.m) : fmt::format("{} 在 M{} 上开始运行", g, e.m);
        case trace::GStatus::Gwaiting:
          return E ? fmt::format("{} parks (_Gwaiting, reason \"{}\")", g, en(FieldType::WaitReason, a[3]))
                   : fmt::format("{} 挂起（_Gwaiting，原因 \"{}\"）", g, en(FieldType::WaitReason, a[3]));
        case trace::GStatus::Grunnable:
          if (a[1] == static_cast<int64_t>(trace::GStatus::Gidle) && !all) return {};
          return E ? fmt::format("{} is runnable again (_Grunnable), waiting for a P", g)
                   : fmt::format("{} 重新变为可运行（_Grunnable），等待 P", g);
        case trace::GStatus::Gdead:
          return E ? fmt::format("{} returns and exits (_Gdead)", g) : fmt::format("{} 返回并退出（_Gdead）", g);
        default: return {};
      }
    }
    case Kind::park: {
      auto r = static_cast<trace::ParkResult>(a[3]);
      if (r == trace::ParkResult::committed)
        return E ? fmt::format("netpollblockcommit succeeded: the goroutine is now parked on fd {} {}", a[1],
                               modeWord(a[2], l))
                 : fmt::format("netpollblockcommit 成功：goroutine 已挂在 fd {} 的 {} 上", a[1], modeWord(a[2], l));
      if (r == trace::ParkResult::aborted)
        return E ? fmt::format(
                       "park aborted: readiness on fd {} arrived while the state was pdWait, so the goroutine runs on "
                       "at once",
                       a[1])
                 : fmt::format("挂起被取消：fd {} 在 pdWait 状态时就绪，goroutine 立即继续运行", a[1]);
      return E ? fmt::format("no park: netpollcheckerr reported an error after pdWait on fd {}", a[1])
               : fmt::format("未挂起：设置 pdWait 后 netpollcheckerr 在 fd {} 上报告错误", a[1]);
    }
    case Kind::sem: {
      std::string from = semValue(t, a[3], a[6]), to = semValue(t, a[4], a[7]);
      auto by = static_cast<trace::SemBy>(a[5]);
      std::string head = fmt::format("pd{} {} {} -> {}", a[0], a[2] == 'w' ? "wg" : "rg", from, to);
      switch (by) {
        case trace::SemBy::pollReset:
          if (!all && a[3] == 0) return {};
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
    case Kind::checkErr:
      if (a[3] == 0 && !all) return {};
      return E ? fmt::format("netpollcheckerr on fd {} {}: {}", a[1], modeWord(a[2], l), en(FieldType::PollErr, a[3]))
               : fmt::format("fd {} {} 的 netpollcheckerr：{}", a[1], modeWord(a[2], l), en(FieldType::PollErr, a[3]));
    case Kind::publishInfo:
      if (!all) return {};
      return fmt::format("publishInfo pd{}: {}", a[0], trace::infoBitsName(a[2]));
    case Kind::setEventErr:
      if (!all && !a[2]) return {};
      return E ? fmt::format("setEventErr({}) on pd{} (seq {}): {}", a[2] ? "true" : "false", a[0], a[3],
                             a[4] ? "applied" : "ignored, stale")
               : fmt::format("pd{} 上 setEventErr({})（seq {}）：{}", a[0], a[2] ? "true" : "false", a[3],
                             a[4] ? "已生效" : "过期，忽略");
    case Kind::pollEnter: {
      std::string site(trace::enumName(FieldType::PollSite, a[0]));
      if (a[1] == 0)
        return E ? fmt::format("{}: non-blocking netpoll(0) - any fd ready?", site)
                 : fmt::format("{}：非阻塞 netpoll(0)——有就绪的 fd 吗？", site);
      if (a[1] < 0)
        return E ? fmt::format("{}: nothing to run, block in netpoll until an fd is ready (epoll_wait timeout -1)",
                               site)
                 : fmt::format("{}：无事可做，阻塞在 netpoll 直到 fd 就绪（epoll_wait 超时 -1）", site);
      return E ? fmt::format("{}: block in netpoll until the next timer ({}; epoll_wait {} ms)", site,
                             en(FieldType::Duration, a[1]), a[2])
               : fmt::format("{}：阻塞在 netpoll 直到下一个定时器（{}；epoll_wait {} 毫秒）", site,
                             en(FieldType::Duration, a[1]), a[2]);
    }
    case Kind::pollExit:
      if (!all && a[1] == 0) return {};
      return E ? fmt::format("netpoll returns: {} kernel event(s), {} goroutine(s) to run, waiters delta {}", a[1],
                             a[2], a[3])
               : fmt::format("netpoll 返回：{} 个内核事件，{} 个待运行 goroutine，waiters 变化 {}", a[1], a[2], a[3]);
    case Kind::pollEvent: {
      auto act = static_cast<trace::PollAction>(a[6]);
      if (act == trace::PollAction::wakeup)
        return E ? "epoll reports the eventfd: someone called netpollBreak"
                 : "epoll 报告 eventfd：有人调用了 netpollBreak";
      if (act == trace::PollAction::staleDrop)
        return E ? fmt::format("stale event for fd {} dropped: its tag {} no longer matches fdseq {}", a[0], a[4], a[5])
                 : fmt::format("丢弃 fd {} 的过期事件：标签 {} 与 fdseq {} 不符", a[0], a[4], a[5]);
      if (act == trace::PollAction::skipEmpty) return {};
      return E ? fmt::format("epoll_wait says fd {} is ready: {} -> mode {}", a[0], trace::epollMaskName(a[2]),
                             en(FieldType::Mode, a[3]))
               : fmt::format("epoll_wait 报告 fd {} 就绪：{} -> 模式 {}", a[0], trace::epollMaskName(a[2]),
                             en(FieldType::Mode, a[3]));
    }
    case Kind::netpollReady:
      if (!all && a[3] == 0 && a[4] == 0) return {};
      return E ? fmt::format("netpollready on pd{}: goroutine(s) to wake: {}{}", a[0], a[3] ? gname(t, a[3]) + " " : "",
                             a[4] ? gname(t, a[4]) : "")
               : fmt::format("pd{} 的 netpollready：需要唤醒 {}{}", a[0], a[3] ? gname(t, a[3]) + " " : "",
                             a[4] ? gname(t, a[4]) : "");
    case Kind::waiters:
      return E ? fmt::format("netpollWaiters {:+} = {}", a[0], a[1])
               : fmt::format("netpollWaiters {:+} = {}", a[0], a[1]);
    case Kind::inject:
      return E ? fmt::format(
                     "injectglist: {} goroutine(s) made runnable ({} to the global queue, {} to the local queue)", a[0],
                     a[1], a[2])
               : fmt::format("injectglist：{} 个 goroutine 变为可运行（全局队列 {}，本地队列 {}）", a[0], a[1], a[2]);
    case Kind::netpollBreak:
      return a[0] ? (E ? "netpollBreak: a wakeup is already pending, nothing to do"
                       : "netpollBreak：已有唤醒在途，无需操作")
                  : (E ? "netpollBreak: write to the eventfd to wake the M blocked in epoll_wait"
                       : "netpollBreak：写 eventfd 唤醒阻塞在 epoll_wait 的 M");
    case Kind::breakConsume:
      return a[1] ? (E ? "the blocking poller drains the eventfd and clears netpollWakeSig"
                       : "阻塞轮询者读空 eventfd 并清除 netpollWakeSig")
                  : (E ? "a non-blocking poll sees the wakeup and leaves it for the blocking poller"
                       : "非阻塞轮询看到唤醒，留给阻塞轮询者处理");
    case Kind::lastpoll:
    case Kind::pollUntil:
      if (!all) return {};
      return fmt::format("{} = {}", e.kind == Kind::lastpoll ? "sched.lastpoll" : "sched.pollUntil",
                         e.kind == Kind::lastpoll ? a[1] : a[0]);
    case Kind::deadlineSet:
      return E ? fmt::format("SetDeadline on fd {} ({}): {} ({} timer{})", a[1], en(FieldType::Mode, a[2]),
                             a[3] < 0    ? "in the past"
                             : a[3] == 0 ? "none"
                                         : "in " + en(FieldType::Duration, a[3]),
                             en(FieldType::TimerOp, a[7]), a[4] ? ", one combined timer for both sides" : "")
               : fmt::format("fd {} 设置截止时间（{}）：{}（定时器 {}{}）", a[1], en(FieldType::Mode, a[2]),
                             a[3] < 0    ? "已过去"
                             : a[3] == 0 ? "无"
                                         : en(FieldType::Duration, a[3]) + " 后",
                             en(FieldType::TimerOp, a[7]), a[4] ? "，读写共用一个定时器" : "");
    case Kind::deadlineFire:
      if (a[3])
        return E ? fmt::format("a deadline timer for fd {} fires with stale seq {}: ignored", a[1], a[2])
                 : fmt::format("fd {} 的截止定时器以过期 seq {} 触发：忽略", a[1], a[2]);
      return E ? fmt::format("the deadline for fd {} expires: rd/wd = -1, waiters are woken with a timeout", a[1])
               : fmt::format("fd {} 的截止时间到：rd/wd = -1，以超时唤醒等待者", a[1]);
    case Kind::sys: {
      auto op = trace::enumName(FieldType::SysOp, a[0]);
      if (!all && (op == "setsockopt" || op == "bind" || op == "listen")) return {};
      if (a[3])
        return E ? fmt::format("{}(fd {}) = -1 {}", op, a[1], trace::errnoName(a[3]))
                 : fmt::format("{}(fd {}) = -1 {}", op, a[1], trace::errnoName(a[3]));
      return fmt::format("{}(fd {}) = {}", op, a[1], a[2]);
    }
    case Kind::fdmu:
      if (!all && static_cast<trace::FdMuOp>(a[1]) != trace::FdMuOp::destroy &&
          static_cast<trace::FdMuOp>(a[1]) != trace::FdMuOp::increfAndClose)
        return {};
      return E ? fmt::format("fdMutex {} on fd {} (refs {}{})", en(FieldType::FdMuOp, a[1]), a[0], a[2],
                             a[5] ? ", closed" : "")
               : fmt::format("fd {} 的 fdMutex {}（引用 {}{}）", a[0], en(FieldType::FdMuOp, a[1]), a[2],
                             a[5] ? "，已关闭" : "");
    case Kind::pdOpen:
      return E ? fmt::format("pollOpen: fd {} gets pd{} (fdseq {})", a[1], a[0], a[2])
               : fmt::format("pollOpen：fd {} 分配到 pd{}（fdseq {}）", a[1], a[0], a[2]);
    case Kind::pdFree:
      return E ? fmt::format("pollcache.free: pd{} returns to the cache, fdseq {} -> {} so late events are dropped",
                             a[0], a[2], a[3])
               : fmt::format("pollcache.free：pd{} 归还缓存，fdseq {} -> {}，迟到的事件将被丢弃", a[0], a[2], a[3]);
    case Kind::pollCtl:
      return fmt::format("epoll_ctl({}, fd {}, {}) = {}{}", en(FieldType::CtlOp, a[0]), a[1],
                         trace::epollMaskName(a[2]), a[4], a[5] ? " " + trace::errnoName(a[5]) : "");
    case Kind::pollcacheAlloc:
      if (!all) return {};
      return fmt::format("pollcache.alloc -> pd{}{}", a[0], a[2] ? " (new block)" : "");
    case Kind::user: {
      auto op = trace::enumName(FieldType::UserOp, a[0]);
      if (a[1] == 0)
        return E ? fmt::format("{} calls {}(fd {}{})", gname(t, e.g), op, a[2], a[3] ? fmt::format(", {}", a[3]) : "")
                 : fmt::format("{} 调用 {}(fd {}{})", gname(t, e.g), op, a[2], a[3] ? fmt::format(", {}", a[3]) : "");
      auto res = static_cast<trace::NetErr>(a[4]);
      std::string r = res == trace::NetErr::ok       ? "ok"
                      : res == trace::NetErr::errno_ ? trace::errnoName(a[5])
                                                     : std::string(trace::enumName(FieldType::NetErr, a[4]));
      return E ? fmt::format("{} returns from {} on fd {}: n={} err={}", gname(t, e.g), op, a[2], a[3], r)
               : fmt::format("{} 从 {} 返回（fd {}）：n={} err={}", gname(t, e.g), op, a[2], a[3], r);
    }
    case Kind::step: {
      if (a[1] != 0 || a[0] < 0 || static_cast<size_t>(a[0]) >= t.steps.size()) return {};
      const auto& st = t.steps[static_cast<size_t>(a[0])];
      const std::string& say = (!E && !st.sayZh.empty()) ? st.sayZh : st.sayEn;
      if (say.empty()) return all ? fmt::format("[{}] step {} ({})", st.goroutine, st.path, st.op) : std::string();
      return fmt::format(">> [{}] {}", st.goroutine, say);
    }
    case Kind::throw_: return fmt::format("fatal error: runtime: {}", trace::throwMessage(a[0]));
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
