// Op handlers about time: sleep, spin, and the three deadline setters.
#include <chrono>
#include <functional>

#include "runtime/runtime.hpp"
#include "scenario/ops/ops.hpp"

namespace pollscope::scenario::runner {

bool opSleep(StepRunner&, const Step& s, OpOutcome&) {
  rt::sleep(s.ms * 1'000'000);
  return true;
}

bool opSpin(StepRunner& r, const Step& s, OpOutcome&) {
  // Burn CPU without parking: this goroutine keeps its P (no preemption here).
  // With `until`, the loop ends as soon as what the scenario waits for is true
  // (`ms` is then the longest it spins), so the story's timing holds however
  // slow the machine; it only reads the engine's state, never changes it.
  std::function<bool()> done;
  if (s.spinUntil == "poller_asleep") {
    rt::Engine* e = rt::currentEngine();
    done = [e] { return rt::pollerAsleep(*e); };
  } else if (s.spinUntil == "readied") {
    auto c = r.conn(s.target);
    netpoll::PollDesc* pd = c ? c->pollFD().pd() : nullptr;
    if (!pd) return r.notA(s, s.target, "connection");
    const auto& sem = s.mode == 'w' ? pd->wg : pd->rg;
    done = [&sem] { return sem.load() <= netpoll::pdWait; };  // no G parked there any more
  }
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(s.ms);
  while (std::chrono::steady_clock::now() < until)
    if (done && done()) break;
  return true;
}

namespace {
poll::Error setDeadlineOf(net::Conn& c, Mode mode, std::optional<int64_t> d) {
  return mode == Mode::r ? c.setReadDeadline(d) : mode == Mode::w ? c.setWriteDeadline(d) : c.setDeadline(d);
}
}  // namespace

bool opSetDeadline(StepRunner& r, const Step& s, OpOutcome& out) {
  auto c = r.needConn(s, s.target);
  if (!c) return false;
  World& w = r.world();
  Mode mode = s.op == Op::setReadDeadline ? Mode::r : s.op == Op::setWriteDeadline ? Mode::w : Mode::rw;
  std::shared_ptr<MoveArm> arm;
  if (s.moveAfterFireMs) {  // armed before the deadline exists, so its timer cannot fire unseen
    arm = std::make_shared<MoveArm>();
    arm->pd = c->pollFD().pd();
    arm->mode = mode;
    std::lock_guard lk(w.hookMu);
    w.deadlineMoves[arm->pd] = arm;
  }
  std::optional<int64_t> d;
  if (!s.clearDeadline) d = s.ms * 1'000'000;
  out.err = setDeadlineOf(*c, mode, d);
  if (!arm) return true;
  if (out.err) {  // no timer to wait for
    std::lock_guard lk(w.hookMu);
    w.deadlineMoves.erase(arm->pd);
    return true;
  }
  // move_after_fire: this goroutine parks until the deadline's timer has fired and
  // readied the reader; the timer's M then readies it (runnext, ahead of the
  // reader), and it calls SetDeadline again on its own G, M and P while the woken
  // reader waits before its re-check (world.cpp). Marked as arranged.
  arm->fire->wait();
  if (arm->state.load() != MoveArm::fired) return true;  // the story failed meanwhile
  w.mark(trace::HookName::moveAfterFire, trace::HookPhase::hold, arm->pd);
  out.err = setDeadlineOf(*c, mode, *s.moveAfterFireMs * 1'000'000);
  w.mark(trace::HookName::moveAfterFire, trace::HookPhase::release, arm->pd);
  arm->state.store(MoveArm::moved);
  return true;
}

}  // namespace pollscope::scenario::runner
