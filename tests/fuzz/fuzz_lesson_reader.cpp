// libFuzzer target: the lesson reader rejects bad input with a message and never
// crashes or throws; whatever it accepts has slides whose texts are bounded and
// whose anchors resolve (or say why not) against a trace, and a scenario path.
#include <cstddef>
#include <cstdint>
#include <string>

#include "model/lesson.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  pollscope::viz::Lesson l;
  std::string err;
  if (!pollscope::viz::parseLesson(text, "fuzz/x.lesson.json", &l, &err)) {
    if (err.empty()) __builtin_trap();  // every rejection must say why
    return 0;
  }
  if (l.slides.empty()) __builtin_trap();
  pollscope::traceio::TraceModel none;  // no events: every event anchor must fail with a reason
  for (const auto& s : l.slides) {
    for (const auto* t : {&s.title.en, &s.title.zh, &s.text.en, &s.text.zh})
      if (t->size() > 4200) __builtin_trap();  // cut when read (ImGui's vertex limit)
    std::string why;
    auto at = pollscope::viz::resolveAnchor(none, s.at, &why);
    if (s.at.where == pollscope::viz::Anchor::Where::event && (at || why.empty())) __builtin_trap();
    (void)pollscope::viz::scenarioPathFor(l, s, "fuzz-scenarios");
  }
  return 0;
}
