// Every scenario in scenarios/ runs on the engine, meets its step expectations and
// its expect_trace checks (the key transitions it exists to show), and lints clean.
#include "analysis/lint.hpp"
#include "scenarios/library.hpp"
#include "support/engine_harness.hpp"

using namespace pollscope;
using namespace pstest;

TEST_CASE("the library has at least 15 scenarios", "[scenarios]") {
  CHECK(scenarioFiles().size() >= 15);
}

TEST_CASE("every scenario meets its expectations and lints clean", "[scenarios]") {
  for (const auto& file : scenarioFiles()) {
    auto s = loadScenario(file);
    auto r = scenario::runScenario(s);
    INFO(file << "\n" << failuresOf(r));
    CHECK(r.ok);
    CHECK(!s.checks.empty());  // each scenario asserts the transitions it is for
    CHECK(lintReport(r.trace) == "");
    CHECK(r.trace.steps.size() == static_cast<size_t>(s.stepCount));
  }
}

TEST_CASE("at GOMAXPROCS=2 every scenario still meets its step expectations and lints clean", "[scenarios][mp]") {
  for (const auto& file : scenarioFiles()) {
    auto s = loadScenario(file);
    scenario::RunOptions o;
    o.gomaxprocs = 2;
    o.traceChecks = false;  // stories like sysmon-poll are about their own GOMAXPROCS
    auto r = scenario::runScenario(s, o);
    INFO(file << "\n" << failuresOf(r));
    CHECK(r.ok);
    CHECK(lintReport(r.trace) == "");
  }
}

// Serving with --no-trace: the engine runs with no recorder at all.
TEST_CASE("a run with record = false records no event and still meets its step expectations", "[scenarios]") {
  auto s = loadScenario(std::string(POLLSCOPE_SOURCE_DIR) + "/scenarios/echo.json");
  scenario::RunOptions o;
  o.record = false;
  o.traceChecks = false;  // expect_trace needs the events
  auto r = scenario::runScenario(s, o);
  INFO(failuresOf(r));
  CHECK(r.ok);
  CHECK(r.trace.events.empty());
  CHECK(!scenario::runScenario(s).trace.events.empty());  // the same story, recorded
}
