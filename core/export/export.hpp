// Exports of a trace for other tools: Mermaid sequence and state diagrams (for
// articles and slides) and Chrome/Perfetto trace JSON.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "traceio/trace_model.hpp"

namespace pollscope::exporting {

enum class Level { user, runtime };

// Which part of a trace to export. Empty sets mean "all".
struct Filter {
  std::set<int64_t> goroutines;  // goroutine ids
  std::set<std::string> goroutineNames;
  std::set<int64_t> fds;
  std::optional<uint64_t> fromSeq, toSeq;   // inclusive
  std::optional<int64_t> fromStep, toStep;  // scenario step ids (the trace's natural bookmarks)
};

// Parses "--goroutines 2,server" style lists and "A:B" ranges; returns an error message or "".
std::string parseGoroutineList(const std::string& text, Filter* f);
std::string parseFdList(const std::string& text, Filter* f);
std::string parseRange(const std::string& text, std::optional<uint64_t>* from, std::optional<uint64_t>* to);
std::string parseStepRange(const std::string& text, Filter* f);
// Checks the filter against the trace: unknown goroutines/fds, empty ranges. "" when fine.
std::string validateFilter(const traceio::TraceModel& t, const Filter& f);

// Mermaid refuses diagrams over 50,000 characters; parts stay under this.
inline constexpr size_t kMermaidMaxChars = 49000;

// A sequence diagram, split into parts that each stay under the limit. Each part
// declares only the participants it shows, so no preamble grows with the trace.
std::vector<std::string> mermaidSequence(const traceio::TraceModel& t, const Filter& f, Level level,
                                         bool chinese = false);
// The same, each part handed to `sink` as soon as it is complete (nothing kept).
using PartSink = std::function<void(std::string&&)>;
void mermaidSequence(const traceio::TraceModel& t, const Filter& f, Level level, bool chinese, const PartSink& sink);

enum class Machine { semaphore, goroutine };
// stateDiagram-v2 of the transitions the filtered pollDescs (or goroutines) really took, with counts.
// Edges carry the Go function that made the transition; rg and wg are separate
// machines (`mode` keeps one of them); zh explains each label in Chinese.
std::string mermaidState(const traceio::TraceModel& t, const Filter& f, Machine m, std::optional<int64_t> pd = {},
                         std::optional<trace::Mode> mode = {}, bool zh = false);

// flowchart of the path the run's Read/Write calls took (user code -> poll.FD ->
// syscall -> pollWait -> gopark -> netpoll -> run -> return), with counts per edge;
// "" when the filter selects no Read/Write. `mode` keeps reads (r) or writes (w).
std::string mermaidFlow(const traceio::TraceModel& t, const Filter& f, std::optional<trace::Mode> mode = {},
                        bool zh = false);

// Chrome trace event format (chrome://tracing, ui.perfetto.dev).
std::string chromeTrace(const traceio::TraceModel& t, const Filter& f);

// Escapes text for a Mermaid message, note or label.
std::string mermaidEscape(const std::string& s);

}  // namespace pollscope::exporting
