#include "trace/step_gate.hpp"

namespace pollscope::trace {

void StepGate::pass(uint64_t seq) {
  std::unique_lock lk(mu_);
  if (!paused_) return;
  waiting_.insert(seq);
  cv_.notify_all();  // waiting() changed: a viewer may wait for the engine to settle
  cv_.wait(lk, [&] { return !paused_ || released_.count(seq); });
  waiting_.erase(seq);
  released_.erase(seq);
}

void StepGate::pause() {
  std::lock_guard lk(mu_);
  paused_ = true;
}

void StepGate::resume() {
  {
    std::lock_guard lk(mu_);
    paused_ = false;
    released_.clear();
  }
  cv_.notify_all();
}

bool StepGate::step() {
  std::lock_guard lk(mu_);
  for (uint64_t seq : waiting_)
    if (!released_.count(seq)) {
      released_.insert(seq);
      cv_.notify_all();
      return true;
    }
  return false;
}

bool StepGate::paused() const {
  std::lock_guard lk(mu_);
  return paused_;
}

size_t StepGate::waiting() const {
  std::lock_guard lk(mu_);
  return waiting_.size() - released_.size();
}

}  // namespace pollscope::trace
