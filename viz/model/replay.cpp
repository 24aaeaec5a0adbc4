#include "model/replay.hpp"

#include <algorithm>

#include "trace/fields.hpp"

namespace pollscope::viz {
using trace::Kind;

Replay::Replay(const traceio::TraceModel& t, size_t snapshotEvery) : t_(t), every_(snapshotEvery ? snapshotEvery : 1) {
  // One pass builds the snapshots, so any seek costs at most `every_` applications.
  WorldState w;
  snapshots_.push_back(w);
  // The same pass indexes which blocks of events touch each pollDesc and
  // goroutine, so "next change" is a binary search and a scan of a block or two,
  // not a walk over millions of events.
  for (size_t i = 0; i < t_.events.size(); ++i) {
    const trace::Event& e = t_.events[i];
    apply(w, e, i);
    if ((i + 1) % every_ == 0) snapshots_.push_back(w);
    auto block = static_cast<uint32_t>(i / every_);
    auto add = [&](std::unordered_map<int64_t, std::vector<uint32_t>>& m, int64_t key) {
      auto& v = m[key];
      if (v.empty() || v.back() != block) v.push_back(block);
    };
    if (auto pd = trace::fieldValue(e, "pd")) add(pdBlocks_, *pd);
    add(gBlocks_, e.g);
    for (trace::FieldValue f : trace::fieldsOf(e))
      if (f.spec.type == trace::FieldType::G) add(gBlocks_, f.raw);
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
const std::vector<uint32_t>* find(const std::unordered_map<int64_t, std::vector<uint32_t>>& m,
                                  std::optional<int64_t> k) {
  if (!k) return nullptr;
  auto it = m.find(*k);
  return it == m.end() ? nullptr : &it->second;
}
// The first listed block >= b, or the last listed block <= b, of either list.
std::optional<size_t> firstBlockFrom(const std::vector<uint32_t>* a, const std::vector<uint32_t>* b, size_t block) {
  std::optional<size_t> best;
  for (const auto* v : {a, b})
    if (v)
      if (auto it = std::lower_bound(v->begin(), v->end(), block); it != v->end())
        best = best ? std::min<size_t>(*best, *it) : *it;
  return best;
}
std::optional<size_t> lastBlockUpTo(const std::vector<uint32_t>* a, const std::vector<uint32_t>* b, size_t block) {
  std::optional<size_t> best;
  for (const auto* v : {a, b})
    if (v)
      if (auto it = std::upper_bound(v->begin(), v->end(), block); it != v->begin())
        best = best ? std::max<size_t>(*best, *std::prev(it)) : *std::prev(it);
  return best;
}
}  // namespace

std::optional<size_t> Replay::scanForward(const Follow& f, size_t from) const {
  const auto *pds = find(pdBlocks_, f.pd), *gs = find(gBlocks_, f.goroutine);
  while (from < size()) {
    auto block = firstBlockFrom(pds, gs, from / every_);
    if (!block) return std::nullopt;
    size_t i = std::max(from, *block * every_), end = std::min(size(), (*block + 1) * every_);
    for (; i < end; ++i)
      if (touches(t_.events[i], f)) return i;
    from = end;  // every touching event of this block was before `from`
  }
  return std::nullopt;
}

std::optional<size_t> Replay::scanBackward(const Follow& f, size_t from) const {
  const auto *pds = find(pdBlocks_, f.pd), *gs = find(gBlocks_, f.goroutine);
  while (from > 0) {
    auto block = lastBlockUpTo(pds, gs, (from - 1) / every_);
    if (!block) return std::nullopt;
    size_t start = *block * every_;
    for (size_t i = std::min(from, (*block + 1) * every_); i-- > start;)
      if (touches(t_.events[i], f)) return i;
    from = start;
  }
  return std::nullopt;
}

std::optional<size_t> Replay::nextChange(const Follow& f) const {
  // The cursor that shows the first touching event not yet applied.
  if (auto i = scanForward(f, cursor_)) return *i + 1;
  return std::nullopt;
}

std::optional<size_t> Replay::prevChange(const Follow& f) const {
  // The cursor showing the previous touching event (strictly before the current one).
  size_t before = cursor_ >= 1 ? cursor_ - 1 : 0;
  if (auto i = scanBackward(f, before)) return *i + 1;
  return std::nullopt;
}

}  // namespace pollscope::viz
