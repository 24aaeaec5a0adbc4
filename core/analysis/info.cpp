#include "analysis/info.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "trace/vocabulary.hpp"

namespace pollscope::analysis {

std::string info(const traceio::TraceModel& t) {
  std::map<std::string, size_t> perKind;
  std::set<int64_t> pds, fds;
  std::set<int16_t> ms;
  size_t parks = 0, consumed = 0, aborted = 0, stale = 0;
  for (const auto& e : t.events) {
    perKind[trace::kindSpec(e.kind).name]++;
    if (e.m >= 0) ms.insert(e.m);
    if (e.kind == trace::Kind::pdOpen) {
      pds.insert(e.a[0]);
      fds.insert(e.a[1]);
    }
    if (e.kind == trace::Kind::park) {
      if (e.a[3] == 0) ++parks;
      if (e.a[3] == 1) ++aborted;
    }
    if (e.kind == trace::Kind::sem && e.a[5] == static_cast<int64_t>(trace::SemBy::blockConsume)) ++consumed;
    if (e.kind == trace::Kind::pollEvent && e.a[6] == static_cast<int64_t>(trace::PollAction::staleDrop)) ++stale;
  }
  std::string out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "scenario:    {}\n", t.meta.scenario.empty() ? "(none)" : t.meta.scenario);
  if (!t.meta.titleEn.empty()) fmt::format_to(it, "title:       {}\n", t.meta.titleEn);
  fmt::format_to(it, "engine:      {} {} ({} backend, GOMAXPROCS={})\n", t.meta.engine, t.meta.engineVersion,
                 t.meta.backend.empty() ? "?" : t.meta.backend, t.meta.gomaxprocs);
  double ms_ = t.events.empty() ? 0 : static_cast<double>(t.events.back().ts - t.events.front().ts) / 1e6;
  fmt::format_to(it, "events:      {} over {:.3f} ms{}\n", t.events.size(), ms_,
                 t.meta.ring ? fmt::format(" (flight recorder, {} overwritten)", t.meta.overwritten) : "");
  fmt::format_to(it, "goroutines:  {}\n", t.goroutines.size());
  for (const auto& [id, name] : t.goroutines) fmt::format_to(it, "  G{:<4} {}\n", id, name);
  fmt::format_to(it, "Ms:          {}\n", ms.size());
  fmt::format_to(it, "pollDescs:   {} (fds opened: {})\n", pds.size(), fds.size());
  fmt::format_to(it, "parks:       {} committed, {} aborted, {} pdReady consumed without parking\n", parks, aborted,
                 consumed);
  fmt::format_to(it, "stale events dropped: {}\n", stale);
  fmt::format_to(it, "by kind:\n");
  for (const auto& [k, n] : perKind) fmt::format_to(it, "  {:<16} {}\n", k, n);
  return out;
}

}  // namespace pollscope::analysis
