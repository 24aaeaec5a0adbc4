// Builds the story model (story.hpp). Sections: 1. lifelines  2. one operation,
// step by step  3. other operations in one arrow  4. the whole story
#include "export/story.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "export/story_ops.hpp"
#include "trace/fields.hpp"
#include "trace/vocabulary.hpp"

namespace pollscope::exporting {
using trace::Kind;
using trace::View;
using Type = StoryStep::Type;

const char* roleName(Role r) {
  switch (r) {
    case Role::goroutine: return "goroutine";
    case Role::net: return "net";
    case Role::pollFd: return "poll.FD";
    case Role::pollDesc: return "pollDesc";
    case Role::netpoll: return "netpoll";
    case Role::scheduler: return "scheduler";
    case Role::sysmon: return "sysmon";
    case Role::kernel: return "kernel";
  }
  return "?";
}

namespace {
// ---- 1. lifelines ------------------------------------------------------------------
const char* kNet = "NET";
const char* kFd = "FD";
const char* kPd = "PD";
const char* kNp = "NP";
const char* kSched = "SCHED";
const char* kSysmon = "SYSMON";
const char* kKernel = "K";

// netpollinit's syscalls (epoll_create1/kqueue, the wakeup's registration): the
// first pollOpen makes them, so the story draws them inside that arrow.
bool isNetpollInit(const trace::Event& e) {
  return e.site && e.site->goFunc && std::string_view(e.site->goFunc) == "runtime.netpollinit";
}

// Goroutines with the same name but a number ("client1", "client2") share one
// lifeline, as the article's single CLIENT does.
std::string stemOf(const std::string& name) {
  size_t end = name.size();
  while (end > 1 && std::isdigit(static_cast<unsigned char>(name[end - 1]))) --end;
  return name.substr(0, end);
}

std::string diagramId(const std::string& s) {
  std::string out = "G_";
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

class StoryBuilder {
 public:
  StoryBuilder(const traceio::TraceModel& t, const StoryOptions& opt) : t_(t), opt_(opt) {}

  std::string tr(const std::string& en, const std::string& zh) const { return opt_.zh ? zh : en; }

  std::string goroutine(int64_t g) {
    auto it = t_.goroutines.find(g);
    std::string name = it == t_.goroutines.end() ? "G" + std::to_string(g) : stemOf(it->second);
    std::string id = diagramId(name);
    auto& members = lifelines_[id];
    members.name = name;
    members.goids.insert(g);
    return id;
  }
  std::string gname(int64_t g) const { return "G" + std::to_string(g); }

  StoryStep step(Type type, const std::string& from, const std::string& to, std::string text, std::string generic,
                 std::vector<uint64_t> seqs) const {
    StoryStep s;
    s.type = type;
    s.from = from;
    s.to = to;
    s.text = std::move(text);
    s.generic = std::move(generic);
    s.seqs = std::move(seqs);
    return s;
  }
  uint64_t seq(size_t i) const { return t_.events[i].seq; }

  // ---- 2. one operation, step by step -------------------------------------------------
  // One operation's steps, split where it retries: the prefix (call, lock...), each
  // attempt (a syscall, and the park it led to), the suffix (unlock, return).
  struct OpSteps {
    std::string lifeline;
    trace::UserOp op;
    std::vector<StoryStep> prefix, suffix;
    std::vector<std::vector<StoryStep>> attempts;
  };

  OpSteps focusSteps(const UserOpRun& op) {
    std::vector<StoryStep> out;
    std::vector<size_t> attemptStarts;
    int64_t opFd = View<Kind::user>{t_.events[op.call]}.fd();
    std::string G = goroutine(op.g);
    std::string opName(trace::enumName(trace::FieldType::UserOp, static_cast<int64_t>(op.op)));
    bool readSide = op.op == trace::UserOp::read || op.op == trace::UserOp::accept;
    std::string rw = readSide ? "rg" : "wg";
    bool altOpen = false, parked = false, waitShown = false, setupSys = false;
    std::optional<size_t> runnableStep;
    std::vector<uint64_t> pendingPoll;  // poll entry and epoll_wait, drawn with the event they found
    std::vector<uint64_t> pendingInit;  // netpollinit's syscalls, drawn with the pollOpen that made them
    auto add = [&](Type type, const std::string& from, const std::string& to, std::string text, std::string generic,
                   std::vector<uint64_t> seqs) {
      out.push_back(step(type, from, to, std::move(text), std::move(generic), std::move(seqs)));
      if (type != Type::altBegin && type != Type::blockEnd) setupSys = false;
    };
    auto closeAlt = [&] {
      if (altOpen) out.push_back(step(Type::blockEnd, "", "", "", "", {}));
      altOpen = false;
    };
    for (size_t i : op.events) {
      const trace::Event& e = t_.events[i];
      uint64_t s = e.seq;
      switch (e.kind) {
        case Kind::user: {
          View<Kind::user> u{e};
          if (u.phase() == trace::Phase::call) {
            std::string call = callText(op.op);
            std::string size = u.n() > 0 ? fmt::format(" ({} {})", u.n(), tr("bytes", "字节")) : "";
            add(Type::message, G, kNet, call + size, call, {s});
          } else {
            closeAlt();
            auto [text, generic] = returnText(u);
            add(Type::reply, kNet, G, text, generic, {s});
          }
          break;
        }
        case Kind::fdmu: {
          if (!opt_.fdMutex) break;
          View<Kind::fdmu> m{e};
          std::string lock = m.wlock() && !m.rlock() ? "writeLock()" : "readLock()";
          if (m.op() == trace::FdMuOp::rwlockAcquired) {
            std::string t = fmt::format("pfd.{}: {}", opName, lock);
            add(Type::message, kNet, kFd, t + tr("", " 加锁"), t, {s});
          } else if (m.op() == trace::FdMuOp::rwlockWait) {
            std::string t = tr(lock + " waits for the other holder", lock + " 等待另一个持有者");
            add(Type::message, kFd, kFd, t, t, {s});
          } else if (m.op() == trace::FdMuOp::rwunlock) {
            std::string t = readSide ? "readUnlock()" : "writeUnlock()";
            if (op.op == trace::UserOp::dial || op.op == trace::UserOp::accept) t = "rwunlock()";
            add(Type::message, kFd, kFd, t + tr("", " 解锁"), t, {s});
          }
          break;  // incref/decref: reference counting, bookkeeping
        }
        case Kind::sem: semStep(View<Kind::sem>{e}, s, G, rw, &out, &altOpen, &parked, &runnableStep); break;
        case Kind::sys: {
          View<Kind::sys> c{e};
          std::string name(trace::enumName(trace::FieldType::SysOp, static_cast<int64_t>(c.op())));
          if (isNetpollInit(e)) {  // the first pollOpen (or timer) creates the poller: drawn with pollOpen
            pendingInit.push_back(s);
            break;
          }
          if (!e.g) {  // epoll_wait of the poll cycle that woke us
            pendingPoll.push_back(s);
            break;
          }
          bool setup = c.op() == trace::SysOp::socket || c.op() == trace::SysOp::bind ||
                       c.op() == trace::SysOp::listen || c.op() == trace::SysOp::setsockopt ||
                       c.op() == trace::SysOp::getsockopt || c.op() == trace::SysOp::getpeername ||
                       c.op() == trace::SysOp::getsockname;
          if (setup && setupSys && !out.empty() && c.err() == 0) {
            // socket + bind + listen: one arrow, as the article draws it
            out.back().text += " + " + name;
            out.back().generic += " + " + name;
            out.back().seqs.push_back(s);
            break;
          }
          // Options and addresses set or read once the socket is in the poller (Go's
          // TCP_NODELAY and keep-alive after accept/connect, getsockname after pollOpen)
          // are bookkeeping the article never draws; those of socket setup join its arrow.
          if (setup && c.op() != trace::SysOp::socket && c.op() != trace::SysOp::bind &&
              c.op() != trace::SysOp::listen && c.err() == 0)
            break;
          std::string result = c.err() ? "-1 " + trace::errnoName(c.err()) : std::to_string(c.ret());
          std::string text = fmt::format("{}(fd {}) = {}", name, c.fd(), result);
          std::string generic = c.err() ? fmt::format("{} = -1 {}", name, trace::errnoName(c.err())) : name;
          if (setup) text = generic = name;
          bool wouldBlock = c.err() == 11 /*EAGAIN*/ || c.err() == 115 /*EINPROGRESS*/;
          // An attempt of this call: its own syscall on its own fd (a race hook may
          // run another socket's write on this goroutine; that is drawn, not retried).
          bool data =
              (c.op() == trace::SysOp::read || c.op() == trace::SysOp::write || c.op() == trace::SysOp::accept) &&
              c.fd() == opFd;
          if (data) attemptStarts.push_back(out.size());
          if (setup)
            generic = name;
          else if (!c.err())
            generic = fmt::format("{}(fd {}) = n", name, c.fd());
          if (wouldBlock && !altOpen) {
            std::string label = c.err() == 11
                                    ? tr("EAGAIN: not ready, wait for netpoll", "EAGAIN：尚未就绪，等待 netpoll")
                                    : tr("EINPROGRESS: wait until connected", "EINPROGRESS：等待连接完成");
            if (data) attemptStarts.back() = out.size();
            add(Type::altBegin, "", "", label, label, {});
            altOpen = true;
            waitShown = false;
          }
          add(Type::message, kFd, kKernel, text, generic, {s});
          setupSys = setup && c.err() == 0;
          break;
        }
        case Kind::checkErr: {
          View<Kind::checkErr> c{e};
          if (c.code() != trace::PollErr::noError) {
            std::string err(trace::enumName(trace::FieldType::PollErr, static_cast<int64_t>(c.code())));
            add(Type::reply, kPd, kFd, tr("pollWait returns ", "pollWait 返回 ") + err, err, {s});
          } else if (altOpen && !waitShown) {
            std::string w = readSide ? "pd.waitRead()" : "pd.waitWrite()";
            add(Type::message, kFd, kPd, w + tr("", " 等待就绪"), w, {s});
            waitShown = true;
          }
          break;
        }
        case Kind::gStatus: {
          View<Kind::gStatus> g{e};
          if (g.goid() != op.g) break;
          if (g.to() == trace::GStatus::Gwaiting && g.reason() == trace::WaitReason::ioWait) {
            std::string t = fmt::format("gopark({0}): {1} = {0}", gname(op.g), rw);
            add(Type::message, kNp, kSched, t + tr(", it waits", "，进入等待"), "gopark: " + rw + " = G", {s});
            parked = true;
          } else if (parked && g.from() == trace::GStatus::Gwaiting && g.to() == trace::GStatus::Grunnable) {
            std::string t = tr(fmt::format("{} runnable", gname(op.g)), fmt::format("{} 变为可运行", gname(op.g)));
            add(Type::message, kNp, kSched, t, tr("G runnable", "G 变为可运行"), {s});
            runnableStep = out.size() - 1;
          } else if (parked && g.from() == trace::GStatus::Grunnable && g.to() == trace::GStatus::Grunning) {
            std::string t = tr(fmt::format("{} runs: netpollblock returns", gname(op.g)),
                               fmt::format("{} 恢复运行：netpollblock 返回", gname(op.g)));
            add(Type::message, kSched, kFd, t, tr("G runs: netpollblock returns", "G 恢复运行：netpollblock 返回"),
                {s});
            parked = false;
          }
          break;
        }
        case Kind::park: {
          View<Kind::park> p{e};
          if (p.result() == trace::ParkResult::committed) {
            if (!out.empty() && out.back().to == kSched) out.back().seqs.push_back(s);
            std::string w = tr("waiting for the network…", "等待网络事件……");
            out.push_back(step(Type::note, kKernel, "", w, w, {}));
          } else {
            std::string t = p.result() == trace::ParkResult::aborted
                                ? tr("park aborted: ready while pdWait", "放弃挂起：pdWait 期间已就绪")
                                : tr("no park: netpollcheckerr reports an error", "不挂起：netpollcheckerr 报错");
            add(Type::reply, kNp, kFd, t, t, {s});
            parked = false;
          }
          break;
        }
        case Kind::pollEnter: {
          View<Kind::pollEnter> p{e};
          if (p.caller() == trace::PollSite::sysmon) {
            std::string t = tr("sysmon: lastpoll is old, netpoll(0)", "sysmon：lastpoll 已过期，netpoll(0)");
            add(Type::message, kSysmon, kNp, t, t, {s});
          } else {
            pendingPoll.push_back(s);
          }
          break;
        }
        case Kind::pollEvent: {
          View<Kind::pollEvent> p{e};
          std::vector<uint64_t> seqs = pendingPoll;
          seqs.push_back(s);
          pendingPoll.clear();
          std::string mask = trace::epollMaskName(p.mask());
          add(Type::reply, kKernel, kNp, fmt::format("epoll_wait: fd {} {}", p.fd(), mask) + tr("", " 就绪"),
              "epoll_wait: " + mask, seqs);
          break;
        }
        case Kind::netpollReady:
          if (!out.empty() && out.back().from == kNp && out.back().to == kPd) out.back().seqs.push_back(s);
          break;
        case Kind::inject: {
          View<Kind::inject> in{e};
          if (!runnableStep) break;
          StoryStep& r = out[*runnableStep];
          r.seqs.push_back(s);
          std::sort(r.seqs.begin(), r.seqs.end());
          if (in.toGlobal() > 0) {
            r.text = tr(fmt::format("injectglist: {} to the global run queue", gname(op.g)),
                        fmt::format("injectglist：{} 进入全局运行队列", gname(op.g)));
            r.generic = tr("injectglist: G to the global run queue", "injectglist：G 进入全局运行队列");
          }
          break;
        }
        case Kind::pdOpen: {
          View<Kind::pdOpen> p{e};
          std::vector<uint64_t> seqs = pendingInit;
          seqs.push_back(s);
          std::string first = pendingInit.empty() ? "" : tr(" (first: netpollinit)", "（首次：netpollinit）");
          pendingInit.clear();
          add(Type::message, kFd, kNp,
              fmt::format("runtime_pollOpen(fd {}) → pd{}", p.fd(), p.pd()) + tr("", " 注册") + first,
              "runtime_pollOpen", seqs);
          break;
        }
        case Kind::pdFree: {
          View<Kind::pdFree> p{e};
          add(Type::message, kFd, kNp, fmt::format("runtime_pollClose(pd{})", p.pd()) + tr("", " 注销"),
              "runtime_pollClose", {s});
          break;
        }
        case Kind::pollCtl: {
          View<Kind::pollCtl> p{e};
          if (isNetpollInit(e)) {
            pendingInit.push_back(s);
            break;
          }
          std::string ctl(trace::enumName(trace::FieldType::CtlOp, static_cast<int64_t>(p.op())));
          add(Type::message, kNp, kKernel, fmt::format("epoll_ctl({}, fd {})", ctl, p.fd()), "epoll_ctl(" + ctl + ")",
              {s});
          break;
        }
        case Kind::deadlineSet: {
          View<Kind::deadlineSet> d{e};
          std::string t = fmt::format("runtime_pollSetDeadline(fd {}, {})", d.fd(),
                                      trace::formatValue(trace::FieldType::Duration, d.dNs()));
          add(Type::message, kFd, kNp, t, "runtime_pollSetDeadline", {s});
          break;
        }
        default: break;
      }
    }
    closeAlt();
    OpSteps r;
    r.lifeline = G;
    r.op = op.op;
    size_t cut = attemptStarts.empty() ? out.size() : attemptStarts.front();
    r.prefix.assign(out.begin(), out.begin() + static_cast<long>(cut));
    // An attempt that opened a block ends with it: starts inside it are not attempts.
    std::vector<size_t> starts;
    for (size_t st : attemptStarts)
      if (starts.empty() || st >= attemptEnd(out, starts.back())) starts.push_back(st);
    attemptStarts = starts;
    for (size_t k = 0; k < attemptStarts.size(); ++k) {
      size_t from = attemptStarts[k];
      size_t to = k + 1 < attemptStarts.size() ? attemptStarts[k + 1] : attemptEnd(out, from);
      r.attempts.emplace_back(out.begin() + static_cast<long>(from), out.begin() + static_cast<long>(to));
    }
    size_t tail = attemptStarts.empty() ? out.size() : attemptEnd(out, attemptStarts.back());
    r.suffix.assign(out.begin() + static_cast<long>(tail), out.end());
    return r;
  }

  // Where the attempt starting at `from` ends: after its syscall, or after the
  // block (the park) that syscall opened.
  static size_t attemptEnd(const std::vector<StoryStep>& out, size_t from) {
    if (out[from].type != Type::altBegin) return from + 1;
    int depth = 0;
    for (size_t i = from; i < out.size(); ++i) {
      if (out[i].type == Type::altBegin || out[i].type == Type::loopBegin) ++depth;
      if (out[i].type == Type::blockEnd && --depth == 0) return i + 1;
    }
    return out.size();
  }

  void semStep(View<Kind::sem> m, uint64_t s, const std::string& G, const std::string& rw, std::vector<StoryStep>* out,
               bool* altOpen, bool* parked, std::optional<size_t>* runnableStep) {
    (void)G;
    (void)runnableStep;
    std::string which = m.mode() == trace::Mode::w ? "wg" : "rg";
    auto state = [&](trace::SemState st, int64_t g) {
      return st == trace::SemState::G
                 ? gname(g)
                 : std::string(trace::enumName(trace::FieldType::SemState, static_cast<int64_t>(st)));
    };
    std::string move = fmt::format("{} {} → {}", which, state(m.from(), m.fromG()), state(m.to(), m.toG()));
    auto add = [&](Type type, const char* from, const char* to, std::string text, std::string generic) {
      out->push_back(step(type, from, to, std::move(text), std::move(generic), {s}));
    };
    switch (m.by()) {
      case trace::SemBy::pollReset: {
        if (!opt_.fdMutex) break;  // the prepare step is drawn with the lock, or not at all
        std::string p = which == "wg" ? "pd.prepareWrite()" : "pd.prepareRead()";
        add(Type::message, kFd, kPd, p + tr("", " 复位"), p);
        break;
      }
      case trace::SemBy::blockPrepare:
        if (!out->empty() && out->back().from == kFd && out->back().to == kPd) {
          // pd.waitRead() and the netpollblock it calls: one arrow
          StoryStep& w = out->back();
          w.seqs.push_back(s);
          w.text += ": netpollblock " + move;
          w.generic += ": netpollblock " + move;
          break;
        }
        add(Type::message, kPd, kNp, "netpollblock: " + move + tr("", "，准备挂起"), "netpollblock: " + move);
        break;
      case trace::SemBy::blockCommit:
        if (!out->empty() && out->back().to == kSched) out->back().seqs.push_back(s);
        break;
      case trace::SemBy::blockConsume: {
        std::string t = move + tr(": ready already, no park", "：已就绪，不挂起");
        add(Type::reply, kNp, kFd, t, t);
        break;
      }
      case trace::SemBy::unblockIo:
      case trace::SemBy::unblockTimeout:
      case trace::SemBy::unblockClose: {
        const char* why = m.by() == trace::SemBy::unblockIo        ? "netpollunblock"
                          : m.by() == trace::SemBy::unblockTimeout ? "netpolldeadlineimpl"
                                                                   : "pollUnblock";
        std::string generic = fmt::format("{}: {} G → pdReady", why, which);
        add(Type::message, kNp, kPd, fmt::format("{}: {}", why, move) + tr("", "，唤醒"), generic);
        break;
      }
      case trace::SemBy::blockSwap:
        // Back in netpollblock after the wake-up: part of "G runs: netpollblock returns".
        if (!out->empty() && out->back().to == kFd && out->back().from == kSched) out->back().seqs.push_back(s);
        if (*altOpen) {
          out->push_back(step(Type::blockEnd, "", "", "", "", {}));
          *altOpen = false;
        }
        break;
      default: break;
    }
    (void)rw;
    (void)parked;
  }

  std::string loopLabel(trace::UserOp op) const {
    switch (op) {
      case trace::UserOp::write: return tr("until written", "直到写完");
      case trace::UserOp::read: return tr("until data arrives", "直到数据到达");
      case trace::UserOp::accept: return tr("until a connection arrives", "直到连接到达");
      default: return tr("repeated", "重复");
    }
  }

  std::string callText(trace::UserOp op) const {
    switch (op) {
      case trace::UserOp::listen: return "net.Listen(addr)";
      case trace::UserOp::accept: return "ln.Accept()";
      case trace::UserOp::dial: return "net.Dial(addr)";
      case trace::UserOp::read: return "conn.Read(buf)";
      case trace::UserOp::write: return "conn.Write(data)";
      case trace::UserOp::close: return "conn.Close()";
      case trace::UserOp::closeWrite: return "conn.CloseWrite()";
      case trace::UserOp::setReadDeadline: return "conn.SetReadDeadline(t)";
      case trace::UserOp::setWriteDeadline: return "conn.SetWriteDeadline(t)";
      case trace::UserOp::setDeadline: return "conn.SetDeadline(t)";
      case trace::UserOp::sleep: return "time.Sleep(d)";
      case trace::UserOp::spawn: return "go f()";
      default: return std::string(trace::enumName(trace::FieldType::UserOp, static_cast<int64_t>(op)));
    }
  }

  std::pair<std::string, std::string> returnText(View<Kind::user> u) const {
    std::string err = u.result() == trace::NetErr::ok ? "nil"
                      : u.result() == trace::NetErr::errno_
                          ? trace::errnoName(u.err())
                          : std::string(trace::enumName(trace::FieldType::NetErr, static_cast<int64_t>(u.result())));
    std::string back = tr("returns ", "返回 ");
    switch (u.op()) {
      case trace::UserOp::accept:
      case trace::UserOp::dial:
      case trace::UserOp::listen:
        if (u.result() == trace::NetErr::ok)
          return {back + fmt::format("{} (fd {})", u.op() == trace::UserOp::listen ? "listener" : "conn", u.fd()),
                  back + "conn"};
        return {back + "err = " + err, back + "err = " + err};
      case trace::UserOp::read:
      case trace::UserOp::write: return {back + fmt::format("n = {}, err = {}", u.n(), err), back + "n, err = " + err};
      default: return {back + "err = " + err, back + "err = " + err};
    }
  }

  // ---- 3. other operations in one arrow --------------------------------------------------
  std::vector<StoryStep> oneArrow(const UserOpRun& op) {
    std::string G = goroutine(op.g);
    std::vector<uint64_t> seqs;
    int parks = 0;
    for (size_t i : op.events) {
      seqs.push_back(seq(i));
      if (auto p = trace::as<Kind::park>(t_.events[i]); p && p->result() == trace::ParkResult::committed) ++parks;
    }
    std::string call = callText(op.op);
    std::string result;
    if (op.ret) result = " → " + returnText(View<Kind::user>{t_.events[*op.ret]}).second;
    std::string parkNote =
        parks ? tr(fmt::format(" (parked {}×)", parks), fmt::format("（挂起 {} 次）", parks)) : tr("", "（未挂起）");
    // Whether it parked is shown but not compared: reads that sometimes parked fold into one loop.
    return {step(Type::message, G, kNet, call + result + parkNote, call + result + tr("", "（可能挂起）"), seqs)};
  }

  // ---- 4. the whole story ------------------------------------------------------------------
  bool isFocus(const UserOpRun& op) {
    if (!opt_.focus.count(op.op)) return false;
    if (opt_.focusGoroutines.empty()) return true;
    auto it = t_.goroutines.find(op.g);
    return it != t_.goroutines.end() && opt_.focusGoroutines.count(stemOf(it->second));
  }

  static bool sameShapes(const std::vector<StoryStep>& a, const std::vector<StoryStep>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i].type != b[i].type || a[i].from != b[i].from || a[i].to != b[i].to || a[i].generic != b[i].generic)
        return false;
    return true;
  }

