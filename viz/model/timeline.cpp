#include "model/timeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "trace/fields.hpp"

namespace pollscope::viz {
using trace::Kind;

std::vector<Lane> buildTimeline(const traceio::TraceModel& t) {
  std::vector<Lane> lanes;
  std::map<int64_t, size_t> gLane;
  std::map<std::pair<int64_t, char>, size_t> semLane;
  std::map<int16_t, size_t> pollLane;
  std::map<int16_t, std::pair<size_t, int>> pollOpen;  // M -> (start, blocking)
  auto extend = [](Lane& l, size_t at, int state) {
    if (!l.spans.empty()) l.spans.back().to = at;
    l.spans.push_back({at, at, state});
  };
  size_t n = t.events.size();
  for (size_t i = 0; i < n; ++i) {
    const auto& e = t.events[i];
    if (e.kind == Kind::gCreate || e.kind == Kind::gStatus) {
      auto gs = trace::as<Kind::gStatus>(e);
      int64_t g = gs ? gs->goid() : trace::View<Kind::gCreate>(e).goid();
      auto [it, fresh] = gLane.try_emplace(g, lanes.size());
      if (fresh) {
        auto name = t.goroutines.count(g) ? t.goroutines.at(g) : std::string();
        lanes.push_back({Lane::Kind::goroutine, fmt::format("G{} {}", g, name), g, 0, {}});
      }
      extend(lanes[it->second], i, gs ? static_cast<int>(gs->to()) : 0);
    } else if (e.kind == Kind::sem || e.kind == Kind::pdOpen) {
      auto s = trace::as<Kind::sem>(e);
      int64_t pd = s ? s->pd() : trace::View<Kind::pdOpen>(e).pd();
      int64_t fd = s ? s->fd() : trace::View<Kind::pdOpen>(e).fd();
      for (char m : {'r', 'w'}) {
        if (s && static_cast<int64_t>(s->mode()) != m) continue;
        auto [it, fresh] = semLane.try_emplace({pd, m}, lanes.size());
        if (fresh) lanes.push_back({Lane::Kind::semaphore, fmt::format("pd{} {}g (fd {})", pd, m, fd), pd, m, {}});
        extend(lanes[it->second], i, s ? static_cast<int>(s->to()) : 0);
      }
    } else if (e.kind == Kind::pollEnter && e.m >= 0) {
      pollOpen[e.m] = {i, trace::View<Kind::pollEnter>(e).delayNs() != 0 ? 1 : 0};
    } else if (e.kind == Kind::pollExit && e.m >= 0) {
      auto o = pollOpen.find(e.m);
      if (o == pollOpen.end()) continue;
      auto [it, fresh] = pollLane.try_emplace(e.m, lanes.size());
      if (fresh) lanes.push_back({Lane::Kind::netpoll, fmt::format("M{} netpoll", e.m), e.m, 0, {}});
      lanes[it->second].spans.push_back({o->second.first, i + 1, o->second.second});
      pollOpen.erase(o);
    }
  }
  for (auto& l : lanes)
    if (l.kind != Lane::Kind::netpoll && !l.spans.empty()) l.spans.back().to = n;
  // Goroutines first, then semaphores, then pollers: the order of the sequence view.
  std::stable_sort(lanes.begin(), lanes.end(),
                   [](const Lane& x, const Lane& y) { return static_cast<int>(x.kind) < static_cast<int>(y.kind); });
  return lanes;
}

}  // namespace pollscope::viz
