#include "analysis/phase.hpp"

#include "trace/fields.hpp"

namespace pollscope::analysis {
using trace::Kind;

const char* phaseName(Phase p, bool chinese) {
  static const char* en[] = {"user code",    "poll.FD", "pollWait",   "netpollblock", "gopark", "schedule",
                             "findRunnable", "netpoll", "epoll_wait", "netpollready", "inject", "run"};
  static const char* zh[] = {"用户代码",     "poll.FD", "pollWait",   "netpollblock", "gopark", "调度",
                             "findRunnable", "netpoll", "epoll_wait", "netpollready", "注入",   "运行"};
  int i = static_cast<int>(p);
  if (i < 0 || i >= kPhaseCount) return "?";
  return chinese ? zh[i] : en[i];
}

std::optional<Phase> phaseOf(const trace::Event& e) {
  switch (e.kind) {
    case Kind::user:
    case Kind::step: return Phase::userCode;
    case Kind::fdmu: return Phase::pollFD;
    case Kind::sys: {
      auto op = trace::View<Kind::sys>(e).op();
      if (op == trace::SysOp::epoll_pwait || op == trace::SysOp::epoll_wait || op == trace::SysOp::kevent)
        return Phase::epollWait;
      if (op == trace::SysOp::read || op == trace::SysOp::write || op == trace::SysOp::accept ||
          op == trace::SysOp::accept_plain || op == trace::SysOp::connect)
        return Phase::pollFD;  // internal/poll's loop: try the syscall, EAGAIN means wait
      return std::nullopt;
    }
    case Kind::checkErr: return Phase::pollWait;
    case Kind::sem:
      switch (trace::View<Kind::sem>(e).by()) {
        case trace::SemBy::pollReset: return Phase::pollFD;
        case trace::SemBy::blockPrepare:
        case trace::SemBy::blockConsume:
        case trace::SemBy::blockSwap: return Phase::netpollblock;
        case trace::SemBy::blockCommit: return Phase::gopark;  // the commit runs inside park_m
        case trace::SemBy::unblockIo: return Phase::netpollready;
        default: return std::nullopt;
      }
    case Kind::park: return Phase::schedule;  // park_m is done: the M goes on to schedule()
    case Kind::gStatus: {
      auto to = trace::View<Kind::gStatus>(e).to();
      if (to == trace::GStatus::Gwaiting) return Phase::gopark;
      if (to == trace::GStatus::Grunning) return Phase::run;
      if (to == trace::GStatus::Grunnable) return Phase::inject;
      return std::nullopt;
    }
    case Kind::lastpoll:
    case Kind::pollUntil:
    case Kind::netpollBreak: return Phase::findRunnable;
    case Kind::pollEnter:
    case Kind::pollExit:
    case Kind::breakConsume:
    case Kind::waiters: return Phase::netpoll;
    case Kind::pollEvent: return Phase::epollWait;
    case Kind::netpollReady: return Phase::netpollready;
    case Kind::inject:
    case Kind::ready: return Phase::inject;
    default: return std::nullopt;
  }
}

}  // namespace pollscope::analysis
