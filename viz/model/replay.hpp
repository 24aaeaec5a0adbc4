// Replay: a cursor over a trace and the runtime's state at that cursor (every
// rg/wg semaphore, every goroutine's status), for stepping forward and back.
// No GL here: the views only read it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "traceio/trace_model.hpp"

namespace pollscope::viz {

struct SemCell {
  trace::SemState state = trace::SemState::pdNil;
  int64_t g = 0;                // the parked goroutine when state is G
  std::optional<size_t> event;  // the event that set it
};

struct WorldState {
  std::map<std::pair<int64_t, char>, SemCell> sems;  // (pd, 'r' or 'w')
  std::map<int64_t, trace::GStatus> gstatus;
  std::map<int64_t, int64_t> pdFd;  // pollDesc -> the fd it serves now
  int64_t waiters = 0;
};

// What "the next change" follows.
struct Follow {
  std::optional<int64_t> pd;
  std::optional<int64_t> goroutine;
};

class Replay {
 public:
  explicit Replay(const traceio::TraceModel& t, size_t snapshotEvery = 4096);

  size_t size() const { return t_.events.size(); }
  size_t cursor() const { return cursor_; }  // events applied: 0 (nothing yet) .. size()
  // The last applied event, the one the views highlight.
  const trace::Event* current() const { return cursor_ ? &t_.events[cursor_ - 1] : nullptr; }

  void seek(size_t n);  // clamps to size()
  bool stepForward();
  bool stepBack();
  // The cursor that would show the next (or previous) event touching `f`.
  std::optional<size_t> nextChange(const Follow& f) const;
  std::optional<size_t> prevChange(const Follow& f) const;

  const WorldState& state() const { return state_; }
  static void apply(WorldState& w, const trace::Event& e, size_t index);
  static bool touches(const trace::Event& e, const Follow& f);

 private:
  const traceio::TraceModel& t_;
  size_t every_;
  std::vector<WorldState> snapshots_;  // snapshots_[k] = state after k*every_ events
  // Which blocks of `every_` events hold an event touching a pd or a goroutine,
  // ascending: "next change" scans at most two blocks. (A list of every touching
  // event cost 7 bytes per event: 70 MB on a ten-million-event trace.)
  std::unordered_map<int64_t, std::vector<uint32_t>> pdBlocks_;
  std::unordered_map<int64_t, std::vector<uint32_t>> gBlocks_;
  // The first event at or after `from` touching `f` (forward), or the last before
  // `from` (backward), found through the blocks.
  std::optional<size_t> scanForward(const Follow& f, size_t from) const;
  std::optional<size_t> scanBackward(const Follow& f, size_t from) const;
  size_t cursor_ = 0;
  WorldState state_;
};

}  // namespace pollscope::viz
