// libFuzzer target: the trace reader must reject any input with a message and
// never crash; whatever it accepts must lint and write without crashing. The
// fast path (simdjson, chunked) must never accept what the careful SAX reader
// rejects, and must read exactly the same model when both accept.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "analysis/lint.hpp"
#include "trace/fields.hpp"
#include "traceio/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  pollscope::traceio::TraceModel t;
  std::string err;
  pollscope::traceio::TraceModel careful;
  std::string carefulErr;
  bool saxOk = pollscope::traceio::readTraceSaxOnly(text, &careful, &carefulErr);
  bool ok = pollscope::traceio::readTrace(text, &t, &err);
  if (ok != saxOk) __builtin_trap();
  if (!ok && err != carefulErr) __builtin_trap();  // the SAX reader's message, always
  if (ok) {
    if (t.events.size() != careful.events.size() || t.goroutines != careful.goroutines ||
        t.steps.size() != careful.steps.size())
      __builtin_trap();
    for (size_t i = 0; i < t.events.size(); ++i) {
      const auto &a = t.events[i], &b = careful.events[i];
      if (a.seq != b.seq || a.ts != b.ts || a.g != b.g || a.m != b.m || a.p != b.p || a.kind != b.kind ||
          (a.site == nullptr) != (b.site == nullptr) || (a.site && a.site->line != b.site->line))
        __builtin_trap();
      if (!pollscope::trace::sameFields(a, b)) __builtin_trap();
    }
  }
  if (ok) {
    (void)pollscope::analysis::lint(t);
    std::ostringstream out;
    pollscope::traceio::writeTrace(out, t);
  } else if (err.empty()) {
    __builtin_trap();  // every rejection must say why
  }
  return 0;
}
