// A scenario running live on the engine's own threads while the viewer watches.
// The viewer copies what has been recorded so far into its trace model each
// frame; with the step gate paused, the engine stops after every recorded event
// and the viewer releases it one event at a time. No GL here.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "scenario/scenario.hpp"
#include "trace/step_gate.hpp"

namespace pollscope::viz {

class LiveRun {
 public:
  // Starts the run at once; paused: the engine stops after its first event.
  LiveRun(scenario::Scenario s, bool paused);
  ~LiveRun();  // lets the engine run freely and waits for the scenario to end
  LiveRun(const LiveRun&) = delete;
  LiveRun& operator=(const LiveRun&) = delete;

  // A trace model for what the run will record: header and step table now, no events yet.
  std::unique_ptr<traceio::TraceModel> startModel() const;
  // Appends the events published since the last call, in seq order and without
  // gaps (an event whose seq was taken but not yet published waits for the next
  // call). Names goroutines as their first scenario step says. True if it grew.
  bool refresh(traceio::TraceModel& t);

  trace::StepGate& gate() { return gate_; }
  uint64_t recorded() const { return rec_.recorded(); }  // events recorded so far (some maybe not yet copied)
  bool finished() const { return finished_.load(std::memory_order_acquire); }
  // The whole run's result (real goroutine names, the scenario's checks); only once finished().
  scenario::RunResult& result() { return result_; }
  const scenario::Scenario& scenario() const { return s_; }

 private:
  scenario::Scenario s_;
  trace::Recorder rec_;
  trace::StepGate gate_;
  scenario::RunResult result_;
  std::atomic<bool> finished_{false};
  uint64_t copied_ = 0;
  std::thread thread_;
};

}  // namespace pollscope::viz
