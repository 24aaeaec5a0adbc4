// Which events of a trace a filter keeps (shared by every export).
#pragma once

#include <vector>

#include "export/export.hpp"

namespace pollscope::exporting {

std::vector<const trace::Event*> select(const traceio::TraceModel& t, const Filter& f);

// The goroutine ids an event is about (the running G, and G fields such as goid,
// from_g, to_g, rg_g, wg_g).
std::vector<int64_t> goroutinesOf(const trace::Event& e);
int64_t pdOf(const trace::Event& e);  // 0 when none
int64_t fdOf(const trace::Event& e);  // -1 when none

}  // namespace pollscope::exporting
