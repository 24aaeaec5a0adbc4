// Narration: one plain-language sentence per event, in English or Simplified Chinese.
#pragma once

#include <string>
#include <vector>

#include "traceio/trace_model.hpp"

namespace pollscope::analysis {

enum class Lang { en, zh };
bool parseLang(const std::string& s, Lang* out);

// The sentence for one event; empty for bookkeeping events a student can skip
// (they are narrated when `all` is true).
std::string narrate(const traceio::TraceModel& t, const trace::Event& e, Lang lang, bool all = false);

// The whole transcript: "#seq  +time  G/M/P  sentence" lines.
std::string transcript(const traceio::TraceModel& t, Lang lang, bool all = false);

}  // namespace pollscope::analysis
