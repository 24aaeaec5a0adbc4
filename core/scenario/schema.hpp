// The JSON Schema of scenario files (docs/scenario.schema.json), generated from
// the op table so the schema's fields and bounds are the parser's.
#pragma once

#include <string>

namespace pollscope::scenario {

std::string scenarioJsonSchema();  // pretty-printed, ends with a newline

}  // namespace pollscope::scenario
