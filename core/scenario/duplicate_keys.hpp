// JSON allows an object to repeat a key and nlohmann keeps the last one, so a
// scenario that says "op" twice would silently lose a step's intent. The trace
// reader already refuses duplicates; this makes scenario files agree.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace pollscope::scenario {

// Parses `text` like nlohmann::json::parse, and also reports the first repeated
// key as a JSON path ("goroutines[0].steps[2].op"). Throws what json::parse throws.
nlohmann::json parseRejectingDuplicates(const std::string& text, std::optional<std::string>* duplicatePath);

}  // namespace pollscope::scenario
