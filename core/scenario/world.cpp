// The shared world of a scenario run: naming sockets, failing the story, the injection hooks.
#include "scenario/world.hpp"

#include <sys/socket.h>

#include <thread>
#include <utility>

#include "netpoll/syscalls.hpp"
#include "platform/platform.hpp"
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
    for (auto& [pd, arm] : deadlineMoves) latches.push_back(arm->fire);  // its state stays armed: no move
    parkWatches.clear();
    reuse.reset();
  }
  for (auto& l : latches) l->fire();
  for (auto& c : cs)
    if (!c->isClosed()) c->close();
  for (auto& l : ls)
    if (!l->isClosed()) l->close();
}

namespace {
// The close_during_poll arm held by the netpoll running on this thread, if any.
std::shared_ptr<ReuseArm>& heldPollArm() {
  thread_local std::shared_ptr<ReuseArm> arm;
  return arm;
}

void hookEvent(trace::HookName name, trace::HookPhase phase, netpoll::PollDesc* pd) {
  PS_EMIT(rt::currentEngine(), Kind::hook, "scenario.hook", name, phase, pd ? pd->id : 0);
}

// The other end of a staged race: a thread outside the runtime (as a peer in another
// process would be) writes the bytes, so the kernel queues the event. A named function,
// not a lambda, so the trace's site names it.
void peerWrite(rt::Engine* engine, int fd, const char* data, size_t n) {
  auto w = sys::write(fd, data, n);
  PS_EMIT(engine, Kind::sys, "syscall.Syscall", trace::SysOp::write, fd, w.ret,  // err, arg
          w.err, static_cast<int64_t>(n));
}
}  // namespace

