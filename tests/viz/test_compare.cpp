// Runs side by side (model/compare_align.hpp, model/compare_run.hpp): where the
// runs are aligned, that they step together, and a lesson's compare slide.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "model/compare_run.hpp"
#include "trace/fields.hpp"
#include "trace/vocabulary.hpp"

using namespace pollscope;

namespace {
const std::string kSource = POLLSCOPE_SOURCE_DIR;
std::string golden(const char* name) {
  return kSource + "/traces/" + name + ".trace.json";
}
const char* const kOutcomes[] = {"read-before-data", "data-before-park", "event-while-wait"};
}  // namespace

TEST_CASE("runs are aligned on the read's first EAGAIN by default", "[viz][compare]") {
  viz::Viewer v;
  std::vector<std::string> files;
  for (const char* n : kOutcomes) files.push_back(golden(n));
  std::string err;
  REQUIRE(viz::openComparison(v, files, "", &err) == false);  // no such rule
  CHECK(err.find("no alignment") != std::string::npos);
  REQUIRE(viz::openComparison(v, files, viz::kAlignRules[0].name, &err));
  REQUIRE(v.compare->panes.size() == 3);
  for (const auto& p : v.compare->panes) {
    const auto& events = p.viewer->trace->events;
    CAPTURE(p.viewer->trace->meta.scenario);
    REQUIRE(p.anchor >= 1);
    CHECK(p.viewer->replay->cursor() == p.anchor);  // the aligned event is the current one
    // It is a read(2) that returned EAGAIN, and the first such.
    auto s = trace::as<trace::Kind::sys>(events[p.anchor - 1]);
    REQUIRE(s);
    CHECK(s->op() == trace::SysOp::read);
    CHECK(trace::errnoName(s->err()) == "EAGAIN");
    for (size_t i = 0; i + 1 < p.anchor; ++i) {
      auto earlier = trace::as<trace::Kind::sys>(events[i]);
      CHECK_FALSE((earlier && earlier->op() == trace::SysOp::read && trace::errnoName(earlier->err()) == "EAGAIN"));
    }
    // Each pane shows the reader and its pollDesc's rg.
    CHECK(p.viewer->selection.goroutine == events[p.anchor - 1].g);
    CHECK(p.viewer->selection.mode == 'r');
    CHECK(p.viewer->selection.pd != 0);
  }
}

TEST_CASE("the panes step together, each clamped to its own run", "[viz][compare]") {
  viz::Viewer v;
  std::vector<std::string> files = {golden("read-before-data"), golden("data-before-park")};
  std::string err;
  REQUIRE(viz::openComparison(v, files, "eagain", &err));
  auto& c = *v.compare;
  v.stepForward();
  v.stepForward();
  v.stepBack();
  for (const auto& p : c.panes) CHECK(p.viewer->replay->cursor() == p.anchor + 1);
  // Six events after EAGAIN: read-before-data has parked its reader (rg = G), data-before-park
  // has not (the data is on its way): the two outcomes side by side.
  c.seekOffset(6);
  auto rg = [](const viz::ComparePane& p) {
    auto it = p.viewer->replay->state().sems.find({p.viewer->selection.pd, 'r'});
    return it == p.viewer->replay->state().sems.end() ? trace::SemState::pdNil : it->second.state;
  };
  CHECK(rg(c.panes[0]) == trace::SemState::G);
  CHECK(rg(c.panes[1]) == trace::SemState::pdNil);
  // To the end: the shorter run stops at its last event, the longer goes on.
  c.seekOffset(c.maxOffset() + 100);
  CHECK(c.offset == c.maxOffset());
  size_t longest = 0;
  for (const auto& p : c.panes) {
    CHECK(p.viewer->replay->cursor() == std::min(p.anchor + static_cast<size_t>(c.offset), p.viewer->replay->size()));
    longest = std::max(longest, p.viewer->replay->size() - p.anchor);
  }
  CHECK(static_cast<size_t>(c.maxOffset()) == longest);
  c.seekOffset(-100000);
  CHECK(c.offset == c.minOffset());
  // Aligned on another event, the anchors move (the Read call comes before its EAGAIN).
  std::vector<size_t> before;
  for (const auto& p : c.panes) before.push_back(p.anchor);
  REQUIRE(c.realign("read", &err));
  for (size_t i = 0; i < c.panes.size(); ++i) CHECK(c.panes[i].anchor < before[i]);
  CHECK(c.offset == 0);
}

