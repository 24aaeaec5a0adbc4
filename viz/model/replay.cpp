#include "model/replay.hpp"

#include "trace/vocabulary.hpp"

namespace pollscope::viz {
using trace::Kind;

Replay::Replay(const traceio::TraceModel& t, size_t snapshotEvery) : t_(t), every_(snapshotEvery ? snapshotEvery : 1) {
  // One pass builds the snapshots, so any seek costs at most `every_` applications.
  WorldState w;
  snapshots_.push_back(w);
  for (size_t i = 0; i < t_.events.size(); ++i) {
    apply(w, t_.events[i], i);
    if ((i + 1) % every_ == 0) snapshots_.push_back(w);
  }
}

void Replay::apply(WorldState& w, const trace::Event& e, size_t index) {
  const int64_t* a = e.a;
  switch (e.kind) {
    case Kind::gCreate: w.gstatus[a[0]] = trace::GStatus::Gidle; break;
    case Kind::gStatus: w.gstatus[a[0]] = static_cast<trace::GStatus>(a[2]); break;
    case Kind::pdOpen:
      w.pdFd[a[0]] = a[1];
      w.sems[{a[0], 'r'}] = {trace::SemState::pdNil, 0, index};
      w.sems[{a[0], 'w'}] = {trace::SemState::pdNil, 0, index};
      break;
    case Kind::sem: w.sems[{a[0], static_cast<char>(a[2])}] = {static_cast<trace::SemState>(a[4]), a[7], index}; break;
    case Kind::waiters: w.waiters = a[1]; break;
    default: break;
  }
}

bool Replay::touches(const trace::Event& e, const Follow& f) {
  const auto& spec = trace::kindSpec(e.kind);
  if (f.pd) {
    int i = spec.fieldIndex("pd");
    if (i >= 0 && e.a[i] == *f.pd) return true;
  }
  if (f.goroutine) {
    if (e.g == *f.goroutine) return true;
    for (int i = 0; i < spec.fieldCount(); ++i)
      if (spec.fields[i].type == trace::FieldType::G && e.a[i] == *f.goroutine) return true;
  }
  return false;
}

void Replay::seek(size_t n) {
  n = std::min(n, size());
  if (n >= cursor_ && n - cursor_ <= every_) {
    for (; cursor_ < n; ++cursor_) apply(state_, t_.events[cursor_], cursor_);
    return;
  }
  size_t k = n / every_;
  state_ = snapshots_[k];
  for (cursor_ = k * every_; cursor_ < n; ++cursor_) apply(state_, t_.events[cursor_], cursor_);
}

bool Replay::stepForward() {
  if (cursor_ >= size()) return false;
  seek(cursor_ + 1);
  return true;
}

bool Replay::stepBack() {
  if (cursor_ == 0) return false;
  seek(cursor_ - 1);
  return true;
}

std::optional<size_t> Replay::nextChange(const Follow& f) const {
  for (size_t i = cursor_; i < size(); ++i)
    if (touches(t_.events[i], f)) return i + 1;
  return std::nullopt;
}

std::optional<size_t> Replay::prevChange(const Follow& f) const {
  // The cursor showing the previous touching event (strictly before the current one).
  for (size_t i = cursor_ >= 1 ? cursor_ - 1 : 0; i-- > 0;)
    if (touches(t_.events[i], f)) return i + 1;
  return std::nullopt;
}

}  // namespace pollscope::viz
