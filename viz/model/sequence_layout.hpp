// Where everything of the sequence diagram goes, in diagram units (no GL): one
// column per lifeline (grouped user code | runtime | kernel), one row per item.
// Rows are kept compact (16 bytes, texts interned) so a million-event trace
// stays small; the views read them through row() and text().
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
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

// 12 bytes: the item's type shares a word with its text's index (ten million
// events lay out in 4.5M rows: 4 bytes each is 1.7 bytes per event).
struct SeqRow {
  uint16_t from, to;  // lifeline indices (kNone: none)
  uint32_t event;     // the trace event it comes from
  uint32_t textAndType;
  analysis::SeqItem::Type type() const { return static_cast<analysis::SeqItem::Type>(textAndType & 7u); }
  uint32_t text() const { return textAndType >> 3; }  // index into the interned texts
};

struct ParkedSpan {
  uint16_t lifeline;
  size_t fromRow, toRow;
};

// netpoll made a goroutine runnable (fromRow, "netpollready: G5 runnable") and
// that goroutine later resumed (toRow, its parked span ends): the view joins the two.
struct WakeLink {
  size_t fromRow, toRow;
  uint16_t lifeline;  // the goroutine's
};

class SequenceLayout {
 public:
  static constexpr float kColumn = 170.f;
  static constexpr float kGroupGap = 40.f;
  static constexpr float kRow = 26.f;
  static constexpr uint16_t kNone = 0xFFFF;

  // Every event of the trace at user level, streamed (no full model in memory).
  explicit SequenceLayout(const traceio::TraceModel& t, bool chinese = false);
  // A model already built (small traces, tests).
  explicit SequenceLayout(const analysis::SequenceModel& model);

  // Folds these groups (analysis::SeqGroup values) to one column each, labelled
  // by the group; their lifelines' messages then start and end there.
  void setCollapsed(const std::set<int>& groups);
  bool collapsed(analysis::SeqGroup g) const { return collapsed_.count(static_cast<int>(g)) > 0; }

  const std::vector<LifelineBox>& lifelines() const { return lifelines_; }
  size_t rowCount() const { return rows_.size(); }
  const SeqRow& row(size_t r) const { return rows_[r]; }
  const std::string& text(const SeqRow& r) const { return texts_[r.text()]; }
  float width() const { return width_; }
  float rowY(size_t row) const { return static_cast<float>(row) * kRow; }
  std::optional<float> xOf(uint16_t lifeline) const;
  std::optional<float> xOf(const std::string& id) const;

  // Items shown when `cursor` events are applied: those whose event index < cursor.
  size_t visibleRows(size_t cursor) const;
  // The row of the last shown item (the one to highlight), if any.
  std::optional<size_t> currentRow(size_t cursor) const;
  // Parked spans (activate..deactivate) clipped to the visible rows, and of
  // those only the ones crossing rows [firstRow, lastRow) (what is on screen).
  std::vector<ParkedSpan> parkedSpans(size_t cursor, size_t firstRow = 0, size_t lastRow = SIZE_MAX) const;
  // Wake links whose wake-up is shown at `cursor` and which cross rows [firstRow, lastRow).
  std::vector<WakeLink> wakeLinks(size_t cursor, size_t firstRow, size_t lastRow) const;
  // The row whose item comes from the event at `index` (or the first after it).
  size_t rowOfEvent(size_t index) const;

 private:
  uint16_t internId(const std::string& id);
  void add(analysis::SeqItem&& item);
  void finish(const analysis::SequenceModel& participants);
  void place();

  std::vector<SeqRow> rows_;
  std::vector<std::string> texts_;
  std::unordered_map<std::string, uint32_t> textIndex_;
  std::vector<std::string> ids_;  // interned participant ids, in first-use order
  std::unordered_map<std::string, uint16_t> idIndex_;
  std::vector<LifelineBox> lifelines_;
  std::set<int> collapsed_;
  std::vector<ParkedSpan> spans_;  // every parked span, by start row (toRow == rows if never closed)
  std::vector<size_t> spanMaxTo_;  // spanMaxTo_[i] = max toRow of spans_[0..i]
  std::vector<WakeLink> wakes_;    // by fromRow
  float width_ = 0;
};

}  // namespace pollscope::viz
