// Where runs shown side by side are aligned (pollscope-gui --compare, a lesson's
// compare slide): one row per rule, the first event of a trace the rule matches.
// Aligned on the read's first EAGAIN, read-before-data, data-before-park and
// event-while-wait line up at the moment poll.FD turns to the poller, and what
// follows is netpollblock's three outcomes. No GL, no engine.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/ui_text.hpp"
#include "traceio/trace_model.hpp"

namespace pollscope::viz {

struct AlignRule {
  const char* name;      // `--align`, a lesson's "align"
  const char* describe;  // in `--help` and messages
  Ui label;              // the compare bar's choice, in the viewer's language
  bool (*matches)(const traceio::TraceModel& t, const trace::Event& e);
};

// The rules; the first is the default.
extern const AlignRule kAlignRules[];
extern const size_t kAlignRuleCount;

const AlignRule* alignRuleNamed(std::string_view name);
std::string alignRuleNamesInWords();

// The cursor just after the first event `rule` matches (it is on screen, lit);
// none if the trace has no such event.
std::optional<size_t> alignCursor(const traceio::TraceModel& t, const AlignRule& rule);

}  // namespace pollscope::viz