TEST_CASE("a lesson slide can compare runs side by side", "[viz][compare][lesson]") {
  auto dir = std::filesystem::temp_directory_path() / "pollscope-compare-lesson";
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& slides) {
    std::ofstream(dir / "c.lesson.json") << R"({"format":"pollscope-lesson","version":1,"title":"t","slides":[)"
                                         << slides << "]}";
    return (dir / "c.lesson.json").string();
  };
  viz::Lesson l;
  std::string err;
  CHECK_FALSE(viz::loadLesson(write(R"({"compare":["echo"],"title":"a","text":"b"})"), &l, &err));
  CHECK(err.find("\"compare\" must list 2 or 3 scenarios") != std::string::npos);
  CHECK_FALSE(viz::loadLesson(write(R"({"compare":["a","b"],"align":"sideways","title":"a","text":"b"})"), &l, &err));
  CHECK(err.find("\"align\" must be") != std::string::npos);

  viz::Viewer v;
  v.scenarioDir = kSource + "/scenarios";
  REQUIRE(v.loadNow(write(R"({"compare":["read-before-data","event-while-wait"],"offset":12,"view":"state",
                              "title":"a","text":"b"},
                             {"scenario":"echo","at":"start","title":"c","text":"d"})"),
                    &err));
  REQUIRE(v.errorMessage.empty());
  REQUIRE(v.compare);
  CHECK(v.compare->panes.size() == 2);
  CHECK(v.compare->offset == 12);
  // Ten events after EAGAIN in event-while-wait, the event has turned pdWait into pdReady.
  const auto& p = v.compare->panes[1];
  auto it = p.viewer->replay->state().sems.find({p.viewer->selection.pd, 'r'});
  REQUIRE(it != p.viewer->replay->state().sems.end());
  CHECK(it->second.state == trace::SemState::pdReady);
  v.goToSlide(1);  // an ordinary slide closes the comparison
  CHECK_FALSE(v.compare);
  REQUIRE(v.trace);
  std::filesystem::remove_all(dir);
}

TEST_CASE("lesson 5's slides show the three outcomes their titles name", "[viz][compare][lesson]") {
  viz::Viewer v;
  v.scenarioDir = kSource + "/scenarios";
  std::string err;
  REQUIRE(v.loadNow(kSource + "/docs/classroom/5-three-outcomes.lesson.json", &err));
  REQUIRE(v.lesson);
  // Per slide, what rg shows in read-before-data | data-before-park | event-while-wait,
  // in runs made now on the engine (not the golden traces).
  const char* const expected[][3] = {
      {"pdNil", "pdNil", "pdNil"},  // read(2) returned EAGAIN in all three
      {"G", "pdNil", "pdWait"},     // parked | the data not reported yet | about to park
      {"G", "pdReady", "pdReady"},  // the event arrives: nobody waits | during pdWait
      {"G", "pdNil", "pdNil"},      // consumed without a park | the aborted park swapped it back
      {"pdNil", "pdNil", "pdNil"},  // the parked reader was woken by netpoll
  };
  REQUIRE(v.lesson->slides.size() == std::size(expected));
  for (size_t i = 0; i < v.lesson->slides.size(); ++i) {
    INFO("slide " << i + 1 << ": " << v.lesson->slides[i].title.en);
    v.goToSlide(i);
    REQUIRE(v.errorMessage.empty());
    REQUIRE(v.compare);
    REQUIRE(v.compare->panes.size() == 3);
    for (size_t k = 0; k < 3; ++k) {
      const viz::Viewer& p = *v.compare->panes[k].viewer;
      INFO(p.trace->meta.scenario);
      auto it = p.replay->state().sems.find({p.selection.pd, 'r'});
      auto st = it == p.replay->state().sems.end() ? trace::SemState::pdNil : it->second.state;
      CHECK(trace::enumName(trace::FieldType::SemState, static_cast<int64_t>(st)) == expected[i][k]);
    }
  }
}
