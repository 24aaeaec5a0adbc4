// The documentation names every event kind and every value the engine can record.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

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
