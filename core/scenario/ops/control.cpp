// Op handlers that shape the story: go, loop, and waiting for other goroutines
// (wait_parked, wait_step, wait_events).
#include "runtime/runtime.hpp"
#include "scenario/ops/ops.hpp"

namespace pollscope::scenario::runner {

bool opGo(StepRunner& r, const Step& s, OpOutcome&) {
  StepRunner::Captured cap;
  for (const auto& name : s.capture) cap[name] = r.conn(name);
  r.world().wgAdd(1);
  World* w = &r.world();
  const Step* st = &s;
  rt::go(
      [w, st, cap = std::move(cap)] {
        StepRunner(*w, st->goroutineName, cap, /*handler=*/w->serving).runAll(st->body);
        w->wgDone();
      },
      s.goroutineName);
  return true;
}

bool opLoop(StepRunner& r, const Step& s, OpOutcome&) {
  for (int64_t i = 0; s.forever || i < s.times; ++i)
    if (!r.runAll(s.body)) return false;
  return true;
}

bool opWaitParked(StepRunner& r, const Step& s, OpOutcome&) {
  auto c = r.conn(s.target);
  netpoll::PollDesc* pd = c ? c->pollFD().pd() : nullptr;
  if (!pd) {
    auto ln = r.world().listener(s.target);
    pd = ln ? ln->pollFD().pd() : nullptr;
  }
  if (!pd) return r.notA(s, s.target, "connection or listener");
  auto latch = std::make_shared<Latch>();
  {
    std::lock_guard lk(r.world().hookMu);
    uintptr_t v = (s.mode == 'w' ? pd->wg : pd->rg).load();
    if (v > netpoll::pdWait)
      latch->fire();  // already parked
    else
      r.world().parkWatches.push_back({pd, s.mode, latch});
  }
  latch->wait();
  return true;
}

bool opWaitStep(StepRunner& r, const Step& s, OpOutcome&) {
  r.world().label(s.target)->wait();
  return true;
}

bool opWaitEvents(StepRunner& r, const Step& s, OpOutcome&) {
  World& w = r.world();
  while (w.rec->recorded() < static_cast<uint64_t>(s.count) && !w.aborted.load()) rt::sleep(1'000'000);
  return true;
}

}  // namespace pollscope::scenario::runner
