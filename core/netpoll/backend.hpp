// The netpoll backend interface (Go's platform netpoll: netpollinit/open/close/
// netpoll/netpollBreak) and the Netpoll calls that hand back the runtime's G
// lists. Internal to the runtime+netpoll unit: it includes runtime/internal.hpp.
#pragma once

#include <memory>

#include "netpoll/netpoll.hpp"
#include "runtime/internal.hpp"

namespace pollscope::netpoll {

struct PollResult {
  GList list;
  int32_t delta = 0;
};

// What Go calls the platform netpoll: netpollinit/open/close/netpoll/netpollBreak.
class PollBackend {
 public:
  virtual ~PollBackend() = default;
  virtual const char* name() const = 0;
  virtual void init() = 0;
  virtual int open(int fd, PollDesc* pd) = 0;  // returns errno, 0 on success
  virtual int close(int fd) = 0;
  virtual void breakPoll(trace::BreakCaller caller) = 0;
  virtual PollResult poll(int64_t delayNs, trace::PollSite site) = 0;
  virtual void shutdown() = 0;
};
std::unique_ptr<PollBackend> makeDefaultBackend(Netpoll& np);  // epoll on Linux, kqueue on BSDs

inline PollResult Netpoll::poll(int64_t delayNs, trace::PollSite site) {
  return backend_->poll(delayNs, site);
}
inline void Netpoll::breakPoll(trace::BreakCaller caller) {
  if (inited()) backend_->breakPoll(caller);
}

}  // namespace pollscope::netpoll
