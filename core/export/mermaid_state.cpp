// Trace -> Mermaid stateDiagram-v2 of the transitions really taken, with counts.
#include <fmt/format.h>

#include <map>

#include "export/export.hpp"
#include "export/selection.hpp"
#include "trace/vocabulary.hpp"

namespace pollscope::exporting {
using trace::FieldType;
using trace::Kind;

std::string mermaidState(const traceio::TraceModel& t, const Filter& f, Machine m, std::optional<int64_t> pd) {
  // (from, to, label) -> count, in first-seen order for a stable layout.
  std::map<std::tuple<std::string, std::string, std::string>, int> counts;
  std::vector<std::tuple<std::string, std::string, std::string>> order;
  auto count = [&](std::string a, std::string b, std::string label) {
    auto key = std::make_tuple(a, b, label);
    if (counts[key]++ == 0) order.push_back(key);
  };
  for (const trace::Event* e : select(t, f)) {
    if (m == Machine::semaphore && e->kind == Kind::sem) {
      if (pd && e->a[0] != *pd) continue;
      count(std::string(trace::enumName(FieldType::SemState, e->a[3])),
            std::string(trace::enumName(FieldType::SemState, e->a[4])),
            std::string(trace::enumName(FieldType::SemBy, e->a[5])));
    } else if (m == Machine::goroutine && e->kind == Kind::gStatus) {
      std::string label = e->a[3] ? std::string(trace::enumName(FieldType::WaitReason, e->a[3])) : "";
      count(std::string(trace::enumName(FieldType::GStatus, e->a[1])),
            std::string(trace::enumName(FieldType::GStatus, e->a[2])), label);
    }
  }
  auto id = [](const std::string& s) {
    if (s == "G") return std::string("parked");
    std::string out;
    for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
    return out;
  };
  std::string out = "stateDiagram-v2\n";
  if (m == Machine::semaphore) {
    out += "  %% pollDesc rg/wg semaphore" + (pd ? " of pd" + std::to_string(*pd) : std::string(" (all pollDescs)")) +
           "\n";
    out += "  state \"G (a parked goroutine)\" as parked\n";
    out += "  [*] --> pdNil\n";
  } else {
    out += "  %% goroutine status\n";
    out += "  [*] --> _Gidle\n";
  }
  for (const auto& [a, b, label] : order) {
    int n = counts[{a, b, label}];
    std::string text = label.empty() ? fmt::format("×{}", n) : fmt::format("{} ×{}", label, n);
    out += fmt::format("  {} --> {} : {}\n", id(a), id(b), mermaidEscape(text));
  }
  if (m == Machine::goroutine) out += "  _Gdead --> [*]\n";
  return out;
}

}  // namespace pollscope::exporting
