// Which line of a scenario's Go program an event of its trace belongs to: the
// statement of the scenario step the event's goroutine is inside (a Read while
// the goroutine is in user code, and still that Read while the runtime works
// under it on g0: parking, polling, readying).
#pragma once

#include <cstddef>
#include <optional>

#include "gosource/go_program.hpp"
#include "traceio/trace_model.hpp"

namespace pollscope::gosource {

// The id of the innermost step open at event `index` for the goroutine the event
// concerns (its own G, or for scheduler events on g0 the last goroutine that ran
// before it). None before any step started.
std::optional<int64_t> stepAt(const traceio::TraceModel& t, size_t index);

// The 1-based Go line for event `index`, or 0 when it belongs to no step.
int goLineAt(const GoProgram& p, const traceio::TraceModel& t, size_t index);

}  // namespace pollscope::gosource
