// export --article SECTION: finds the scenario that reproduces a section of the
// original article and the trace of a run of it.
#pragma once

#include <string>

#include "traceio/trace_model.hpp"

namespace pollscope::cli {

// The repository's scenarios/ folder: $POLLSCOPE_SCENARIOS, else beside the
// executable's tree (build/bin/pollscope -> scenarios/), else ./scenarios. "" if none.
std::string findScenarioDir(const std::string& argv0);

// Loads the golden trace of the scenario whose "article" key names `section`
// (traces/NAME.trace.json beside scenarios/), or runs the scenario when there is
// none. On failure returns false with a message.
bool articleTrace(const std::string& section, const std::string& scenarioDir, traceio::TraceModel* t,
                  std::string* scenarioName, std::string* err);

// "1.3  article-1.3-full-io  full network I/O" lines, for --article list.
std::string articleList(const std::string& scenarioDir);

}  // namespace pollscope::cli
