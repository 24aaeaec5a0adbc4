// Where the runtime is on the road from a user's Read to its goroutine running
// again, for the classroom's phase strip:
//   user code -> poll.FD -> pollWait -> netpollblock -> gopark -> schedule ->
//   findRunnable -> netpoll -> epoll_wait -> netpollready -> inject -> run
#pragma once

#include <optional>

#include "trace/event.hpp"

namespace pollscope::analysis {

enum class Phase {
  userCode,
  pollFD,
  pollWait,
  netpollblock,
  gopark,
  schedule,
  findRunnable,
  netpoll,
  epollWait,
  netpollready,
  inject,
  run,
  count_
};
inline constexpr int kPhaseCount = static_cast<int>(Phase::count_);

const char* phaseName(Phase p, bool chinese = false);
// The phase an event belongs to; none for events off that road (timers, fd setup, ...).
std::optional<Phase> phaseOf(const trace::Event& e);

}  // namespace pollscope::analysis
