#include "model/replay.hpp"

#include <algorithm>

#include "trace/vocabulary.hpp"

namespace pollscope::viz {
using trace::Kind;

Replay::Replay(const traceio::TraceModel& t, size_t snapshotEvery) : t_(t), every_(snapshotEvery ? snapshotEvery : 1) {
  // One pass builds the snapshots, so any seek costs at most `every_` applications.
  WorldState w;
  snapshots_.push_back(w);
  // The same pass indexes which events touch each pollDesc and goroutine, so
  // "next change" is a binary search, not a walk over a million events.
  for (size_t i = 0; i < t_.events.size(); ++i) {
    const trace::Event& e = t_.events[i];
    apply(w, e, i);
    if ((i + 1) % every_ == 0) snapshots_.push_back(w);
    const auto& spec = trace::kindSpec(e.kind);
    auto idx = static_cast<uint32_t>(i);
    if (int p = spec.fieldIndex("pd"); p >= 0) pdEvents_[e.a[p]].push_back(idx);
    auto addG = [&](int64_t g) {
      auto& v = gEvents_[g];
      if (v.empty() || v.back() != idx) v.push_back(idx);
    };
    addG(e.g);
    for (int f = 0; f < spec.fieldCount(); ++f)
      if (spec.fields[f].type == trace::FieldType::G) addG(e.a[f]);
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

namespace {
// The first indexed event at or after `from`, as a cursor that shows it.
std::optional<size_t> firstFrom(const std::vector<uint32_t>* v, size_t from) {
  if (!v) return std::nullopt;
  auto it = std::lower_bound(v->begin(), v->end(), from);
  if (it == v->end()) return std::nullopt;
  return static_cast<size_t>(*it) + 1;
}
// The last indexed event before `before`, as a cursor that shows it.
std::optional<size_t> lastBefore(const std::vector<uint32_t>* v, size_t before) {
  if (!v) return std::nullopt;
  auto it = std::lower_bound(v->begin(), v->end(), before);
  if (it == v->begin()) return std::nullopt;
  return static_cast<size_t>(*std::prev(it)) + 1;
}
const std::vector<uint32_t>* find(const std::unordered_map<int64_t, std::vector<uint32_t>>& m,
                                  std::optional<int64_t> k) {
  if (!k) return nullptr;
  auto it = m.find(*k);
  return it == m.end() ? nullptr : &it->second;
}
std::optional<size_t> earliest(std::optional<size_t> a, std::optional<size_t> b) {
  if (a && b) return std::min(*a, *b);
  return a ? a : b;
}
std::optional<size_t> latest(std::optional<size_t> a, std::optional<size_t> b) {
  if (a && b) return std::max(*a, *b);
  return a ? a : b;
}
}  // namespace

std::optional<size_t> Replay::nextChange(const Follow& f) const {
  return earliest(firstFrom(find(pdEvents_, f.pd), cursor_), firstFrom(find(gEvents_, f.goroutine), cursor_));
}

std::optional<size_t> Replay::prevChange(const Follow& f) const {
  // The cursor showing the previous touching event (strictly before the current one).
  size_t before = cursor_ >= 1 ? cursor_ - 1 : 0;
  return latest(lastBefore(find(pdEvents_, f.pd), before), lastBefore(find(gEvents_, f.goroutine), before));
}

}  // namespace pollscope::viz