  // The attempts of a group of calls: one loop when a call retried, the outcomes
  // the run really had as the branches of an alt.
  std::vector<StoryStep> attemptsPart(const std::vector<OpSteps>& group) {
    std::vector<std::vector<StoryStep>> all;
    bool retried = false;
    for (const auto& g : group) {
      all.insert(all.end(), g.attempts.begin(), g.attempts.end());
      retried = retried || g.attempts.size() > 1;
    }
    if (all.empty()) return {};
    if (group.size() == 1 && all.size() <= 2) {
      // Tried once, or parked once and then succeeded: the run's own order says it best.
      std::vector<StoryStep> flat;
      for (const auto& a : all) flat.insert(flat.end(), a.begin(), a.end());
      return flat;
    }
    // Each call tried at most twice (at once, or park then succeed): the calls' own
    // sequences are the branches. Otherwise the attempts are, inside a retry loop.
    bool perCall = std::all_of(group.begin(), group.end(), [](const OpSteps& g) { return g.attempts.size() <= 2; });
    if (perCall) {
      all.clear();
      for (const auto& g : group) {
        std::vector<StoryStep> callSteps;
        for (const auto& a : g.attempts) callSteps.insert(callSteps.end(), a.begin(), a.end());
        all.push_back(callSteps);
      }
      retried = false;
    }
    std::vector<std::vector<std::vector<StoryStep>>> variants;  // by shape, first seen first
    for (const auto& a : all) {
      auto it = std::find_if(variants.begin(), variants.end(), [&](const auto& v) { return sameShapes(v.front(), a); });
      if (it == variants.end())
        variants.push_back({a});
      else
        it->push_back(a);
    }
    std::vector<StoryStep> inner;
    if (variants.size() == 1) {
      inner = mergeUnits(variants.front());
    } else {
      for (size_t v = 0; v < variants.size(); ++v) {
        auto merged = mergeUnits(variants[v]);
        std::string label;
        if (merged.front().type == Type::altBegin) {  // the park it led to: its own alt becomes this branch
          label = merged.front().text;
          size_t end = attemptEnd(merged, 0) - 1;
          merged.erase(merged.begin() + static_cast<long>(end));
          merged.erase(merged.begin());
        } else {
          label = tr("ready at once", "立即完成");
        }
        label += fmt::format(" ×{}", variants[v].size());
        inner.push_back(step(v == 0 ? Type::altBegin : Type::altElse, "", "", label, label, {}));
        inner.insert(inner.end(), merged.begin(), merged.end());
      }
      inner.push_back(step(Type::blockEnd, "", "", "", "", {}));
    }
    if (!retried) return inner;
    std::string label =
        group.size() == 1
            ? fmt::format("{} ×{}", loopLabel(group.front().op), all.size())
            : tr(fmt::format("{}: {} attempts in {} calls", loopLabel(group.front().op), all.size(), group.size()),
                 fmt::format("{}：{} 次调用共 {} 次尝试", loopLabel(group.front().op), group.size(), all.size()));
    std::vector<StoryStep> out{step(Type::loopBegin, "", "", label, loopLabel(group.front().op), {})};
    out.insert(out.end(), inner.begin(), inner.end());
    out.push_back(step(Type::blockEnd, "", "", "", "", {}));
    return out;
  }

