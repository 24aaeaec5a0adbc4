// Groups trace events into user operations (see story_ops.hpp).
#include "export/story_ops.hpp"

#include <algorithm>
#include <map>

#include "trace/fields.hpp"

namespace pollscope::exporting {
using trace::Kind;
using trace::View;

namespace {
// The netpoll cycle in progress on the scheduler side: its entry, its epoll_wait,
// the ready event per pollDesc, and the operations it woke (for injectglist).
struct PollCycle {
  std::optional<size_t> enter, wait;
  std::map<int64_t, size_t> readyByPd;
  std::vector<size_t> woken;  // indices into the op list
};
}  // namespace

std::vector<UserOpRun> collectUserOps(const traceio::TraceModel& t, const std::vector<size_t>& events) {
  std::vector<UserOpRun> ops;
  std::map<int64_t, size_t> open;  // goroutine -> its operation in progress
  PollCycle cycle;
  int64_t lastParking = 0;
  auto opOf = [&](int64_t g) -> UserOpRun* {
    auto it = open.find(g);
    return it == open.end() ? nullptr : &ops[it->second];
  };
  auto attach = [&](int64_t g, size_t i) {
    if (UserOpRun* op = opOf(g)) op->events.push_back(i);
  };
  for (size_t i : events) {
    const trace::Event& e = t.events[i];
    if (auto u = trace::as<Kind::user>(e)) {
      if (u->op() == trace::UserOp::done) continue;
      if (u->phase() == trace::Phase::call) {
        open[e.g] = ops.size();
        ops.push_back({e.g, u->op(), i, std::nullopt, {i}});
      } else if (UserOpRun* op = opOf(e.g); op && op->op == u->op()) {
        op->events.push_back(i);
        op->ret = i;
        open.erase(e.g);
      }
      continue;
    }
    switch (e.kind) {
      case Kind::step:
      case Kind::gCreate: continue;
      case Kind::gStatus: {
        View<Kind::gStatus> s{e};
        if (s.to() == trace::GStatus::Gwaiting) lastParking = s.goid();
        attach(s.goid(), i);  // by the goroutine it is about, whoever recorded it
        continue;
      }
      case Kind::pollEnter: cycle = {}, cycle.enter = i; continue;
      case Kind::pollEvent:
        if (View<Kind::pollEvent>{e}.action() == trace::PollAction::ready)
          cycle.readyByPd[View<Kind::pollEvent>{e}.pd()] = i;
        continue;
      case Kind::park:
        if (!e.g)
          attach(lastParking, i);
        else
          attach(e.g, i);
        continue;
      case Kind::sem: {
        View<Kind::sem> s{e};
        if (s.by() == trace::SemBy::blockCommit) {
          attach(s.toG(), i);
          continue;
        }
        bool wakes = s.from() == trace::SemState::G &&
                     (s.by() == trace::SemBy::unblockIo || s.by() == trace::SemBy::unblockTimeout ||
                      s.by() == trace::SemBy::unblockClose);
        if (wakes && opOf(s.fromG())) {
          UserOpRun* op = opOf(s.fromG());
          // The poll cycle that found the fd ready belongs to the story of this wake-up.
          if (s.by() == trace::SemBy::unblockIo) {
            if (cycle.enter) op->events.push_back(*cycle.enter);
            if (cycle.wait) op->events.push_back(*cycle.wait);
            if (auto it = cycle.readyByPd.find(s.pd()); it != cycle.readyByPd.end()) op->events.push_back(it->second);
          }
          op->events.push_back(i);
          cycle.woken.push_back(open[s.fromG()]);
          continue;
        }
        if (e.g) attach(e.g, i);
        continue;
      }
      case Kind::netpollReady: {
        View<Kind::netpollReady> r{e};
        if (r.rgG()) attach(r.rgG(), i);
        if (r.wgG() && r.wgG() != r.rgG()) attach(r.wgG(), i);
        continue;
      }
      case Kind::inject:
        for (size_t k : cycle.woken) ops[k].events.push_back(i);
        continue;
      case Kind::sys:
        if (auto op = View<Kind::sys>{e}.op();
            !e.g && (op == trace::SysOp::epoll_pwait || op == trace::SysOp::epoll_wait || op == trace::SysOp::kevent)) {
          cycle.wait = i;
          continue;
        }
        break;
      default: break;
    }
    if (e.g) attach(e.g, i);
  }
  for (auto& op : ops) {
    std::sort(op.events.begin(), op.events.end());
    op.events.erase(std::unique(op.events.begin(), op.events.end()), op.events.end());
  }
  return ops;
}

}  // namespace pollscope::exporting
