#include "model/sequence_layout.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace pollscope::viz {
using analysis::SeqItem;

SequenceLayout::SequenceLayout(const traceio::TraceModel& t, bool chinese) {
  analysis::SeqSink sink = [this](SeqItem&& item) { add(std::move(item)); };
  auto participants = analysis::buildSequence(t, analysis::SeqLevel::user, chinese, sink);
  finish(participants);
}

SequenceLayout::SequenceLayout(const analysis::SequenceModel& model) {
  for (auto item : model.items) add(std::move(item));
  finish(model);
}

uint16_t SequenceLayout::internId(const std::string& id) {
  if (id.empty()) return kNone;
  auto [it, inserted] = idIndex_.try_emplace(id, static_cast<uint16_t>(ids_.size()));
  if (inserted) ids_.push_back(id);
  return it->second;
}

void SequenceLayout::add(SeqItem&& item) {
  auto [it, inserted] = textIndex_.try_emplace(item.text, static_cast<uint32_t>(texts_.size()));
  if (inserted) texts_.push_back(std::move(item.text));
  static_assert(static_cast<uint32_t>(SeqItem::Type::deactivate) < 8, "a row keeps its type in 3 bits");
  if (it->second >= (1u << 29)) throw std::length_error("sequence layout: more than 2^29 distinct texts");
  rows_.push_back({internId(item.from), internId(item.to), static_cast<uint32_t>(item.event),
                   it->second << 3 | static_cast<uint32_t>(item.type)});
}

// Lifelines in the model's display order; rows then refer to them by index.
void SequenceLayout::finish(const analysis::SequenceModel& model) {
  std::vector<uint16_t> toLifeline(ids_.size(), kNone);
  for (const auto& p : model.participants) {
    auto it = idIndex_.find(p.id);
    if (it != idIndex_.end()) toLifeline[it->second] = static_cast<uint16_t>(lifelines_.size());
    lifelines_.push_back({p.id, p.label, p.group, 0.f, p.goroutine, false});
  }
  for (auto& r : rows_) {
    r.from = r.from == kNone ? kNone : toLifeline[r.from];
    r.to = r.to == kNone ? kNone : toLifeline[r.to];
  }
  textIndex_.clear();  // only needed while building
  idIndex_.clear();
  ids_.clear();
  rows_.shrink_to_fit();
  place();
  // Pair activations once, so a frame only clips spans instead of walking every row.
  std::map<uint16_t, size_t> open;
  std::map<uint16_t, size_t> woken;  // goroutine lifeline -> row of its netpollready
  for (size_t r = 0; r < rows_.size(); ++r) {
    const auto& it = rows_[r];
    if (it.type() == SeqItem::Type::activate) open[it.from] = r;
    if (it.type() == SeqItem::Type::message) {
      // "netpollready: G5 runnable" names the goroutine netpoll hands to the scheduler.
      const std::string& t = texts_[it.text()];
      static const std::string kReady = "netpollready: ";
      if (t.compare(0, kReady.size(), kReady) == 0) {
        std::string id = t.substr(kReady.size(), t.find(' ', kReady.size()) - kReady.size());
        for (size_t l = 0; l < lifelines_.size(); ++l)
          if (lifelines_[l].id == id) woken[static_cast<uint16_t>(l)] = r;
      }
    }
    if (it.type() == SeqItem::Type::deactivate) {
      auto o = open.find(it.from);
      if (o != open.end()) {
        spans_.push_back({it.from, o->second, r});
        open.erase(o);
      }
      if (auto w = woken.find(it.from); w != woken.end()) {
        wakes_.push_back({w->second, r, it.from});
        woken.erase(w);
      }
    }
  }
  std::sort(wakes_.begin(), wakes_.end(), [](const WakeLink& a, const WakeLink& b) { return a.fromRow < b.fromRow; });
  for (const auto& [id, from] : open) spans_.push_back({id, from, rows_.size()});
  std::sort(spans_.begin(), spans_.end(),
            [](const ParkedSpan& a, const ParkedSpan& b) { return a.fromRow < b.fromRow; });
  size_t maxTo = 0;
  for (const auto& sp : spans_) spanMaxTo_.push_back(maxTo = std::max(maxTo, sp.toRow));
}

void SequenceLayout::setCollapsed(const std::set<int>& groups) {
  if (groups == collapsed_) return;
  collapsed_ = groups;
  place();
}

// Columns left to right; a collapsed group's lifelines share one column.
void SequenceLayout::place() {
  float x = kColumn / 2;
  std::optional<analysis::SeqGroup> last;
  for (auto& l : lifelines_) {
    bool fold = collapsed(l.group);
    if (last && *last != l.group)
      x += kGroupGap;
    else if (last && fold)
      x -= kColumn;  // same folded group: same column
    l.x = x;
    l.folded = fold;
    last = l.group;
    x += kColumn;
  }
  width_ = x;
}

std::optional<float> SequenceLayout::xOf(uint16_t lifeline) const {
  if (lifeline >= lifelines_.size()) return std::nullopt;
  return lifelines_[lifeline].x;
}

std::optional<float> SequenceLayout::xOf(const std::string& id) const {
  for (const auto& l : lifelines_)
    if (l.id == id) return l.x;
  return std::nullopt;
}

std::vector<WakeLink> SequenceLayout::wakeLinks(size_t cursor, size_t firstRow, size_t lastRow) const {
  size_t n = visibleRows(cursor);
  std::vector<WakeLink> out;
  // A link spans a wake-up and a resume a few rows apart: look a little before the window.
  size_t from = firstRow > 256 ? firstRow - 256 : 0;
  auto it = std::partition_point(wakes_.begin(), wakes_.end(), [&](const WakeLink& w) { return w.fromRow < from; });
  for (; it != wakes_.end() && it->fromRow < std::min(n, lastRow); ++it)
    if (it->toRow < n && it->toRow >= firstRow) out.push_back(*it);
  return out;
}

size_t SequenceLayout::rowOfEvent(size_t index) const {
  auto it = std::partition_point(rows_.begin(), rows_.end(), [&](const SeqRow& r) { return r.event < index; });
  return static_cast<size_t>(it - rows_.begin());
}

size_t SequenceLayout::visibleRows(size_t cursor) const {
  // Items are in event order, so the visible ones are a prefix.
  return rowOfEvent(cursor);
}

std::optional<size_t> SequenceLayout::currentRow(size_t cursor) const {
  size_t n = visibleRows(cursor);
  if (n == 0) return std::nullopt;
  return n - 1;
}

std::vector<ParkedSpan> SequenceLayout::parkedSpans(size_t cursor, size_t firstRow, size_t lastRow) const {
  size_t n = visibleRows(cursor);
  size_t end = std::min(n, lastRow);
  // Spans are sorted by start: those starting before `end`, walked back while an
  // earlier one can still reach `firstRow`, so a frame costs what is on screen.
  auto upto = std::partition_point(spans_.begin(), spans_.end(), [&](const ParkedSpan& s) { return s.fromRow < end; });
  std::vector<ParkedSpan> out;
  for (size_t i = static_cast<size_t>(upto - spans_.begin()); i-- > 0;) {
    if (spanMaxTo_[i] <= firstRow) break;
    const auto& sp = spans_[i];
    // A goroutine woken after the cursor is still parked at it.
    size_t to = std::min(sp.toRow, n);
    if (to > firstRow || (to == sp.fromRow && sp.fromRow >= firstRow)) out.push_back({sp.lifeline, sp.fromRow, to});
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace pollscope::viz
