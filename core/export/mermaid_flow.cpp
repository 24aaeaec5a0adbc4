// Trace -> Mermaid flowchart of the path the run's reads and writes really took
// (the original article's flowchart: user code -> poll.FD -> syscall -> pollWait ->
// gopark -> netpoll -> run again), each edge labelled with how often it was taken.
#include <fmt/format.h>

#include <map>

#include "export/export.hpp"
#include "export/selection.hpp"
#include "export/story_ops.hpp"
#include "trace/fields.hpp"

namespace pollscope::exporting {
using trace::Kind;
using trace::View;

namespace {
enum Node { user, fdLock, syscall, pollWait, gopark, ready, run, done, nodeCount };

struct FlowCounts {
  std::map<std::tuple<Node, Node, std::string>, int> edges;
  std::vector<std::tuple<Node, Node, std::string>> order;
  void add(Node a, Node b, const std::string& why) {
    auto key = std::make_tuple(a, b, why);
    if (edges[key]++ == 0) order.push_back(key);
  }
};

// Walks one Read/Write through the nodes, counting each edge it takes.
void walk(const traceio::TraceModel& t, const UserOpRun& op, FlowCounts* c, bool zh) {
  Node at = user;
  auto go = [&](Node to, const std::string& why) {
    c->add(at, to, why);
    at = to;
  };
  for (size_t i : op.events) {
    const trace::Event& e = t.events[i];
    switch (e.kind) {
      case Kind::fdmu:
        if (View<Kind::fdmu>{e}.op() == trace::FdMuOp::rwlockAcquired && at == user) go(fdLock, "");
        break;
      case Kind::sys: {
        View<Kind::sys> s{e};
        if (!e.g || (s.op() != trace::SysOp::read && s.op() != trace::SysOp::write)) break;
        go(syscall, at == run        ? (zh ? "重试" : "retry")
                    : at == pollWait ? (zh ? "已就绪" : "ready already")
                    : at == syscall  ? (zh ? "只写了一部分，继续" : "partial, go on")
                                     : "");
        if (s.err() == 11) go(pollWait, "EAGAIN");
        break;
      }
      case Kind::park:
        if (View<Kind::park>{e}.result() == trace::ParkResult::committed && at == pollWait)
          go(gopark, zh ? "挂起（IO 等待）" : "park (IO wait)");
        break;
      case Kind::sem: {
        View<Kind::sem> s{e};
        if (s.by() == trace::SemBy::unblockIo && at == gopark) go(ready, zh ? "epoll 报告就绪" : "epoll reports ready");
        if ((s.by() == trace::SemBy::unblockTimeout || s.by() == trace::SemBy::unblockClose) && at == gopark)
          go(ready,
             s.by() == trace::SemBy::unblockTimeout ? (zh ? "截止时间到" : "deadline") : (zh ? "关闭" : "close"));
        break;
      }
      case Kind::gStatus: {
        View<Kind::gStatus> g{e};
        if (g.goid() == op.g && g.to() == trace::GStatus::Grunning && at == ready) go(run, "");
        break;
      }
      case Kind::checkErr: {
        View<Kind::checkErr> k{e};
        if (k.code() != trace::PollErr::noError && (at == pollWait || at == run))
          go(done, std::string(trace::enumName(trace::FieldType::PollErr, static_cast<int64_t>(k.code()))));
        break;
      }
      case Kind::user:
        if (View<Kind::user>{e}.phase() == trace::Phase::ret && at != done) go(done, "");
        break;
      default: break;
    }
  }
}
}  // namespace

std::string mermaidFlow(const traceio::TraceModel& t, const Filter& f, std::optional<trace::Mode> mode, bool zh) {
  std::vector<size_t> idx;
  for (const trace::Event* e : select(t, f)) idx.push_back(static_cast<size_t>(e - t.events.data()));
  FlowCounts c;
  int calls = 0;
  for (const auto& op : collectUserOps(t, idx)) {
    bool read = op.op == trace::UserOp::read, write = op.op == trace::UserOp::write;
    if (!(read || write) || (mode && (*mode == trace::Mode::r) != read)) continue;
    ++calls;
    walk(t, op, &c, zh);
  }
  if (!calls) return "";
  const char* names[nodeCount][2] = {
      {"user code: conn.Read / conn.Write", "用户代码：conn.Read / conn.Write"},
      {"poll.FD.Read / Write: fdMutex lock, pd.prepare", "poll.FD.Read / Write：fdMutex 加锁，pd.prepare"},
      {"syscall read / write (non-blocking)", "系统调用 read / write（非阻塞）"},
      {"runtime_pollWait → netpollblock", "runtime_pollWait → netpollblock"},
      {"gopark: the goroutine waits", "gopark：goroutine 等待"},
      {"netpoll: netpollunblock, goready", "netpoll：netpollunblock、goready"},
      {"scheduled again: netpollblock returns", "重新调度：netpollblock 返回"},
      {"return to user code", "返回用户代码"}};
  std::string out = "flowchart TD\n";
  out += zh ? fmt::format("  %% {} 次 Read/Write 调用所走的路径\n", calls)
            : fmt::format("  %% the path {} Read/Write calls took\n", calls);
  for (int n = 0; n < nodeCount; ++n) {
    const std::string label = mermaidEscape(names[n][zh ? 1 : 0]);
    out += n == pollWait ? fmt::format("  N{}{{\"{}\"}}\n", n, label) : fmt::format("  N{}[\"{}\"]\n", n, label);
  }
  for (const auto& key : c.order) {
    const auto& [a, b, why] = key;
    int n = c.edges[key];
    std::string label = why.empty() ? fmt::format("×{}", n) : fmt::format("{} ×{}", why, n);
    out += fmt::format("  N{} -->|\"{}\"| N{}\n", static_cast<int>(a), mermaidEscape(label), static_cast<int>(b));
  }
  return out;
}

}  // namespace pollscope::exporting
