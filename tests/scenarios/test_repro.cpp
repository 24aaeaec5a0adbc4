// Reproducibility and golden traces.
#include <fstream>
#include <map>
#include <set>

#include "analysis/lint.hpp"
#include "scenarios/library.hpp"
#include "support/engine_harness.hpp"
#include "traceio/json.hpp"

using namespace pollscope;
using namespace pstest;

namespace {
std::string firstDifference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return "at " + std::to_string(i) + ": \"" + a[i] + "\" vs \"" + b[i] + "\"";
  return "lengths " + std::to_string(a.size()) + " vs " + std::to_string(b.size());
}

std::set<std::string> semKinds(const std::vector<std::string>& lines) {
  std::set<std::string> out;
  for (const auto& l : lines)
    if (l.rfind("sem ", 0) == 0 || l.rfind("park ", 0) == 0) {
      // keep the transition, drop which pd/goroutine it was on
      std::string k;
      std::istringstream in(l);
      std::string tok;
      while (in >> tok)
        if (tok.rfind("pd=", 0) != 0 && tok.rfind("from_g=", 0) != 0 && tok.rfind("to_g=", 0) != 0) k += tok + " ";
      out.insert(k);
    }
  return out;
}
}  // namespace

TEST_CASE("at GOMAXPROCS=1 twenty runs give the same normalised transitions", "[scenarios][repro]") {
  for (const auto& file : scenarioFiles()) {
    auto s = loadScenario(file);
    if (!s.deterministic) continue;  // threads racing on purpose (sysmon, two Ps)
    auto first = scenario::normalizedTransitions(scenario::runScenario(s).trace);
    REQUIRE(!first.empty());
    for (int i = 1; i < 20; ++i) {
      auto r = scenario::runScenario(s);
      REQUIRE(r.ok);
      auto again = scenario::normalizedTransitions(r.trace);
      INFO(file << " run " << i << ": " << firstDifference(first, again));
      CHECK(again == first);
      if (again != first) break;  // one report per scenario
    }
  }
}

TEST_CASE("every golden trace lints clean and matches what the engine records today", "[scenarios][golden]") {
  for (const auto& file : scenarioFiles()) {
    auto s = loadScenario(file);
    std::string golden = std::string(POLLSCOPE_SOURCE_DIR) + "/traces/" + s.name + ".trace.json";
    INFO(file << " -> " << golden << " (run `make traces` after a deliberate engine change)");
    traceio::TraceModel g;
    std::string err;
    REQUIRE(traceio::readTraceFile(golden, &g, &err));
    CHECK(lintReport(g) == "");
    CHECK(g.meta.scenario == s.name);
    auto now = scenario::runScenario(s);
    REQUIRE(now.ok);
    auto a = scenario::normalizedTransitions(g), b = scenario::normalizedTransitions(now.trace);
    if (s.deterministic) {
      INFO(firstDifference(a, b));
      CHECK(a == b);
    } else {
      CHECK(semKinds(a) == semKinds(b));
    }
  }
}

TEST_CASE("every golden trace has a scenario", "[scenarios][golden]") {
  std::set<std::string> names;
  for (const auto& f : scenarioFiles()) names.insert(loadScenario(f).name);
  for (const auto& e : std::filesystem::directory_iterator(std::string(POLLSCOPE_SOURCE_DIR) + "/traces")) {
    std::string fn = e.path().filename().string();
    if (fn.size() < 11 || fn.substr(fn.size() - 11) != ".trace.json") continue;
    INFO(fn);
    CHECK(names.count(fn.substr(0, fn.size() - 11)) == 1);
  }
}

TEST_CASE("each bad scenario in the corpus gives its error and no crash", "[scenarios][bad]") {
  std::string dir = std::string(POLLSCOPE_SOURCE_DIR) + "/tests/data/bad-scenarios/";
  std::ifstream list(dir + "expected-errors.txt");
  REQUIRE(list);
  std::string line;
  int n = 0;
  while (std::getline(list, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto sep = line.find(": ");
    REQUIRE(sep != std::string::npos);
    std::string file = line.substr(0, sep), want = line.substr(sep + 2);
    scenario::Scenario s;
    std::string err;
    INFO(file);
    CHECK_FALSE(scenario::loadScenarioFile(dir + file, &s, &err));
    INFO(err);
    CHECK(err.find(want) != std::string::npos);
    CHECK(err.find(file) != std::string::npos);  // names the file
    ++n;
  }
  CHECK(n >= 10);
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files += e.path().extension() == ".json";
  CHECK(files == static_cast<size_t>(n));  // every file in the corpus has an expectation
}
