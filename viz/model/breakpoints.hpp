// Breakpoints and bookmarks for the player (no GL). A breakpoint stops playback
// at an event of a kind, of a goroutine, on an fd, or one that moves a
// semaphore or a goroutine into a state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "traceio/trace_model.hpp"

namespace pollscope::viz {

struct Breakpoint {
  enum class On { kind, goroutine, fd, semState, gStatus } on = On::kind;
  int64_t value = 0;  // a trace::Kind, goroutine id, fd, SemState or GStatus
  bool enabled = true;
  std::string describe() const;  // "kind sem", "G3", "fd 7", "rg/wg -> pdReady", "G -> waiting"
};

bool hits(const Breakpoint& b, const trace::Event& e);
bool hitsAny(const std::vector<Breakpoint>& bs, const trace::Event& e);
// The cursor that shows the next (previous) event hitting an enabled breakpoint,
// after (before) the event at `cursor`.
std::optional<size_t> nextBreak(const traceio::TraceModel& t, size_t cursor, const std::vector<Breakpoint>& bs);
std::optional<size_t> prevBreak(const traceio::TraceModel& t, size_t cursor, const std::vector<Breakpoint>& bs);

// Bookmarks: cursors with a label, kept sorted.
struct Bookmark {
  size_t cursor = 0;
  std::string label;
};
class Bookmarks {
 public:
  void toggle(size_t cursor, std::string label);  // adds, or removes the one at `cursor`
  const std::vector<Bookmark>& list() const { return marks_; }
  std::optional<size_t> next(size_t cursor) const;  // the first bookmark after `cursor`
  std::optional<size_t> prev(size_t cursor) const;  // the last bookmark before `cursor`
  void clear() { marks_.clear(); }

 private:
  std::vector<Bookmark> marks_;
};

}  // namespace pollscope::viz
