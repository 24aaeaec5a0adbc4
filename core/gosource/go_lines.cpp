// From an event to its scenario step, and to the Go statement of that step.
#include "gosource/go_lines.hpp"

#include "trace/fields.hpp"

namespace pollscope::gosource {
namespace {
// How far back to look: far enough for any scenario's step, bounded for huge traces.
constexpr size_t kLookBack = 1 << 20;
}  // namespace

std::optional<int64_t> stepAt(const traceio::TraceModel& t, size_t index) {
  if (index >= t.events.size()) return std::nullopt;
  size_t stop = index > kLookBack ? index - kLookBack : 0;
  // The goroutine: the event's own, or the last one that ran before a g0 event.
  int64_t g = 0;
  for (size_t i = index + 1; i-- > stop && g == 0;) g = t.events[i].g;
  if (g == 0) return std::nullopt;
  // The innermost step of g not yet returned at `index`.
  int depth = 0;
  for (size_t i = index + 1; i-- > stop;) {
    if (t.events[i].g != g) continue;
    auto st = trace::as<trace::Kind::step>(t.events[i]);
    if (!st) continue;
    if (st->phase() == trace::Phase::ret) {
      if (i == index) return st->step();  // the step's own return event belongs to it
      ++depth;
    } else if (depth == 0) {
      return st->step();
    } else {
      --depth;
    }
  }
  return std::nullopt;
}

int goLineAt(const GoProgram& p, const traceio::TraceModel& t, size_t index) {
  auto step = stepAt(t, index);
  if (!step) return 0;
  auto it = p.stepLine.find(*step);
  return it == p.stepLine.end() ? 0 : it->second;
}

}  // namespace pollscope::gosource