  std::vector<StoryStep> drawGroup(const std::vector<OpSteps>& group,
                                   const std::vector<std::vector<StoryStep>>& between) {
    std::vector<std::vector<StoryStep>> prefixes, suffixes;
    for (const auto& g : group) prefixes.push_back(g.prefix), suffixes.push_back(g.suffix);
    std::vector<StoryStep> out;
    if (group.size() > 1) {
      std::string call = callText(group.front().op);
      std::string label =
          tr(fmt::format("{} called ×{}", call, group.size()), fmt::format("{} 调用 ×{}", call, group.size()));
      out.push_back(step(Type::loopBegin, "", "", label, call, {}));
    }
    auto prefix = mergeUnits(prefixes);
    auto middle = attemptsPart(group);
    auto suffix = mergeUnits(suffixes);
    out.insert(out.end(), prefix.begin(), prefix.end());
    out.insert(out.end(), middle.begin(), middle.end());
    out.insert(out.end(), suffix.begin(), suffix.end());
    // What other goroutines did meanwhile, one arrow per kind of call.
    std::vector<std::vector<std::vector<StoryStep>>> kinds;
    for (const auto& b : between) {
      auto it = std::find_if(kinds.begin(), kinds.end(), [&](const auto& v) { return sameShapes(v.front(), b); });
      if (it == kinds.end())
        kinds.push_back({b});
      else
        it->push_back(b);
    }
    for (const auto& k : kinds) {
      auto merged = mergeUnits(k);
      out.insert(out.end(), merged.begin(), merged.end());
    }
    if (group.size() > 1) out.push_back(step(Type::blockEnd, "", "", "", "", {}));
    return out;
  }