void World::installHooks() {
  // Only the hooks this scenario's steps can arm: an unarmed hook still costs a
  // call and a lock on every park or poll, which a server pays on every request.
  bool useRaces = false, useParkWatch = false, usePollReuse = false, useDeadlineMoves = false;
  for (const auto& [st, g] : allSteps(*scenario)) {
    useRaces |= st->race != Race::none;
    useParkWatch |= st->op == Op::waitParked;
    usePollReuse |= st->op == Op::closeDuringPoll;
    useDeadlineMoves |= st->moveAfterFireMs.has_value();
  }
  if (useRaces) {
    np->hooks.beforeBlock = [this](netpoll::PollDesc* pd, Mode m) { fireRace(pd, m, Race::dataBeforePark); };
    np->hooks.beforeCommit = [this](netpoll::PollDesc* pd, Mode m) { fireRace(pd, m, Race::eventWhileWait); };
  }
  if (useParkWatch) {
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
      if (fire.empty()) return;
      // The scenario's own synchronisation readies whoever waits for this park.
      hookEvent(trace::HookName::parkWatch, trace::HookPhase::hold, pd);
      for (auto& l : fire) l->fire();
      hookEvent(trace::HookName::parkWatch, trace::HookPhase::release, pd);
    };
  }
  // fireRace waits on pollsInFlight too.
  if (useRaces || usePollReuse) {
    np->hooks.afterPollWait = [this](int n) {
      pollsInFlight.fetch_add(1);
      if (n == 0) return;
      std::shared_ptr<ReuseArm> arm;
      {
        std::lock_guard lk(hookMu);
        if (!reuse) return;
        arm.swap(reuse);
      }
      heldPollArm() = arm;
      // This M (whichever polled: sysmon or a poller blocked in findRunnable) holds
      // the events epoll_wait returned while the goroutine that armed the hook
      // closes the socket and reuses its pollDesc.
      hookEvent(trace::HookName::closeDuringPoll, trace::HookPhase::hold, arm->pd);
      arm->state.store(ReuseArm::held);
      holdUntil([&] { return arm->state.load() == ReuseArm::released; });
      hookEvent(trace::HookName::closeDuringPoll, trace::HookPhase::release, arm->pd);
    };
    np->hooks.afterPollEvents = [this](int) {
      // This poll is done with its events (the held one has dropped the stale event).
      if (auto arm = std::exchange(heldPollArm(), nullptr)) arm->state.store(ReuseArm::processed);
      pollsInFlight.fetch_sub(1);
    };
  }
  if (useDeadlineMoves) {
    np->hooks.afterDeadlineFire = [this](netpoll::PollDesc* pd, bool read, bool write) {
      std::shared_ptr<MoveArm> arm;
      {
        std::lock_guard lk(hookMu);
        auto it = deadlineMoves.find(pd);
        int armed = MoveArm::armed;
        if (it != deadlineMoves.end() &&
            (it->second->mode == Mode::rw || (it->second->mode == Mode::r ? read : write)) &&
            it->second->state.compare_exchange_strong(armed, MoveArm::fired))
          arm = it->second;
      }
      if (!arm) return;
      // The timer func (on g0 of this M) has readied the reader, which took runnext.
      // It now readies the goroutine that set the deadline, as a Go timer readies a
      // goroutine waiting on it: that one takes runnext (the reader goes to the local
      // queue behind it) and moves the deadline before the reader's re-check.
      hookEvent(trace::HookName::moveAfterFire, trace::HookPhase::hold, pd);
      arm->fire->fire();
      hookEvent(trace::HookName::moveAfterFire, trace::HookPhase::release, pd);
    };
    np->hooks.beforeRecheck = [this](netpoll::PollDesc* pd, Mode m) {
      // Woken by this arm's deadline, not by a close: the timer has told the arm, or
      // (with more Ps, the reader stolen before that) the info word still says expired.
      uint32_t info = pd->atomicInfo.load();
      uint32_t expired = m == Mode::r ? trace::kPollExpiredReadDeadline : trace::kPollExpiredWriteDeadline;
      if (info & trace::kPollClosing) return;
      std::shared_ptr<MoveArm> arm;
      {
        std::lock_guard lk(hookMu);
        auto it = deadlineMoves.find(pd);
        if (it != deadlineMoves.end() && (it->second->mode == Mode::rw || it->second->mode == m) &&
            (it->second->state.load() != MoveArm::armed || (info & expired)))
          arm = it->second;
      }
      if (!arm) return;
      // The reader is held here (spinning on its M, keeping its P) until the move is
      // done: with more Ps another M may take it from the queue (or the timer's M
      // may not yet have readied the mover) and run it before the deadline moves.
      hookEvent(trace::HookName::moveAfterFire, trace::HookPhase::hold, pd);
      holdUntil([&] { return arm->state.load() == MoveArm::moved; });
      {
        std::lock_guard lk(hookMu);  // this arm is spent
        if (auto it = deadlineMoves.find(pd); it != deadlineMoves.end() && it->second == arm) deadlineMoves.erase(it);
      }
      hookEvent(trace::HookName::moveAfterFire, trace::HookPhase::release, pd);
    };
  }
}

void World::mark(trace::HookName name, trace::HookPhase phase, netpoll::PollDesc* pd) {
  hookEvent(name, phase, pd);
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
  auto name = kind == Race::dataBeforePark ? trace::HookName::dataBeforePark : trace::HookName::eventWhileWait;
  rt::Engine& engine = np->engine();
  hookEvent(name, trace::HookPhase::hold, pd);
  std::atomic<uintptr_t>& sem = pd->sem(m);
  const uintptr_t before = sem.load();
  // The peer: a thread outside the runtime (as the other end would be in another
  // process) writes the bytes; the kernel queues EPOLLIN for pd's fd.
  std::thread peer(peerWrite, &engine, arm->peerFd, arm->data.data(), arm->data.size());
  peer.join();
  // Another M delivers it: sysmon's netpoll(0) once its 10 ms rule allows, or a
  // poller already blocked in findRunnable. This goroutine (or g0 in park_m) is
  // held here, keeping its M and P, until that M's netpollunblock changed rg.
  rt::sysmonRequest(engine, true);
  holdUntil([&] { return sem.load() != before; });
  rt::sysmonRequest(engine, false);
  holdUntil([&] { return pollsInFlight.load() == 0; });  // that netpoll has returned its list
  hookEvent(name, trace::HookPhase::release, pd);
}

}  // namespace pollscope::scenario::runner
