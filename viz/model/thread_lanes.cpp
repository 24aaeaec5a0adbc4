#include "model/thread_lanes.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "trace/fields.hpp"

namespace pollscope::viz {

int ThreadLanesModel::laneOf(int m) const {
  auto it = std::lower_bound(ms.begin(), ms.end(), m);
  return it != ms.end() && *it == m ? static_cast<int>(it - ms.begin()) : -1;
}

ThreadLanesModel buildThreadLanes(const traceio::TraceModel& t) {
  ThreadLanesModel out;
  out.events = t.events.size();
  std::set<int> ms;
  std::map<int, size_t> asleepSince;  // M -> its blocking poll_enter
  for (size_t i = 0; i < t.events.size(); ++i) {
    const trace::Event& e = t.events[i];
    if (e.m < 0) continue;  // a thread outside the runtime
    ms.insert(e.m);
    if (auto enter = trace::as<trace::Kind::pollEnter>(e); enter && enter->delayNs() != 0) {
      asleepSince[e.m] = i;
    } else if (trace::as<trace::Kind::pollExit>(e)) {
      if (auto it = asleepSince.find(e.m); it != asleepSince.end()) {
        out.sleeps.push_back({e.m, it->second, i});
        asleepSince.erase(it);
      }
    }
  }
  for (const auto& [m, from] : asleepSince) out.sleeps.push_back({m, from, t.events.size()});
  std::sort(out.sleeps.begin(), out.sleeps.end(),
            [](const ThreadSleep& a, const ThreadSleep& b) { return a.fromEvent < b.fromEvent; });
  out.ms.assign(ms.begin(), ms.end());
  return out;
}

}  // namespace pollscope::viz
