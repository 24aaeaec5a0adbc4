#include <catch2/catch.hpp>

#include "analysis/lint.hpp"
#include "scenario/scenario.hpp"

using namespace pollscope;

TEST_CASE("echo.json meets its expectations and lints clean", "[scenario]") {
  scenario::Scenario s;
  std::string err;
  REQUIRE(scenario::loadScenarioFile(std::string(POLLSCOPE_SOURCE_DIR) + "/scenarios/echo.json", &s, &err));
  for (int procs : {1, 2}) {
    scenario::RunOptions o;
    o.gomaxprocs = procs;
    auto r = scenario::runScenario(s, o);
    INFO("GOMAXPROCS=" << procs);
    for (const auto& f : r.failures) INFO(f);
    CHECK(r.ok);
    CHECK(analysis::lint(r.trace).empty());
  }
}

TEST_CASE("a failed expectation names the step and why", "[scenario]") {
  std::string text = R"({"format":"pollscope-scenario","version":1,"name":"t","goroutines":[
    {"name":"s","steps":[{"op":"listen","as":"ln"},{"op":"accept","on":"ln","as":"c"},
                         {"op":"read","on":"c","size":8,"expect":"nope"}]},
    {"name":"c","steps":[{"op":"dial","addr":"@ln","as":"k"},{"op":"write","on":"k","data":"hello"},{"op":"close","on":"k"}]}]})";
  scenario::Scenario s;
  std::string err;
  REQUIRE(scenario::parseScenario(text, "t.json", &s, &err));
  auto r = scenario::runScenario(s);
  CHECK_FALSE(r.ok);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].find("goroutines[0].steps[2] (s read): expected to read \"nope\", got \"hello\"") !=
        std::string::npos);
}

TEST_CASE("bad scenarios are rejected before anything runs", "[scenario]") {
  struct Case {
    std::string text;
    const char* expect;
  };
  std::string head = R"({"format":"pollscope-scenario","version":1,"name":"x","goroutines":[{"name":"a","steps":[)";
  std::vector<Case> cases = {
      {"{", "parse error at line 1"},
      {"666666666666666e666661", "number overflow"},  // found by the fuzzer
      {"[]", "a scenario must be a JSON object"},
      {R"({"format":"nope","version":1})", "\"format\" must be \"pollscope-scenario\""},
      {R"({"format":"pollscope-scenario","version":7,"name":"x","goroutines":[]})", "version 7 is not supported"},
      {R"({"format":"pollscope-scenario","version":1,"name":"x","goroutines":[]})", "non-empty array"},
      {head + R"({"op":"reed","on":"c"}]}]})", "goroutines[0].steps[0]: unknown op \"reed\""},
      {head + R"({"op":"read","on":"c"}]}]})", "\"c\" is not created by any step"},
      {head + R"({"op":"sleep"}]}]})", "goroutines[0].steps[0]: missing \"ms\""},
      {head + R"({"op":"sleep","ms":"10"}]}]})", "\"ms\" must be an integer"},
      {head + R"({"op":"sleep","ms":10,"colour":1}]}]})", "unknown field \"colour\""},
      {head + R"({"op":"dial","addr":"@nobody","as":"c"}]}]})", "names no listener"},
      {head + R"({"op":"listen","as":"l","expect_error":"sad"}]}]})", "unknown \"expect_error\""},
  };
  for (const auto& c : cases) {
    scenario::Scenario s;
    std::string err;
    INFO(c.text);
    CHECK_FALSE(scenario::parseScenario(c.text, "bad.json", &s, &err));
    INFO(err);
    CHECK(err.find(c.expect) != std::string::npos);
  }
}

TEST_CASE("a step on a name of the wrong kind fails with the one look-up wording", "[scenario]") {
  struct Case {
    const char* step;
    const char* expect;
  };
  std::vector<Case> cases = {
      {R"({"op":"close_write","on":"ln"})", "goroutines[0].steps[2] (g close_write): \"ln\" is not a connection"},
      {R"({"op":"read","on":"ln"})", "goroutines[0].steps[2] (g read): \"ln\" is not a connection"},
      {R"({"op":"set_deadline","on":"ln","ms":5})",
       "goroutines[0].steps[2] (g set_deadline): \"ln\" is not a connection"},
      {R"({"op":"accept","on":"c","as":"x"})", "goroutines[0].steps[2] (g accept): \"c\" is not a listener"},
      {R"({"op":"dial","addr":"@c","as":"x"})", "goroutines[0].steps[2] (g dial): \"c\" is not a listener"},
  };
  for (const auto& c : cases) {
    std::string text = std::string(R"({"format":"pollscope-scenario","version":1,"name":"t","goroutines":[
      {"name":"g","steps":[{"op":"listen","as":"ln"},{"op":"dial","addr":"@ln","as":"c"},)") +
                       c.step + "]}]}";
    scenario::Scenario s;
    std::string err;
    INFO(c.step);
    REQUIRE(scenario::parseScenario(text, "t.json", &s, &err));
    auto r = scenario::runScenario(s);
    CHECK_FALSE(r.ok);
    REQUIRE(r.failures.size() == 1);
    CHECK(r.failures[0] == c.expect);
  }
}
