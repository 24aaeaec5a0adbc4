// The JSON Schema of trace files, generated from the vocabulary so it cannot drift.
#pragma once

#include <string>

namespace pollscope::traceio {

std::string traceJsonSchema();  // pretty-printed, ends with a newline

}  // namespace pollscope::traceio
