// Lesson slides show what their titles name. Every slide of every lesson is
// opened in a Viewer (its scenario run on the real engine) and checked against
// a small table of claims a title can make: "rg"/"wg" (the selected mode),
// "A -> B" for rg/wg states (the event on screen is that transition of the
// selected pollDesc, in the state view), "commit ... fails" (a failed commit
// CAS of the selected pollDesc), a goroutine status (the goroutine shown is in
// it). Then lesson 1's race frames are checked on the state they show, and the
// "next visible step" on a real trace.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <regex>
#include <thread>

#include "model/live_run.hpp"
#include "model/viewer.hpp"
#include "scenario/scenario.hpp"
#include "trace/fields.hpp"
#include "trace/vocabulary.hpp"

using namespace pollscope;

namespace {
const std::string kSource = POLLSCOPE_SOURCE_DIR;

const trace::Event* current(const viz::Viewer& v) {
  return v.replay->current();
}

// One claim: the title pattern, and the check (empty: holds; else why not).
struct Claim {
  const char* name;
  std::regex pattern;
  std::function<std::string(const viz::Viewer&, const std::smatch&)> check;
};

std::string semStateName(trace::SemState s) {
  return std::string(trace::enumName(trace::FieldType::SemState, static_cast<int64_t>(s)));
}

std::vector<Claim> claims() {
  std::vector<Claim> out;
  out.push_back({"mode", std::regex(R"(\b(rg|wg)\b)"), [](const viz::Viewer& v, const std::smatch& m) {
                   char want = m[1] == "rg" ? 'r' : 'w';
                   return v.selection.mode == want ? "" : std::string("the selected mode is ") + v.selection.mode + "g";
                 }});
  out.push_back({"failed commit", std::regex(R"(commit.*fails)"), [](const viz::Viewer& v, const std::smatch&) {
                   auto p = current(v) ? trace::as<trace::Kind::park>(*current(v)) : std::nullopt;
                   if (!p || p->result() != trace::ParkResult::aborted)
                     return std::string("the event is no aborted park");
                   if (p->pd() != v.selection.pd || static_cast<char>(p->mode()) != v.selection.mode)
                     return std::string("the aborted park is not on the selected pollDesc");
                   return v.requestedView == viz::View::state ? "" : std::string("not the state view");
                 }});
  out.push_back({"transition", std::regex(R"(\b(pdNil|pdWait|pdReady|G) -> (pdNil|pdWait|pdReady|G)\b(?!.*fails))"),
                 [](const viz::Viewer& v, const std::smatch& m) {
                   auto s = current(v) ? trace::as<trace::Kind::sem>(*current(v)) : std::nullopt;
                   if (!s) return std::string("the event is no rg/wg transition");
                   if (s->pd() != v.selection.pd || static_cast<char>(s->mode()) != v.selection.mode)
                     return "the transition is on pd" + std::to_string(s->pd()) + ", not the selected pd" +
                            std::to_string(v.selection.pd) + "." + v.selection.mode + "g";
                   if (semStateName(s->from()) != m[1] || semStateName(s->to()) != m[2])
                     return "the transition is " + semStateName(s->from()) + " -> " + semStateName(s->to());
                   return v.requestedView == viz::View::state ? "" : std::string("not the state view");
                 }});
  out.push_back({"goroutine status", std::regex(R"((_G(?:idle|runnable|running|waiting|dead))\b(?!.*_G))"),
                 [](const viz::Viewer& v, const std::smatch& m) {
                   const auto& gs = v.replay->state().gstatus;
                   auto it = gs.find(v.selection.goroutine);
                   if (it == gs.end()) return std::string("no goroutine selected");
                   std::string now(trace::enumName(trace::FieldType::GStatus, static_cast<int64_t>(it->second)));
                   return now == m[1] ? "" : "G" + std::to_string(v.selection.goroutine) + " is " + now;
                 }});
  return out;
}
}  // namespace

TEST_CASE("every lesson slide shows the view, pollDesc and mode its title names", "[viz][lesson]") {
  auto rules = claims();
  std::map<std::string, int> fired;
  size_t slides = 0;
  for (const auto& f : std::filesystem::directory_iterator(kSource + "/docs/classroom")) {
    if (f.path().string().find(".lesson.json") == std::string::npos) continue;
    viz::Viewer v;
    v.scenarioDir = kSource + "/scenarios";
    std::string err;
    INFO(f.path().filename().string());
    REQUIRE(v.openLesson(f.path().string(), &err));
    for (size_t i = 0; i < v.lesson->slides.size(); ++i) {
      v.goToSlide(i);
      REQUIRE(v.errorMessage.empty());
      const std::string& title = v.lesson->slides[i].title.en;
      INFO("slide " << i + 1 << ": " << title);
      ++slides;
      // Whatever the title says: a state slide stops on its selected pollDesc, in its mode.
      // (A compare slide has no run of its own: its panes are checked by lesson 5's test.)
      if (v.requestedView == viz::View::state && !v.compare && current(v)) {
        if (auto pd = trace::fieldValue(*current(v), "pd"); pd && *pd) CHECK(*pd == v.selection.pd);
        if (auto mode = trace::fieldValue(*current(v), "mode"); mode && (*mode == 'r' || *mode == 'w'))
          CHECK(static_cast<char>(*mode) == v.selection.mode);
      }
      for (const auto& rule : rules) {
        std::smatch m;
        if (!std::regex_search(title, m, rule.pattern)) continue;
        ++fired[rule.name];
        INFO("claim: " << rule.name);
        CHECK(rule.check(v, m) == "");
      }
    }
  }
  CHECK(slides >= 18);
  // The table is not idle: every claim is made by some slide.
  for (const auto& rule : rules) CHECK(fired[rule.name] >= 1);
}

