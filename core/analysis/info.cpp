#include "analysis/info.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "trace/fields.hpp"

namespace pollscope::analysis {

std::string info(const traceio::TraceModel& t) {
  std::map<std::string, size_t> perKind;
  std::set<int64_t> pds, fds;
  std::set<int16_t> ms;
  size_t parks = 0, consumed = 0, aborted = 0, stale = 0;
  for (const auto& e : t.events) {
    perKind[trace::kindSpec(e.kind).name]++;
    if (e.m >= 0) ms.insert(e.m);
    using trace::Kind;
    if (auto o = trace::as<Kind::pdOpen>(e)) {
      pds.insert(o->pd());
      fds.insert(o->fd());
    }
    if (auto p = trace::as<Kind::park>(e)) {
      if (p->result() == trace::ParkResult::committed) ++parks;
      if (p->result() == trace::ParkResult::aborted) ++aborted;
    }
    if (auto s = trace::as<Kind::sem>(e); s && s->by() == trace::SemBy::blockConsume) ++consumed;
    if (auto p = trace::as<Kind::pollEvent>(e); p && p->action() == trace::PollAction::staleDrop) ++stale;
  }
  std::string out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "scenario:    {}\n", t.meta.scenario.empty() ? "(none)" : t.meta.scenario);
  if (!t.meta.titleEn.empty()) fmt::format_to(it, "title:       {}\n", t.meta.titleEn);
  fmt::format_to(it, "engine:      {} {} ({} backend, GOMAXPROCS={})\n", t.meta.engine, t.meta.engineVersion,
                 t.meta.backend.empty() ? "?" : t.meta.backend, t.meta.gomaxprocs);
  double ms_ =
      t.events.empty() ? 0 : (static_cast<double>(t.events.back().ts) - static_cast<double>(t.events.front().ts)) / 1e6;
  fmt::format_to(it, "events:      {} over {:.3f} ms{}\n", t.events.size(), ms_,
                 t.meta.ring ? fmt::format(" (flight recorder, {} overwritten)", t.meta.overwritten) : "");
  if (!t.meta.partial.empty()) fmt::format_to(it, "partial:     {}\n", t.meta.partial);
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
