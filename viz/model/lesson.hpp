// Lessons: a teacher's walk through scenarios, slide by slide. A lesson file
// (docs/classroom/*.lesson.json, format in docs/classroom/README.md) names, for
// each slide, a scenario and the event to stop at, chosen by what happens
// ("the first netpollblockcommit of G server") rather than by number, so a
// slide stays right when the engine records a few more events. No GL here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "traceio/trace_model.hpp"

namespace pollscope::viz {

struct LessonText {
  std::string en, zh;
  const std::string& in(bool chinese) const { return chinese && !zh.empty() ? zh : en; }
};

// Where a slide stops: after the nth event of `kind` whose fields match, or at
// the start or the end of the run.
struct Anchor {
  enum class Where { start, end, event } where = Where::start;
  trace::Kind kind = trace::Kind::count_;
  std::vector<std::pair<std::string, int64_t>> fields;  // field name -> raw value
  std::string goroutine;                                // the event's G has this name (optional)
  int nth = 1;
  std::string describe;  // as written, for messages
};

struct Slide {
  std::string scenario;  // a path, resolved against the lesson's folder and the scenario folder
  Anchor at;
  std::string view = "sequence";  // a view's name (model/view_table.hpp)
  std::optional<bool> threads;    // M lanes in the sequence view (none: leave them as they are)
  std::string code;               // "engine" or "go": the slide opens the code panel on that tab; "": as it was
  // A compare slide: these 2 or 3 scenarios side by side, aligned on `align`
  // (model/compare_align.hpp), `alignOffset` events after the aligned event.
  std::vector<std::string> compare;
  std::string align = "eagain";
  long alignOffset = 0;
  LessonText title, text;
};

struct Question {
  LessonText q, a;
};

struct Lesson {
  std::string path;
  LessonText title, summary;
  std::vector<Slide> slides;
  std::vector<Question> questions;
};

// Reads a lesson; on failure one line naming the place and the problem.
bool loadLesson(const std::string& path, Lesson* out, std::string* error);
// The same from the file's text (`path` names it in messages and places its slides).
bool parseLesson(const std::string& text, const std::string& path, Lesson* out, std::string* error);
// The cursor that shows the slide's event, or none (with the reason) if the run lacks it.
std::optional<size_t> resolveAnchor(const traceio::TraceModel& t, const Anchor& a, std::string* error);
// The scenario file a slide names, looked for beside the lesson, then in `scenarioDir`.
std::string scenarioPathFor(const Lesson& l, const Slide& s, const std::string& scenarioDir);
std::string scenarioPathFor(const Lesson& l, const std::string& scenario, const std::string& scenarioDir);

}  // namespace pollscope::viz
