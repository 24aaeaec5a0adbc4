// The scenario library on disk: every scenarios/*.json, loaded and checked.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace pstest {

// Stories that run by themselves (serving scenarios need --listen and a peer).
inline std::vector<std::string> scenarioFiles() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(std::string(POLLSCOPE_SOURCE_DIR) + "/scenarios"))
    if (e.path().extension() == ".json") {
      pollscope::scenario::Scenario s;
      std::string err;
      if (pollscope::scenario::loadScenarioFile(e.path().string(), &s, &err) && s.serve) continue;
      out.push_back(e.path().string());
    }
  std::sort(out.begin(), out.end());
  return out;
}

inline pollscope::scenario::Scenario loadScenario(const std::string& path) {
  pollscope::scenario::Scenario s;
  std::string err;
  INFO(err);
  REQUIRE(pollscope::scenario::loadScenarioFile(path, &s, &err));
  return s;
}

inline std::string failuresOf(const pollscope::scenario::RunResult& r) {
  std::string out;
  for (const auto& f : r.failures) out += f + "\n";
  return out;
}

}  // namespace pstest
