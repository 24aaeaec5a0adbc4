// Stops a run that exceeds its time limit. The engine cannot be cancelled from
// outside (a goroutine may be parked forever), so the process ends with a message.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "trace/recorder.hpp"

namespace pollscope::scenario::runner {

class Watchdog {
 public:
  Watchdog(int64_t ms, std::string name, const trace::Recorder* rec);
  ~Watchdog();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace pollscope::scenario::runner
