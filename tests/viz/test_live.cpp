// The viewer's model pieces that run the engine: a live run copied into a trace
// model while the engine works, and classroom lessons checked against real runs.
// Kept apart from test_player.cpp so the model-only tests link no engine object
// (tests/layers checks that binary).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "model/lesson.hpp"
#include "model/live_run.hpp"
#include "scenario/scenario.hpp"

using namespace pollscope;
using namespace std::chrono_literals;

namespace {
const std::string kSource = POLLSCOPE_SOURCE_DIR;

std::string tempDir() {
  auto d = std::filesystem::temp_directory_path() / ("pollscope-viz-live-" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d.string();
}
}  // namespace

TEST_CASE("a live run is copied event by event, in order, and ends with the whole trace", "[viz][live]") {
  scenario::Scenario s;
  std::string err;
  REQUIRE(scenario::loadScenarioFile(kSource + "/scenarios/read-before-data.json", &s, &err));
  viz::LiveRun live(s, /*paused=*/true);
  auto model = live.startModel();
  CHECK(model->meta.scenario == s.name);
  CHECK_FALSE(model->steps.empty());
  // Step the engine 30 times; the copy grows by one event each time, seq without gaps.
  for (int i = 0; i < 30; ++i) {
    for (auto until = std::chrono::steady_clock::now() + 10s;
         live.gate().waiting() == 0 && std::chrono::steady_clock::now() < until;)
      std::this_thread::sleep_for(1ms);
    live.refresh(*model);
    REQUIRE(model->events.size() == static_cast<size_t>(i + 1));
    live.gate().step();
  }
  for (size_t i = 0; i < model->events.size(); ++i) CHECK(model->events[i].seq == i);
  live.gate().resume();
  while (!live.finished()) std::this_thread::sleep_for(1ms);
  live.refresh(*model);
  auto& result = live.result();
  CHECK(result.ok);
  CHECK(model->events.size() == result.trace.events.size());
  // Goroutines named by their scenario steps while live, as the final trace names them.
  for (const auto& [id, name] : model->goroutines)
    if (name != "main") CHECK(result.trace.goroutines.at(id) == name);
}

TEST_CASE("every classroom lesson loads and every slide finds its event in a real run", "[viz][lesson]") {
  size_t lessons = 0;
  for (const auto& f : std::filesystem::directory_iterator(kSource + "/docs/classroom")) {
    if (f.path().string().find(".lesson.json") == std::string::npos) continue;
    viz::Lesson l;
    std::string err;
    INFO(f.path());
    REQUIRE(viz::loadLesson(f.path().string(), &l, &err));
    CHECK_FALSE(l.title.zh.empty());
    CHECK(l.questions.size() >= 2);
    for (const auto& q : l.questions) CHECK((!q.a.en.empty() && !q.a.zh.empty() && !q.q.zh.empty()));
    std::map<std::string, scenario::RunResult> runs;
    for (size_t i = 0; i < l.slides.size(); ++i) {
      const auto& s = l.slides[i];
      INFO("slide " << i + 1 << ": " << s.title.en);
      CHECK_FALSE(s.text.zh.empty());
      std::string path = viz::scenarioPathFor(l, s, kSource + "/scenarios");
      if (!runs.count(path)) {
        scenario::Scenario sc;
        REQUIRE(scenario::loadScenarioFile(path, &sc, &err));
        runs[path] = scenario::runScenario(sc);
        REQUIRE(runs[path].ok);
      }
      auto at = viz::resolveAnchor(runs[path].trace, s.at, &err);
      INFO(err);
      REQUIRE(at);
      if (s.at.where == viz::Anchor::Where::event) CHECK(runs[path].trace.events[*at - 1].kind == s.at.kind);
    }
    ++lessons;
  }
  CHECK(lessons >= 4);
}

// Hidden from discovery: the abandoned run is, on purpose, never freed, which
// LeakSanitizer would report; tests/CMakeLists.txt runs it in the normal build only.
TEST_CASE("closing a live run that never ends does not hang the viewer", "[.][live-hang]") {
  // The server reads, and nobody ever writes: the run waits in the poller forever.
  std::string path = tempDir() + "/never-ends.json";
  std::ofstream(path) << R"({"format": "pollscope-scenario", "version": 1, "name": "never-ends",
    "title": {"en": "A read nobody answers"}, "settings": {"gomaxprocs": 1, "timeout_ms": 10000},
    "goroutines": [
      {"name": "server", "steps": [{"op": "listen", "as": "ln"}, {"op": "accept", "on": "ln", "as": "s"},
                                   {"op": "read", "on": "s", "size": 64}]},
      {"name": "client", "steps": [{"op": "dial", "addr": "@ln", "as": "c"}]}]})";
  scenario::Scenario s;
  std::string err;
  REQUIRE(scenario::loadScenarioFile(path, &s, &err));
  auto started = std::chrono::steady_clock::now();
  {
    viz::LiveRun live(s, /*paused=*/false);
    std::this_thread::sleep_for(100ms);
    CHECK_FALSE(live.finished());
  }  // the destructor waits a bounded time, then leaves the run to itself
  auto took = std::chrono::steady_clock::now() - started;
  CHECK(took < viz::LiveRun::kEndWait + 2s);
}
