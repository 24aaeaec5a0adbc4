// A scenario running live on the engine's own threads while the viewer watches.
// The viewer copies what has been recorded so far into its trace model each
// frame; with the step gate paused, the engine stops after every recorded event
// and the viewer releases it one event at a time. No GL here.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "scenario/scenario.hpp"
#include "trace/step_gate.hpp"

namespace pollscope::viz {

class LiveRun {
 public:
  // Starts the run at once; paused: the engine stops after its first event.
  LiveRun(scenario::Scenario s, bool paused);
  // Lets the engine run freely and waits for the scenario to end, at most
  // `kEndWait`: a run that never ends (a goroutine parked on a socket no one
  // writes) is left running on its own (it owns its state) rather than hang the window.
  ~LiveRun();
  static constexpr std::chrono::milliseconds kEndWait{3000};
  LiveRun(const LiveRun&) = delete;
  LiveRun& operator=(const LiveRun&) = delete;

  // A trace model for what the run will record: header and step table now, no events yet.
  std::unique_ptr<traceio::TraceModel> startModel() const;
  // Appends the events published since the last call, in seq order and without
  // gaps (an event whose seq was taken but not yet published waits for the next
  // call). Names goroutines as their first scenario step says. True if it grew.
  bool refresh(traceio::TraceModel& t);

  trace::StepGate& gate() { return st_->gate; }
  uint64_t recorded() const { return st_->rec.recorded(); }  // events recorded so far (some maybe not yet copied)
  bool finished() const { return st_->finished.load(std::memory_order_acquire); }
  // The whole run's result (real goroutine names, the scenario's checks); only once finished().
  scenario::RunResult& result() { return st_->result; }
  const scenario::Scenario& scenario() const { return st_->s; }

 private:
  // Shared with the run's thread, which keeps it alive if the run outlives this object.
  struct State {
    scenario::Scenario s;
    trace::Recorder rec;
    trace::StepGate gate;
    scenario::RunResult result;
    std::atomic<bool> finished{false};
  };
  std::shared_ptr<State> st_;
  uint64_t copied_ = 0;
  std::thread thread_;
};

}  // namespace pollscope::viz