TEST_CASE("lesson 1 draws race 2 in three frames: pdReady, the failed commit, the goroutine running on",
          "[viz][lesson]") {
  viz::Viewer v;
  v.scenarioDir = kSource + "/scenarios";
  std::string err;
  REQUIRE(v.openLesson(kSource + "/docs/classroom/1-read-path.lesson.json", &err));
  std::vector<size_t> frames;
  for (size_t i = 0; i < v.lesson->slides.size(); ++i)
    if (v.lesson->slides[i].title.en.rfind("Race 2", 0) == 0) frames.push_back(i);
  REQUIRE(frames.size() == 3);
  auto rg = [&] { return v.replay->state().sems.at({v.selection.pd, 'r'}).state; };
  auto status = [&] { return v.replay->state().gstatus.at(v.selection.goroutine); };

  v.goToSlide(frames[0]);
  CHECK(rg() == trace::SemState::pdReady);      // the event made it pdReady...
  CHECK(status() == trace::GStatus::Gwaiting);  // ...while the reader was on its way to park
  CHECK(v.threadLanes());
  int64_t reader = v.selection.goroutine;

  v.goToSlide(frames[1]);
  auto park = trace::as<trace::Kind::park>(*current(v));
  REQUIRE(park);
  CHECK(park->result() == trace::ParkResult::aborted);
  CHECK(rg() == trace::SemState::pdReady);  // the commit did not store the G
  CHECK(v.selection.goroutine == reader);   // the park is the reader's, though park_m runs on g0

  v.goToSlide(frames[2]);
  CHECK(status() == trace::GStatus::Grunning);  // it runs on, never woken
  CHECK(v.selection.goroutine == reader);
  CHECK(rg() == trace::SemState::pdReady);  // netpollblock's swap comes next
}

TEST_CASE("the next visible step skips bookkeeping; single steps still reach it", "[viz][player]") {
  viz::Viewer v;
  std::string err;
  REQUIRE(v.loadNow(kSource + "/traces/read-before-data.trace.json", &err));
  v.seek(0);
  size_t visits = 0, skipped = 0;
  while (v.replay->cursor() < v.replay->size()) {
    size_t from = v.replay->cursor();
    v.stepVisible();
    size_t to = v.replay->cursor();
    REQUIRE(to > from);
    ++visits;
    // Everything passed over is bookkeeping; where it stops a view draws something (or the trace ended).
    for (size_t i = from; i + 1 < to; ++i) {
      CHECK_FALSE(v.isVisibleStep(i));
      ++skipped;
    }
    if (to < v.replay->size()) CHECK(v.isVisibleStep(to - 1));
  }
  CHECK(skipped > visits / 2);  // gstatus, fdmu, checkerr, step markers...: many
  // Single steps reach a skipped event.
  v.seek(0);
  size_t firstHidden = 0;
  while (v.isVisibleStep(firstHidden)) ++firstHidden;
  for (size_t i = 0; i <= firstHidden; ++i) v.stepForward();
  CHECK(v.replay->cursor() == firstHidden + 1);
  CHECK_FALSE(v.isVisibleStep(v.replay->cursor() - 1));
}

TEST_CASE("a live run opens paused on event 0 with a hint; the right arrow shows the first event", "[viz][live]") {
  scenario::Scenario s;
  std::string err;
  REQUIRE(scenario::loadScenarioFile(kSource + "/scenarios/read-before-data.json", &s, &err));
  viz::Viewer v;
  v.startLive(s);
  CHECK_FALSE(v.playing);
  CHECK(v.startHint.find("Space plays") != std::string::npos);
  // The engine records its first event and waits at the gate; the view stays on event 0.
  for (auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
       (v.live->gate().waiting() == 0 || v.trace->events.size() < v.live->recorded() || v.trace->events.empty()) &&
       std::chrono::steady_clock::now() < until;) {
    v.update(0.1);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  for (int i = 0; i < 20; ++i) v.update(0.5);  // time passes: nothing plays
  CHECK(v.replay->cursor() == 0);
  CHECK(v.trace->events.size() == 1);
  v.stepForward();
  CHECK(v.replay->cursor() == 1);
  CHECK(v.startHint.empty());
  v.live.reset();
}

TEST_CASE("a click off the slide's event says so, and Backspace goes back", "[viz][lesson]") {
  viz::Viewer v;
  v.scenarioDir = kSource + "/scenarios";
  std::string err;
  REQUIRE(v.openLesson(kSource + "/docs/classroom/1-read-path.lesson.json", &err));
  v.goToSlide(1);
  size_t at = v.replay->cursor();
  CHECK_FALSE(v.offSlide());
  v.selectEvent(at + 5);  // a message clicked in the diagram
  CHECK(v.offSlide());
  CHECK(v.slide == 1);  // the slide stays; the banner says the picture is not its
  v.backToSlide();
  CHECK_FALSE(v.offSlide());
  CHECK(v.replay->cursor() == at);
  // The questions: answers one by one, then hidden again.
  v.goToSlide(v.lesson->slides.size());
  CHECK(v.answersShown() == 0);
  for (size_t i = 1; i <= v.lesson->questions.size(); ++i) {
    v.revealNextAnswer();
    CHECK(v.answersShown() == i);
  }
  v.revealNextAnswer();
  CHECK(v.answersShown() == 0);
}
