#include "model/sequence_layout.hpp"

#include <algorithm>
#include <map>

namespace pollscope::viz {

SequenceLayout::SequenceLayout(analysis::SequenceModel model) : model_(std::move(model)) {
  float x = kColumn / 2;
  std::optional<analysis::SeqGroup> last;
  for (const auto& p : model_.participants) {
    if (last && *last != p.group) x += kGroupGap;
    lifelines_.push_back({p.id, p.label, p.group, x});
    last = p.group;
    x += kColumn;
  }
  width_ = x - kColumn / 2 + kColumn / 2;
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

std::vector<ParkedSpan> SequenceLayout::parkedSpans(size_t cursor) const {
  size_t n = visibleRows(cursor);
  std::vector<ParkedSpan> out;
  for (const auto& sp : spans_) {
    if (sp.fromRow >= n) break;  // sorted by start: the rest begin after the cursor
    // A goroutine woken after the cursor is still parked at it.
    out.push_back({sp.lifeline, sp.fromRow, std::min(sp.toRow, n)});
  }
  return out;
}

}  // namespace pollscope::viz