  // Repeated calls fold into one loop even when some parked and some did not: units
  // are matched by their first arrow (the call), and the shapes the run had become
  // alt branches ("parked ×120" / "no park ×80").
  std::vector<StoryStep> foldCalls(const std::vector<std::vector<StoryStep>>& units) {
    auto key = [&](size_t i) {
      const StoryStep& f = units[i].front();
      return f.from + ">" + f.to + ":" + f.generic + "#" + std::to_string(static_cast<int>(f.type));
    };
    std::vector<StoryStep> out;
    const size_t n = units.size();
    for (size_t i = 0; i < n;) {
      size_t bestP = 0, bestR = 1;
      for (size_t p = 1; p <= 4 && i + 2 * p <= n; ++p) {
        size_t r = 1;
        auto same = [&](size_t a, size_t b) {
          for (size_t k = 0; k < p; ++k)
            if (key(a + k) != key(b + k)) return false;
          return true;
        };
        while (i + (r + 1) * p <= n && same(i, i + r * p)) ++r;
        if (r >= 2 && r * p > bestR * bestP) bestP = p, bestR = r;
      }
      if (!bestP) {
        out.insert(out.end(), units[i].begin(), units[i].end());
        ++i;
        continue;
      }
      std::string label = tr(fmt::format("repeated ×{}", bestR), fmt::format("重复 ×{}", bestR));
      out.push_back(step(Type::loopBegin, "", "", label, tr("repeated", "重复"), {}));
      for (size_t k = 0; k < bestP; ++k) {
        std::vector<std::vector<std::vector<StoryStep>>> variants;
        for (size_t r = 0; r < bestR; ++r) {
          const auto& u = units[i + r * bestP + k];
          auto it =
              std::find_if(variants.begin(), variants.end(), [&](const auto& v) { return sameShapes(v.front(), u); });
          if (it == variants.end())
            variants.push_back({u});
          else
            it->push_back(u);
        }
        if (variants.size() == 1) {
          auto merged = mergeUnits(variants.front());
          out.insert(out.end(), merged.begin(), merged.end());
          continue;
        }
        for (size_t v = 0; v < variants.size(); ++v) {
          bool parked = std::any_of(variants[v].front().begin(), variants[v].front().end(),
                                    [](const StoryStep& s) { return s.generic.rfind("gopark", 0) == 0; });
          std::string l =
              fmt::format("{} ×{}", parked ? tr("parked", "挂起") : tr("no park", "未挂起"), variants[v].size());
          out.push_back(step(v == 0 ? Type::altBegin : Type::altElse, "", "", l, l, {}));
          auto merged = mergeUnits(variants[v]);
          out.insert(out.end(), merged.begin(), merged.end());
        }
        out.push_back(step(Type::blockEnd, "", "", "", "", {}));
      }
      out.push_back(step(Type::blockEnd, "", "", "", "", {}));
      i += bestP * bestR;
    }
    return out;
  }

