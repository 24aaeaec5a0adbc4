// Where everything of the sequence diagram goes, in diagram units (no GL): one
// column per lifeline (grouped user code | runtime | kernel), one row per item.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analysis/sequence.hpp"

namespace pollscope::viz {

struct LifelineBox {
  std::string id, label;
  analysis::SeqGroup group;
  float x;                // centre
  int64_t goroutine = 0;  // goroutine lifelines: the G (selection)
  bool folded = false;    // its group is collapsed: drawn as the group's one column
};

struct ParkedSpan {
  std::string lifeline;
  size_t fromRow, toRow;  // toRow == npos-like (rows) while still parked
};

class SequenceLayout {
 public:
  static constexpr float kColumn = 170.f;
  static constexpr float kGroupGap = 40.f;
  static constexpr float kRow = 26.f;

  explicit SequenceLayout(analysis::SequenceModel model);

  // Folds these groups (analysis::SeqGroup values) to one column each, labelled
  // by the group; their lifelines' messages then start and end there.
  void setCollapsed(const std::set<int>& groups);
  bool collapsed(analysis::SeqGroup g) const { return collapsed_.count(static_cast<int>(g)) > 0; }

  const std::vector<LifelineBox>& lifelines() const { return lifelines_; }
  const analysis::SequenceModel& model() const { return model_; }
  float width() const { return width_; }
  float rowY(size_t row) const { return static_cast<float>(row) * kRow; }
  std::optional<float> xOf(const std::string& id) const;

  // Items shown when `cursor` events are applied: those whose event index < cursor.
  size_t visibleRows(size_t cursor) const;
  // The row of the last shown item (the one to highlight), if any.
  std::optional<size_t> currentRow(size_t cursor) const;
  // Parked spans (activate..deactivate) clipped to the visible rows, and of
  // those only the ones crossing rows [firstRow, lastRow) (what is on screen).
  std::vector<ParkedSpan> parkedSpans(size_t cursor, size_t firstRow = 0, size_t lastRow = SIZE_MAX) const;
  // The row whose item comes from the event at `index` (or the first after it).
  size_t rowOfEvent(size_t index) const;

 private:
  analysis::SequenceModel model_;
  void place();
  std::vector<LifelineBox> lifelines_;
  std::set<int> collapsed_;
  std::vector<size_t> spanMaxTo_;  // spanMaxTo_[i] = max toRow of spans_[0..i]
  std::vector<ParkedSpan>
      spans_;  // every parked span of the whole diagram, by start row (toRow == rows if never closed)
  float width_ = 0;
};

}  // namespace pollscope::viz
