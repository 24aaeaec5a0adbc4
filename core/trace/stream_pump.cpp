#include "trace/stream_pump.hpp"

#include <chrono>

namespace pollscope::trace {

StreamPump::StreamPump(Recorder& rec, EventSink& sink, int periodMs) : rec_(rec), sink_(sink) {
  thread_ = std::thread([this, periodMs] { loop(periodMs); });
}

StreamPump::~StreamPump() {
  finish();
}

void StreamPump::loop(int periodMs) {
  std::unique_lock lk(mu_);
  while (!stop_) {
    lk.unlock();
    rec_.drain(&sink_);
    lk.lock();
    cv_.wait_for(lk, std::chrono::milliseconds(periodMs), [this] { return stop_; });
  }
}

void StreamPump::finish() {
  std::lock_guard once(finishMu_);  // a second caller waits for the first to be done
  if (finished_) return;
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  rec_.drain(&sink_);
  finished_ = true;
}

}  // namespace pollscope::trace