  Story build(const std::vector<size_t>& events) {
    auto ops = collectUserOps(t_, events);
    std::optional<size_t> firstFocus, lastFocus;
    for (size_t k = 0; k < ops.size(); ++k)
      if (isFocus(ops[k])) {
        if (!firstFocus) firstFocus = k;
        lastFocus = k;
      }
    // Each operation: set-up, tear-down, drawn step by step, or one arrow.
    enum class Place { skip, setup, teardown, focus, arrow };
    std::vector<Place> place(ops.size(), Place::skip);
    std::vector<uint64_t> setupSeqs, teardownSeqs;
    std::vector<std::string> setupNames, teardownNames;
    auto collapse = [&](const UserOpRun& op, std::vector<uint64_t>* seqs, std::vector<std::string>* names) {
      for (size_t i : op.events) seqs->push_back(seq(i));
      std::string n(trace::enumName(trace::FieldType::UserOp, static_cast<int64_t>(op.op)));
      if (std::find(names->begin(), names->end(), n) == names->end()) names->push_back(n);
    };
    for (size_t k = 0; k < ops.size(); ++k) {
      const auto& op = ops[k];
      if (op.op == trace::UserOp::spawn || op.op == trace::UserOp::sleep) continue;
      if (isFocus(op)) {
        place[k] = Place::focus;
      } else if (firstFocus && op.call < ops[*firstFocus].call) {
        place[k] = Place::setup;
        collapse(op, &setupSeqs, &setupNames);
      } else if (lastFocus && op.call > ops[*lastFocus].ret.value_or(ops[*lastFocus].call)) {
        place[k] = Place::teardown;
        collapse(op, &teardownSeqs, &teardownNames);
      } else {
        place[k] = Place::arrow;
      }
    }
    // Calls of the same kind by the same lifeline, one after the other (other
    // goroutines' single arrows in between), are drawn once inside a loop.
    std::vector<std::vector<StoryStep>> units;
    std::vector<bool> done(ops.size(), false);
    std::set<trace::UserOp> lastArrowOps;  // the calls the last background arrow stands for
    for (size_t k = 0; k < ops.size(); ++k) {
      if (done[k] || place[k] == Place::skip || place[k] == Place::setup || place[k] == Place::teardown) continue;
      done[k] = true;
      if (place[k] == Place::arrow) {
        // A goroutine's different background calls in a row share one arrow
        // ("net.Dial → conn; conn.Write → n"); repeated calls are left to fold.
        auto arrow = oneArrow(ops[k]);
        if (!units.empty() && units.back().size() == 1 && lastArrowOps.count(ops[k].op) == 0 &&
            units.back().front().from == arrow.front().from && units.back().front().to == kNet &&
            !lastArrowOps.empty()) {
          StoryStep& prev = units.back().front();
          prev.text += " · " + arrow.front().text;
          prev.generic += " · " + arrow.front().generic;
          prev.seqs.insert(prev.seqs.end(), arrow.front().seqs.begin(), arrow.front().seqs.end());
          std::sort(prev.seqs.begin(), prev.seqs.end());
          lastArrowOps.insert(ops[k].op);
          continue;
        }
        units.push_back(arrow);
        lastArrowOps = {ops[k].op};
        continue;
      }
      lastArrowOps.clear();
      std::vector<OpSteps> group{focusSteps(ops[k])};
      std::vector<std::vector<StoryStep>> between;
      std::vector<size_t> betweenIdx;
      for (size_t j = k + 1; j < ops.size(); ++j) {
        if (place[j] == Place::arrow) {
          betweenIdx.push_back(j);
          continue;
        }
        if (place[j] != Place::focus) continue;
        if (ops[j].op != ops[k].op) break;
        OpSteps next = focusSteps(ops[j]);
        if (next.lifeline != group.front().lifeline || !sameShapes(next.prefix, group.front().prefix) ||
            !sameShapes(next.suffix, group.front().suffix))
          break;
        group.push_back(std::move(next));
        done[j] = true;
        for (size_t b : betweenIdx) between.push_back(oneArrow(ops[b])), done[b] = true;
        betweenIdx.clear();
      }
      units.push_back(drawGroup(group, between));
    }
    Story story;
    auto joined = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
      return s;
    };
    if (!setupSeqs.empty()) {
      std::sort(setupSeqs.begin(), setupSeqs.end());
      std::string t = tr("set-up: ", "准备：") + joined(setupNames);
      story.steps.push_back(step(Type::note, "", "", t, t, setupSeqs));
    }
    auto body = foldCalls(units);
    story.steps.insert(story.steps.end(), body.begin(), body.end());
    if (!teardownSeqs.empty()) {
      std::sort(teardownSeqs.begin(), teardownSeqs.end());
      std::string t = tr("tear-down: ", "收尾：") + joined(teardownNames);
      story.steps.push_back(step(Type::note, "", "", t, t, teardownSeqs));
    }
    story.participants = participants(story.steps);
    return story;
  }

