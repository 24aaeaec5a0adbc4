// The story level: repetition folded into loops that keep every seq, arrows that
// stand for real events, and the article's 5.3 loop counted from the trace itself.
#include <catch2/catch.hpp>
#include <set>

#include "export/article.hpp"
#include "export/story.hpp"
#include "support/golden_trace.hpp"
#include "trace/fields.hpp"
#include "traceio/json.hpp"

using namespace pollscope;
using exporting::StoryStep;

namespace {
std::vector<size_t> all(const traceio::TraceModel& t) {
  std::vector<size_t> v(t.events.size());
  for (size_t i = 0; i < v.size(); ++i) v[i] = i;
  return v;
}

StoryStep arrow(const std::string& text, const std::string& generic, uint64_t seq) {
  StoryStep s;
  s.from = "A";
  s.to = "B";
  s.text = text;
  s.generic = generic;
  s.seqs = {seq};
  return s;
}
}  // namespace

TEST_CASE("repeated units fold into one loop that keeps every repetition's seqs", "[export][story]") {
  std::vector<std::vector<StoryStep>> units = {{arrow("write 10", "write n", 1)}, {arrow("park", "park", 2)},
                                               {arrow("write 20", "write n", 3)}, {arrow("park", "park", 4)},
                                               {arrow("write 30", "write n", 5)}, {arrow("park", "park", 6)},
                                               {arrow("close", "close", 7)}};
  auto out = exporting::foldRepeats(units, "until written", 4);
  REQUIRE(out.size() == 5);
  CHECK(out[0].type == StoryStep::Type::loopBegin);
  CHECK(out[0].text == "until written ×3");
  CHECK(out[1].text == "write n");  // the counts differ: not drawn as if they were one
  CHECK(out[1].seqs == std::vector<uint64_t>{1, 3, 5});
  CHECK(out[2].text == "park");
  CHECK(out[2].seqs == std::vector<uint64_t>{2, 4, 6});
  CHECK(out[3].type == StoryStep::Type::blockEnd);
  CHECK(out[4].text == "close");
  // nothing repeats: nothing folds
  auto flat = exporting::foldRepeats({{arrow("a", "a", 1)}, {arrow("b", "b", 2)}}, "x", 4);
  CHECK(flat.size() == 2);
}

TEST_CASE("the 5.3 story draws the write loop once, counted from the trace", "[export][story]") {
  auto t = pstest::goldenTrace("write-backpressure");
  auto opt = exporting::findArticleDiagram("5.3")->options();
  auto story = exporting::buildStory(t, all(t), opt);
  // The client's write(2) calls, counted here from the events themselves.
  size_t writes = 0;
  std::set<uint64_t> seqs;
  for (const auto& e : t.events) {
    seqs.insert(e.seq);
    if (auto s = trace::as<trace::Kind::sys>(e);
        s && s->op() == trace::SysOp::write && t.goroutines.at(e.g) == "client")
      ++writes;
  }
  const StoryStep* loop = nullptr;
  size_t drawnWrites = 0;
  for (const auto& s : story.steps) {
    if (s.type == StoryStep::Type::loopBegin && s.text.rfind("until written", 0) == 0) loop = &s;
    for (uint64_t q : s.seqs) CHECK(seqs.count(q) == 1);  // every arrow stands for real events
    if (s.from == "FD" && s.to == "K" && s.generic.rfind("write", 0) == 0) drawnWrites += s.seqs.size();
  }
  REQUIRE(loop != nullptr);
  // one turn of the loop per write(2) the client made (16 partial, 16 EAGAIN, the last)
  CHECK(loop->text == "until written ×" + std::to_string(writes));
  CHECK(writes > 10);
  CHECK(drawnWrites == writes);
  // the same trace, the same story
  auto again = exporting::renderMermaidStory(exporting::buildStory(t, all(t), opt), false);
  CHECK(again == exporting::renderMermaidStory(story, false));
}

TEST_CASE("the fdMutex is drawn only when asked, and sysmon only when it acts", "[export][story]") {
  auto t = pstest::goldenTrace("read-before-data");
  exporting::StoryOptions opt;
  auto with = exporting::renderMermaidStory(exporting::buildStory(t, all(t), opt), false);
  CHECK(with.find("readLock()") != std::string::npos);
  CHECK(with.find("participant SYSMON") == std::string::npos);
  opt.fdMutex = false;
  auto without = exporting::renderMermaidStory(exporting::buildStory(t, all(t), opt), false);
  CHECK(without.find("readLock()") == std::string::npos);
  auto s = pstest::goldenTrace("sysmon-poll");
  auto sys = exporting::renderMermaidStory(exporting::buildStory(s, all(s), opt), false);
  CHECK(sys.find("SYSMON->>NP") != std::string::npos);
}
