// Trace -> Mermaid stateDiagram-v2 of the transitions really taken, with counts.
#include <fmt/format.h>

#include <map>

#include "export/export.hpp"
#include "export/selection.hpp"
#include "trace/fields.hpp"

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
    if (auto s = trace::as<Kind::sem>(*e); s && m == Machine::semaphore) {
      if (pd && s->pd() != *pd) continue;
      count(std::string(trace::name(s->from())), std::string(trace::name(s->to())), std::string(trace::name(s->by())));
    } else if (auto g = trace::as<Kind::gStatus>(*e); g && m == Machine::goroutine) {
      std::string label = g->reason() != trace::WaitReason::none ? std::string(trace::name(g->reason())) : "";
      count(std::string(trace::name(g->from())), std::string(trace::name(g->to())), label);
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
