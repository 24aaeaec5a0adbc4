// libFuzzer target: scenario parsing rejects bad input with a message, never crashes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "scenario/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  pollscope::scenario::Scenario s;
  std::string err;
  if (!pollscope::scenario::parseScenario(text, "fuzz.json", &s, &err) && err.empty()) __builtin_trap();
  return 0;
}
