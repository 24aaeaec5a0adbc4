// A one-screen summary of a trace: what ran, how long, how much of each kind.
#pragma once

#include <string>

#include "traceio/trace_model.hpp"

namespace pollscope::analysis {

std::string info(const traceio::TraceModel& t);

}  // namespace pollscope::analysis
