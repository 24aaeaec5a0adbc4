// The shared world of a scenario run: naming sockets, failing the story, and the
// injection hooks (see world.hpp).
#include "scenario/world.hpp"

#include <sys/socket.h>

#include "netpoll/syscalls.hpp"
#include "runtime/runtime.hpp"
#include "trace/vocabulary.hpp"

namespace pollscope::scenario::runner {
using trace::Kind;

void World::addConn(const std::string& name, std::shared_ptr<net::Conn> c) {
  {
    std::lock_guard lk(mu);
    if (auto* pd = c->pollFD().pd(); pd && !serving) objects[name].push_back({pd->id, c->fd(), rec->recorded()});
    conns[name] = tracked(std::move(c));  // serving keeps no history per connection (no expect_trace)
  }
  createdLatch(name)->fire();
}

void World::addListener(const std::string& name, std::shared_ptr<net::Listener> l) {
  {
    std::lock_guard lk(mu);
    if (auto* pd = l->pollFD().pd()) objects[name].push_back({pd->id, l->fd(), rec->recorded()});
    listeners[name] = std::move(l);
  }
  createdLatch(name)->fire();
}

void World::fail(std::string msg) {
  if (stopping.load()) return;  // --listen shutdown: errors are the point
  bool first = !aborted.exchange(true);
  {
    std::lock_guard lk(mu);
    if (first) failures.push_back(interrupted.load() ? afterInterrupt(std::move(msg)) : std::move(msg));
  }
  if (first) closeEverything();
}

void World::closeEverything() {
  std::vector<std::shared_ptr<Latch>> latches;
  std::vector<std::shared_ptr<net::Conn>> cs;
  std::vector<std::shared_ptr<net::Listener>> ls;
  {
    std::lock_guard lk(mu);
    for (auto& [n, l] : labels) latches.push_back(l);
    for (auto& [n, l] : created) latches.push_back(l);
    liveConns(&cs);  // named or not
    for (auto& [n, l] : listeners) ls.push_back(l);
  }
  {
    std::lock_guard lk(hookMu);
    for (auto& w : parkWatches) latches.push_back(w.latch);
    parkWatches.clear();
    if (reuse) latches.push_back(reuse->done);
    reuse.reset();
  }
  for (auto& l : latches) l->fire();
  for (auto& c : cs)
    if (!c->isClosed()) c->close();
  for (auto& l : ls)
    if (!l->isClosed()) l->close();
}

void World::installHooks() {
  np->hooks.beforeBlock = [this](netpoll::PollDesc* pd, Mode m) { fireRace(pd, m, Race::dataBeforePark); };
  np->hooks.beforeCommit = [this](netpoll::PollDesc* pd, Mode m) { fireRace(pd, m, Race::eventWhileWait); };
  np->hooks.afterCommit = [this](netpoll::PollDesc* pd, Mode m) {
    std::vector<std::shared_ptr<Latch>> fire;
    {
      std::lock_guard lk(hookMu);
      for (auto it = parkWatches.begin(); it != parkWatches.end();) {
        if (it->pd == pd && it->mode == static_cast<char>(m)) {
          fire.push_back(it->latch);
          it = parkWatches.erase(it);
        } else {
          ++it;
        }
      }
    }
    for (auto& l : fire) l->fire();
  };
  np->hooks.afterPollWait = [this](int n) {
    if (n == 0) return;
    std::optional<ReuseArm> arm;
    {
      std::lock_guard lk(hookMu);
      arm.swap(reuse);
    }
    if (arm) closeAndReuse(*arm);
  };
  np->hooks.afterDeadlineFire = [this](netpoll::PollDesc* pd, bool, bool) {
    std::optional<std::pair<Mode, int64_t>> move;
    {
      std::lock_guard lk(hookMu);
      auto it = deadlineMoves.find(pd);
      if (it != deadlineMoves.end()) {
        move = it->second;
        deadlineMoves.erase(it);
      }
    }
    // The woken goroutine has not run yet: moving the deadline now makes its
    // netpollcheckerr see no error, and pollWait parks it again.
    if (move) np->pollSetDeadline(pd, move->second, move->first);
  };
}

void World::fireRace(netpoll::PollDesc* pd, Mode m, Race kind) {
  std::optional<RaceArm> arm;
  {
    std::lock_guard lk(hookMu);
    for (auto it = races.begin(); it != races.end(); ++it)
      if (it->pd == pd && it->race == kind && m == Mode::r) {
        arm = *it;
        races.erase(it);
        break;
      }
  }
  if (!arm) return;
  // The peer's bytes arrive now, and some M runs netpoll(0) now: the real kernel
  // event reaches netpollready while this goroutine is between two steps.
  auto w = sys::write(arm->peerFd, arm->data.data(), arm->data.size());
  PS_EMIT(rt::currentEngine(), Kind::sys, "syscall.Syscall", trace::SysOp::write, arm->peerFd, w.ret,  // err, arg
          w.err, static_cast<int64_t>(arm->data.size()));
  // netpoll(0) as findRunnable does it: the ready goroutines go to the run
  // queues and the waiter count is adjusted, all inside the engine.
  np->pollAndInject(trace::PollSite::findRunnableNb);
}

void World::closeAndReuse(ReuseArm& arm) {
  arm.victim->pollFD().close();
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) == 0) {
    auto a = std::make_shared<net::Conn>(std::make_unique<poll::FD>(sv[0]));
    auto b = std::make_shared<net::Conn>(std::make_unique<poll::FD>(sv[1]));
    if (!a->pollFD().init() && !b->pollFD().init()) {
      addConn(arm.reuseAs, a);
      addConn(arm.reuseAs + ".peer", b);
    }
  }
  arm.done->fire();
}

}  // namespace pollscope::scenario::runner
