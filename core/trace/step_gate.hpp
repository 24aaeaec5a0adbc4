// The step gate: lets a viewer single-step the real runtime. When paused, every
// thread that records an event waits right after publishing it until the viewer
// releases it, so one step shows exactly one new event. The kernel goes on (a
// paused run still has its sockets, timers and deadlines in real time); only the
// engine's threads stop, each at a recorded point.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>

namespace pollscope::trace {

class StepGate {
 public:
  // Called by the recording thread after event `seq` is published.
  void pass(uint64_t seq);

  void pause();   // from now on each event waits after it is recorded
  void resume();  // everything runs freely (and every waiter goes on)
  // Releases the thread that waits after the oldest event; false if none waits
  // (the engine is between events and will stop at its next one).
  bool step();

  bool paused() const;
  size_t waiting() const;  // threads stopped at the gate now

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool paused_ = false;
  std::set<uint64_t> waiting_;   // seqs of the events whose threads wait
  std::set<uint64_t> released_;  // waiters told to go on
};

}  // namespace pollscope::trace
