#include "model/sequence_layout.hpp"

#include <algorithm>
#include <map>

namespace pollscope::viz {

SequenceLayout::SequenceLayout(analysis::SequenceModel model) : model_(std::move(model)) {
  for (const auto& p : model_.participants) lifelines_.push_back({p.id, p.label, p.group, 0.f, p.goroutine, false});
  place();
  // Pair activations once, so a frame only clips spans instead of walking every row.
  std::map<std::string, size_t> open;
  for (size_t r = 0; r < model_.items.size(); ++r) {
    const auto& it = model_.items[r];
    if (it.type == analysis::SeqItem::Type::activate) open[it.from] = r;
    if (it.type == analysis::SeqItem::Type::deactivate) {
      auto o = open.find(it.from);
      if (o != open.end()) {
        spans_.push_back({it.from, o->second, r});
        open.erase(o);
      }
    }
  }
  for (const auto& [id, from] : open) spans_.push_back({id, from, model_.items.size()});
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

size_t SequenceLayout::rowOfEvent(size_t index) const {
  auto it = std::partition_point(model_.items.begin(), model_.items.end(),
                                 [&](const analysis::SeqItem& i) { return i.event < index; });
  return static_cast<size_t>(it - model_.items.begin());
}

std::optional<float> SequenceLayout::xOf(const std::string& id) const {
  for (const auto& l : lifelines_)
    if (l.id == id) return l.x;
  return std::nullopt;
}

size_t SequenceLayout::visibleRows(size_t cursor) const {
  // Items are in event order, so the visible ones are a prefix.
  auto it = std::partition_point(model_.items.begin(), model_.items.end(),
                                 [&](const analysis::SeqItem& i) { return i.event < cursor; });
  return static_cast<size_t>(it - model_.items.begin());
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
