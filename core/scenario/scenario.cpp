#include "scenario/scenario.hpp"

#include <functional>

#include "trace/fields.hpp"

namespace pollscope::scenario {

std::vector<std::pair<const Step*, std::string>> allSteps(const Scenario& s) {
  std::vector<std::pair<const Step*, std::string>> out(static_cast<size_t>(s.stepCount));
  std::function<void(const std::vector<Step>&, const std::string&)> walk = [&](const std::vector<Step>& steps,
                                                                               const std::string& g) {
    for (const auto& st : steps) {
      out[static_cast<size_t>(st.id)] = {&st, g};
      walk(st.body, st.op == Op::go ? st.goroutineName : g);
    }
  };
  for (const auto& g : s.goroutines) walk(g.steps, g.name);
  return out;
}

std::vector<std::string> normalizedTransitions(const traceio::TraceModel& t) {
  using trace::FieldType;
  using trace::Kind;
  std::vector<std::string> out;
  for (const auto& e : t.events) {
    switch (e.kind) {
      case Kind::sem:
      case Kind::park:
      case Kind::user:
      case Kind::pdOpen:
      case Kind::pdFree:
      case Kind::netpollReady:
      case Kind::deadlineFire:
      case Kind::step: break;
      default: continue;
    }
    std::string line = trace::kindSpec(e.kind).name;
    for (trace::FieldValue f : trace::fieldsOf(e)) {
      auto type = f.spec.type;
      // Keep what the story decides; drop what the machine decides (fd numbers,
      // byte counts, errno of the moment, times, seq numbers of timers).
      if (type == FieldType::Fd || type == FieldType::Duration) continue;
      if (type == FieldType::Int && e.kind != Kind::step) continue;
      line += ' ';
      line += f.spec.name;
      line += '=';
      line += trace::formatValue(type, f.raw);
    }
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace pollscope::scenario
