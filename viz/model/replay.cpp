#include "model/replay.hpp"

#include <algorithm>

#include "trace/fields.hpp"

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
    auto idx = static_cast<uint32_t>(i);
    if (auto pd = trace::fieldValue(e, "pd")) pdEvents_[*pd].push_back(idx);
    auto addG = [&](int64_t g) {
      auto& v = gEvents_[g];
      if (v.empty() || v.back() != idx) v.push_back(idx);
    };
    addG(e.g);
    for (trace::FieldValue f : trace::fieldsOf(e))
      if (f.spec.type == trace::FieldType::G) addG(f.raw);
  }
}

void Replay::apply(WorldState& w, const trace::Event& e, size_t index) {
  switch (e.kind) {
    case Kind::gCreate: w.gstatus[trace::View<Kind::gCreate>(e).goid()] = trace::GStatus::Gidle; break;
    case Kind::gStatus: {
      const trace::View<Kind::gStatus> g{e};
      w.gstatus[g.goid()] = g.to();
      break;
    }
    case Kind::pdOpen: {
      const trace::View<Kind::pdOpen> o{e};
      w.pdFd[o.pd()] = o.fd();
      w.sems[{o.pd(), 'r'}] = {trace::SemState::pdNil, 0, index};
      w.sems[{o.pd(), 'w'}] = {trace::SemState::pdNil, 0, index};
      break;
    }
    case Kind::sem: {
      const trace::View<Kind::sem> s{e};
      w.sems[{s.pd(), static_cast<char>(s.mode())}] = {s.to(), s.toG(), index};
      break;
    }
    case Kind::waiters: w.waiters = trace::View<Kind::waiters>(e).value(); break;
    default: break;
  }
}

bool Replay::touches(const trace::Event& e, const Follow& f) {
  if (f.pd && trace::fieldValue(e, "pd") == *f.pd) return true;
  if (f.goroutine) {
    if (e.g == *f.goroutine) return true;
    for (trace::FieldValue v : trace::fieldsOf(e))
      if (v.spec.type == trace::FieldType::G && v.raw == *f.goroutine) return true;
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
