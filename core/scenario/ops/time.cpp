// Op handlers about time: sleep, spin, and the three deadline setters.
#include <chrono>

#include "runtime/runtime.hpp"
#include "scenario/ops/ops.hpp"

namespace pollscope::scenario::runner {

bool opSleep(StepRunner&, const Step& s, OpOutcome&) {
  rt::sleep(s.ms * 1'000'000);
  return true;
}

bool opSpin(StepRunner&, const Step& s, OpOutcome&) {
  // Burn CPU without parking: this goroutine keeps its P (no preemption here).
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(s.ms);
  while (std::chrono::steady_clock::now() < until) {
  }
  return true;
}

bool opSetDeadline(StepRunner& r, const Step& s, OpOutcome& out) {
  auto c = r.needConn(s, s.target);
  if (!c) return false;
  Mode mode = s.op == Op::setReadDeadline ? Mode::r : s.op == Op::setWriteDeadline ? Mode::w : Mode::rw;
  if (s.moveAfterFireMs) {
    std::lock_guard lk(r.world().hookMu);
    r.world().deadlineMoves[c->pollFD().pd()] = {mode, *s.moveAfterFireMs * 1'000'000};
  }
  std::optional<int64_t> d;
  if (!s.clearDeadline) d = s.ms * 1'000'000;
  out.err = mode == Mode::r ? c->setReadDeadline(d) : mode == Mode::w ? c->setWriteDeadline(d) : c->setDeadline(d);
  return true;
}

}  // namespace pollscope::scenario::runner
