// libFuzzer target: the trace reader must reject any input with a message and
// never crash; whatever it accepts must lint and write without crashing.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "analysis/lint.hpp"
#include "traceio/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  pollscope::traceio::TraceModel t;
  std::string err;
  if (pollscope::traceio::readTrace(text, &t, &err)) {
    (void)pollscope::analysis::lint(t);
    std::ostringstream out;
    pollscope::traceio::writeTrace(out, t);
  } else if (err.empty()) {
    __builtin_trap();  // every rejection must say why
  }
  return 0;
}
