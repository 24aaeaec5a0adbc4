#include <catch2/catch.hpp>

#include "analysis/lint.hpp"
#include "scenario/op_table.hpp"
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

TEST_CASE("every op in the table has its name, and its name finds it", "[scenario][ops]") {
  REQUIRE(scenario::opTable().size() == static_cast<size_t>(scenario::kOpCount));
  for (int i = 0; i < scenario::kOpCount; ++i) {
    auto op = static_cast<scenario::Op>(i);
    INFO(scenario::opName(op));
    REQUIRE(scenario::findOp(scenario::opName(op)) != nullptr);
    CHECK(scenario::findOp(scenario::opName(op))->op == op);
    CHECK(scenario::opSpec(op).handler != nullptr);
    CHECK(std::string(scenario::opSpec(op).summary) != "");
  }
  CHECK(scenario::findOp("acept") == nullptr);
}

namespace {
// A step of `spec` with every required field valid, and `field` set to `value`.
std::string stepWith(const scenario::OpSpec& spec, const std::string& field, const std::string& value) {
  using K = scenario::FieldKind;
  std::string step = std::string(R"({"op":")") + spec.name + "\"";
  for (const auto& f : spec.fields) {
    std::string v;
    if (f.name == field)
      v = value;
    else if (!f.required)
      continue;
    else if (f.kind == K::integer || f.kind == K::msOrNull)
      v = std::to_string(f.lo);
    else if (f.kind == K::steps)
      v = "[]";
    else
      v = "\"x\"";
    step += std::string(",\"") + f.name + "\":" + v;
  }
  bool inTable = false;
  for (const auto& f : spec.fields) inTable = inTable || f.name == field;
  if (!field.empty() && !inTable) step += ",\"" + field + "\":" + value;
  return step + "}";
}

std::string parseError(const std::string& step) {
  std::string text =
      R"({"format":"pollscope-scenario","version":1,"name":"t","goroutines":[{"name":"g","steps":[)" + step + "]}]}";
  scenario::Scenario s;
  std::string err;
  if (scenario::parseScenario(text, "t.json", &s, &err)) return "";
  return err;
}
}  // namespace

TEST_CASE("the parser enforces every field's bounds and choices as the op table gives them", "[scenario][ops]") {
  int checked = 0;
  for (const auto& spec : scenario::opTable()) {
    for (const auto& f : spec.fields) {
      INFO(spec.name << "." << f.name);
      if (f.kind == scenario::FieldKind::integer || f.kind == scenario::FieldKind::msOrNull) {
        std::string range =
            std::string("\"") + f.name + "\" must be " + std::to_string(f.lo) + ".." + std::to_string(f.hi);
        if (f.hi < INT64_MAX)
          CHECK(parseError(stepWith(spec, f.name, std::to_string(f.hi + 1))).find(range) != std::string::npos);
        if (f.lo > INT64_MIN)
          CHECK(parseError(stepWith(spec, f.name, std::to_string(f.lo - 1))).find(range) != std::string::npos);
        CHECK(parseError(stepWith(spec, f.name, "\"7\"")).find("must be an integer") != std::string::npos);
        ++checked;
      } else if (f.kind == scenario::FieldKind::choice) {
        // The row's own message (wait_parked's mode), else `unknown NAME "VALUE" (CHOICES)`.
        std::string err = parseError(stepWith(spec, f.name, "\"zzz\""));
        CHECK(err.find(f.badChoice ? f.badChoice : std::string("unknown ") + f.name + " \"zzz\" (") !=
              std::string::npos);
        ++checked;
      } else if (f.kind == scenario::FieldKind::name) {
        CHECK(parseError(stepWith(spec, f.name, "\"\"")).find(std::string("\"") + f.name + "\" must not be empty") !=
              std::string::npos);
        ++checked;
      }
      if (f.required) {
        std::string without = stepWith(spec, "", "");
        auto at = without.find(std::string(",\"") + f.name + "\":");
        REQUIRE(at != std::string::npos);
        auto end = without.find_first_of(",}", without.find(':', at) + 1);
        if (without[without.find(':', at) + 1] == '[') end = without.find(']', at) + 1;
        without.erase(at, end - at);
        CHECK(parseError(without).find(std::string("missing \"") + f.name + "\"") != std::string::npos);
      }
    }
    CHECK(parseError(stepWith(spec, "", "")).find("unknown field") == std::string::npos);
    INFO(spec.name);
    CHECK(parseError(stepWith(spec, "colour", "1")).find("unknown field \"colour\" for this op") != std::string::npos);
  }
  CHECK(checked > 40);
}

namespace {
// A scenario whose one goroutine nests `depth` bodies, alternating loop and go, around a
// sleep and a read/write pair on a socket made at the top.
std::string nested(int depth) {
  std::string open, close;
  for (int i = 0; i < depth; ++i) {
    open += i % 2 ? R"({"op":"go","name":"g)" + std::to_string(i) + R"(","steps":[)"
                  : std::string(R"({"op":"loop","times":1,"steps":[)");
    close += "]}";
  }
  return R"({"format":"pollscope-scenario","version":1,"name":"deep","goroutines":[{"name":"a","steps":[)"
         R"({"op":"listen","as":"ln"},{"op":"dial","addr":"@ln","as":"c"},{"op":"accept","on":"ln","as":"s"},)" +
         open + R"({"op":"sleep","ms":0},{"op":"write","on":"c","data":"x"},{"op":"read","on":"s","expect":"x"})" +
         close + "]}]}";
}
}  // namespace

// Issue #18: about 400 nested loops overflowed a goroutine's stack in the runner (300 under
// ASan) and about 7,000 the parser's own; the depth is now limited when the file is read.
TEST_CASE("loop and go nest up to the limit and run; deeper is refused when parsed", "[scenario][limits]") {
  scenario::Scenario s;
  std::string err;
  REQUIRE(scenario::parseScenario(nested(scenario::kMaxStepNesting), "deep.json", &s, &err));
  auto r = scenario::runScenario(s);
  for (const auto& f : r.failures) INFO(f);
  CHECK(r.ok);
  CHECK(analysis::lint(r.trace).empty());

  for (int depth : {scenario::kMaxStepNesting + 1, 100000}) {
    INFO(depth);
    CHECK_FALSE(scenario::parseScenario(nested(depth), "deep.json", &s, &err));
    CHECK(err.find("\"loop\" and \"go\" are nested more than 64 deep") != std::string::npos);
  }
}
