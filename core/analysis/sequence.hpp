// The sequence-diagram model of a trace: who talks to whom, in order, and when a
// goroutine is parked. One model for every drawing of it (the Mermaid export
// renders it as text; the viewer lays it out on screen).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "traceio/trace_model.hpp"

namespace pollscope::analysis {

enum class SeqGroup { user, runtime, kernel };

struct SeqParticipant {
  std::string id;     // stable, diagram-safe: "G2", "FD", "NP", "SCHED", "K"
  std::string label;  // "G2 server", "internal/poll.FD", ...
  SeqGroup group;
  int64_t goroutine = 0;  // for goroutine lifelines
};

struct SeqItem {
  enum class Type { message, reply, note, activate, deactivate };
  Type type;
  std::string from;  // participant id (notes, activations: the participant)
  std::string to;
  std::string text;  // plain text, not escaped
  size_t event;      // index of the event in the trace it comes from
};

enum class SeqLevel { user, runtime };

struct SequenceModel {
  std::vector<SeqParticipant> participants;  // only those used, in display order
  std::vector<SeqItem> items;
};

// `events` are indices into t.events, in order (all of them, or a filtered view).
SequenceModel buildSequence(const traceio::TraceModel& t, const std::vector<size_t>& events, SeqLevel level,
                            bool chinese = false);
// Every event, each item handed to `sink` as it is made instead of kept in the
// model (which then holds only the participants): for viewers of huge traces.
using SeqSink = std::function<void(SeqItem&&)>;
SequenceModel buildSequence(const traceio::TraceModel& t, SeqLevel level, bool chinese, const SeqSink& sink);

// The Chinese words of every label buildSequence writes with `chinese` (numbers
// and Go's names aside): a viewer puts their glyphs in its font atlas.
std::vector<std::string> sequenceChineseTexts();

}  // namespace pollscope::analysis
