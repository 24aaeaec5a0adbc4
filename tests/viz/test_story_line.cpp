// The presenter's story line: the index gives, at every cursor, the step note a
// walk back over the events gives (the definition), in both languages, and it
// keeps up with a trace that grows (a live run).
#include <catch2/catch.hpp>

#include "model/story_line.hpp"
#include "support/golden_trace.hpp"
#include "trace/fields.hpp"

using namespace pollscope;

namespace {
// The definition: the last step begun before the cursor whose say (in that
// language, Chinese falling back to English) is not empty.
const traceio::StepInfo* walkBack(const traceio::TraceModel& t, size_t cursor, bool chinese) {
  for (size_t i = cursor; i-- > 0;) {
    auto step = trace::as<trace::Kind::step>(t.events[i]);
    if (!step || step->phase() != trace::Phase::call) continue;
    for (const auto& st : t.steps)
      if (st.id == step->step()) {
        const std::string& say = chinese && !st.sayZh.empty() ? st.sayZh : st.sayEn;
        if (!say.empty()) return &st;
      }
  }
  return nullptr;
}
}  // namespace

TEST_CASE("the story line at every cursor is the last step note before it", "[viz]") {
  auto t = pstest::goldenTrace("ping-pong-loop");
  viz::StoryIndex index;
  size_t silentSteps = 0;  // cursors just after a step without a note, inside a loop that has one
  for (bool chinese : {false, true})
    for (size_t c = 0; c <= t.events.size(); ++c) {
      INFO("cursor " << c << (chinese ? " zh" : " en"));
      const traceio::StepInfo* want = walkBack(t, c, chinese);
      REQUIRE(index.at(t, c, chinese) == want);
      if (c == 0 || !want) continue;
      auto step = trace::as<trace::Kind::step>(t.events[c - 1]);
      if (step && step->phase() == trace::Phase::call && step->step() != want->id) ++silentSteps;
    }
  // The loop's reads and writes say nothing: the note in force comes from further back.
  CHECK(silentSteps > 100);
}

TEST_CASE("the story line follows a trace that grows", "[viz]") {
  auto whole = pstest::goldenTrace("ping-pong-loop");
  traceio::TraceModel t;
  t.steps = whole.steps;
  size_t half = whole.events.size() / 2;
  t.events.assign(whole.events.begin(), whole.events.begin() + static_cast<long>(half));
  viz::StoryIndex index;
  CHECK(index.at(t, half, false) == walkBack(t, half, false));
  t.events.insert(t.events.end(), whole.events.begin() + static_cast<long>(half), whole.events.end());
  for (size_t c : {size_t{0}, half, half + 1, whole.events.size() - 1, whole.events.size()})
    CHECK(index.at(t, c, false) == walkBack(t, c, false));
}
