// What a run needs when it serves real clients or must be stopped from outside:
// every connection tracked whatever its name, a handler's error logged (its own,
// not the run's), and the watchdog's interrupt (see world.hpp).
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "scenario/world.hpp"

namespace pollscope::scenario::runner {

void World::track(const std::shared_ptr<net::Conn>& c) {
  std::lock_guard lk(mu);
  tracked(c);
}

std::shared_ptr<net::Conn> World::tracked(std::shared_ptr<net::Conn> c) {
  live.push_back(c);
  if (live.size() >= pruneAt) {
    std::erase_if(live, [](const std::weak_ptr<net::Conn>& w) {
      auto c = w.lock();
      return !c || c->isClosed();
    });
    pruneAt = std::max<size_t>(64, 2 * live.size());  // amortised O(1) per connection
  }
  return c;
}

void World::handlerFailed(const std::string& msg) {
  handlerErrors.fetch_add(1);
  // A flood of resetting clients must not turn into a flood of lines: at most 20 a
  // second, then one line saying how many were not shown.
  int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
  uint64_t skipped = 0;
  bool show;
  {
    std::lock_guard lk(mu);
    if (now != logWindow) {
      skipped = unlogged;
      logWindow = now;
      logged = unlogged = 0;
    }
    show = ++logged <= 20;
    if (!show) ++unlogged;
  }
  if (skipped) std::fprintf(stderr, "pollscope: (%llu more handler errors not shown)\n", (unsigned long long)skipped);
  if (show) std::fprintf(stderr, "pollscope: handler ended: %s\n", msg.c_str());
}

void World::interrupt(std::string msg) {
  std::vector<int> fds;
  {
    std::lock_guard lk(mu);
    interruptMsg = std::move(msg);
    for (auto& w : live)
      if (auto c = w.lock(); c && !c->isClosed()) fds.push_back(c->fd());
    for (auto& [n, c] : conns)
      if (!c->isClosed()) fds.push_back(c->fd());
    for (auto& [n, l] : listeners)
      if (!l->isClosed()) fds.push_back(l->fd());
  }
  interrupted.store(true);
  for (int fd : fds) ::shutdown(fd, SHUT_RDWR);
}

std::string World::afterInterrupt(std::string msg) {
  return msg == interruptMsg ? msg : interruptMsg + "; then " + msg;
}

void World::liveConns(std::vector<std::shared_ptr<net::Conn>>* out) {
  for (auto& [n, c] : conns) out->push_back(c);
  for (auto& w : live)
    if (auto c = w.lock()) out->push_back(std::move(c));
}

}  // namespace pollscope::scenario::runner
