// The story model of a trace: the picture the original article draws, built from
// a real run. One arrow per meaningful step, each keeping the seq numbers of the
// events it stands for; bookkeeping folded away, set-up and tear-down collapsed,
// repetition folded into loops and the branches the run took into alt blocks.
// Renderers (Mermaid today) draw it; it knows nothing about their syntax.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "trace/event.hpp"
#include "traceio/trace_model.hpp"

namespace pollscope::exporting {

// What a lifeline stands for, so a reader (or a test) can match it to the article's.
enum class Role { goroutine, net, pollFd, pollDesc, netpoll, scheduler, sysmon, kernel };
const char* roleName(Role r);  // "goroutine", "net", "poll.FD", ...

struct StoryParticipant {
  std::string id;     // diagram-safe
  std::string label;  // in the story's language
  Role role;
};

struct StoryStep {
  enum class Type { message, reply, note, loopBegin, altBegin, altElse, blockEnd };
  Type type = Type::message;
  std::string from, to;        // participant ids (a note: over `from`..`to`, `to` may be empty)
  std::string text;            // this instance, in the story's language (a block: its label)
  std::string generic;         // the same step without its numbers: what repetitions share
  std::vector<uint64_t> seqs;  // the events it stands for, ascending
};

struct Story {
  std::vector<StoryParticipant> participants;  // only those used, in display order
  std::vector<StoryStep> steps;
};

struct StoryOptions {
  // The user operations the story is about, drawn step by step. Every other
  // operation is one arrow (or folded into the set-up / tear-down line).
  std::set<trace::UserOp> focus = {trace::UserOp::read, trace::UserOp::write, trace::UserOp::accept,
                                   trace::UserOp::dial};
  // Only these goroutines' operations (by name, without a trailing number) are drawn
  // step by step; empty: every goroutine's.
  std::set<std::string> focusGoroutines;
  bool fdMutex = true;  // draw the fdMutex lock/unlock and pd.prepare steps
  bool zh = false;
};

// `events` are indices into t.events, in order (all of them, or a filtered view).
Story buildStory(const traceio::TraceModel& t, const std::vector<size_t>& events, const StoryOptions& opt);

// Folds repeated runs of units (each a balanced list of steps) into loop blocks:
// a run of r >= 2 equal units (equal in type, lifelines and generic text) becomes
// "loop <label> ×r" around one unit whose arrows carry the seqs of all r.
// Units of the same shape merged into one: each step keeps the seqs of all, and
// its text when they all agree (else its generic text).
std::vector<StoryStep> mergeUnits(const std::vector<std::vector<StoryStep>>& units);

std::vector<StoryStep> foldRepeats(const std::vector<std::vector<StoryStep>>& units, const std::string& label,
                                   size_t maxPeriod);

}  // namespace pollscope::exporting

namespace pollscope::exporting {
struct Filter;
// The story of the events `f` selects as a Mermaid sequenceDiagram: every arrow and
// note preceded by a "%% seq ..." comment naming the events it stands for.
std::string mermaidStory(const traceio::TraceModel& t, const Filter& f, const StoryOptions& opt);
// `maxSeqs`: list at most this many seqs per arrow, then "(+N more)".
std::string renderMermaidStory(const Story& story, bool zh, size_t maxSeqs = SIZE_MAX);
}  // namespace pollscope::exporting