  std::vector<StoryParticipant> participants(const std::vector<StoryStep>& steps) const {
    std::set<std::string> used;
    for (const auto& s : steps) {
      if (!s.from.empty()) used.insert(s.from);
      if (!s.to.empty()) used.insert(s.to);
    }
    std::vector<StoryParticipant> out;
    std::vector<std::pair<int64_t, std::string>> gs;
    for (const auto& [id, l] : lifelines_)
      if (used.count(id)) gs.push_back({*l.goids.begin(), id});
    std::sort(gs.begin(), gs.end());
    for (const auto& [first, id] : gs) {
      const auto& l = lifelines_.at(id);
      std::string ids;
      for (int64_t g : l.goids) ids += (ids.empty() ? "" : ", ") + gname(g);
      out.push_back(
          {id, tr(fmt::format("{} ({})", l.name, ids), fmt::format("{}（{}）", l.name, ids)), Role::goroutine});
    }
    const std::tuple<const char*, const char*, const char*, Role> fixed[] = {
        {kNet, "net (Conn / Listener)", "net 包（Conn / Listener）", Role::net},
        {kFd, "internal/poll.FD + fdMutex", "internal/poll.FD 与 fdMutex", Role::pollFd},
        {kPd, "pollDesc (rg / wg)", "pollDesc（rg / wg 信号量）", Role::pollDesc},
        {kNp, "runtime netpoll", "运行时 netpoll", Role::netpoll},
        {kSched, "scheduler", "调度器", Role::scheduler},
        {kSysmon, "sysmon", "sysmon 监控线程", Role::sysmon},
        {kKernel, "kernel (epoll, sockets)", "内核（epoll、套接字）", Role::kernel}};
    for (const auto& [id, en, zh, role] : fixed)
      if (used.count(id)) out.push_back({id, tr(en, zh), role});
    return out;
  }

 private:
  struct Lifeline {
    std::string name;
    std::set<int64_t> goids;
  };
  const traceio::TraceModel& t_;
  const StoryOptions& opt_;
  std::map<std::string, Lifeline> lifelines_;
};
}  // namespace

Story buildStory(const traceio::TraceModel& t, const std::vector<size_t>& events, const StoryOptions& opt) {
  StoryBuilder b(t, opt);
  return b.build(events);
}

}  // namespace pollscope::exporting
