// The trace of scenarios/echo.json, run now (tests that need a real trace).
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "scenario/scenario.hpp"

namespace pstest {

inline pollscope::traceio::TraceModel runEchoScenario() {
  pollscope::scenario::Scenario s;
  std::string err;
  INFO(err);
  REQUIRE(pollscope::scenario::loadScenarioFile(std::string(POLLSCOPE_SOURCE_DIR) + "/scenarios/echo.json", &s, &err));
  auto r = pollscope::scenario::runScenario(s);
  REQUIRE(r.ok);
  return std::move(r.trace);
}

}  // namespace pstest
