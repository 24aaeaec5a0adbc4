// The documentation names every event kind and every value the engine can record,
// and every scenario op and field.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "scenario/op_table.hpp"
#include "trace/vocabulary.hpp"

using namespace pollscope::trace;

TEST_CASE("docs/trace-format.md documents every event kind and field", "[docs]") {
  std::ifstream in(std::string(POLLSCOPE_SOURCE_DIR) + "/docs/trace-format.md");
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  for (int k = 0; k < kKindCount; ++k) {
    const auto& spec = kindSpec(static_cast<Kind>(k));
    INFO(spec.name);
    CHECK(doc.find(std::string("`") + spec.name + "`") != std::string::npos);
    for (int i = 0; i < spec.fieldCount(); ++i) {
      INFO(spec.fields[i].name);
      CHECK(doc.find(std::string("`") + spec.fields[i].name + "`") != std::string::npos);
    }
  }
}

TEST_CASE("docs/scenario-format.md documents every scenario op and its fields", "[docs]") {
  std::ifstream in(std::string(POLLSCOPE_SOURCE_DIR) + "/docs/scenario-format.md");
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  for (const auto& spec : pollscope::scenario::opTable()) {
    INFO(spec.name);
    CHECK(doc.find(std::string("`") + spec.name + "`") != std::string::npos);
    for (const auto& f : spec.fields) {
      INFO(f.name);
      CHECK(doc.find(std::string("`") + f.name + "`") != std::string::npos);
    }
  }
  for (const auto& f : pollscope::scenario::commonStepFields())
    CHECK(doc.find(std::string("`") + f.name + "`") != std::string::npos);
}
