// Stops a run that exceeds its time limit. The engine cannot be cancelled from
// outside (a goroutine may be parked forever), so the watchdog first asks the run
// to end (`interrupt`: every socket is shut down, and the first goroutine to
// notice fails the run), and only if that does not end it within a grace period
// hands over the trace so far (`stuck`) and ends the process with status 3.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "trace/recorder.hpp"

namespace pollscope::scenario::runner {

class Watchdog {
 public:
  static constexpr int64_t kGraceMs = 2000;

  Watchdog(int64_t ms, std::string name, const trace::Recorder* rec, std::function<void(const std::string&)> interrupt,
           std::function<void(const std::string&)> stuck);
  ~Watchdog();
  bool fired() const { return fired_.load(); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::atomic<bool> fired_{false};
  std::thread thread_;
};

}  // namespace pollscope::scenario::runner
