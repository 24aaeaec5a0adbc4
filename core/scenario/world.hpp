// What the goroutines of one scenario run share: the named listeners and
// connections, the latches steps wait on, and the injection points that force
// Go's rare races on the real engine. Used by the runner and the op handlers.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "net/net.hpp"
#include "netpoll/netpoll.hpp"
#include "runtime/runtime.hpp"
#include "runtime/sema.hpp"
#include "scenario/scenario.hpp"

namespace pollscope::scenario::runner {
using trace::Mode;

// A one-shot event goroutines can wait for (parks them; never blocks a thread).
class Latch {
 public:
  void fire() {
    int n;
    {
      std::lock_guard lk(mu_);
      if (fired_) return;
      fired_ = true;
      n = waiting_;
      waiting_ = 0;
    }
    for (int i = 0; i < n; ++i) sema_.release();
  }
  void wait() {
    {
      std::lock_guard lk(mu_);
      if (fired_) return;
      ++waiting_;
    }
    sema_.acquire();
  }

 private:
  rt::SpinLock mu_;
  bool fired_ = false;
  int waiting_ = 0;
  rt::Sema sema_;
};

struct ParkWatch {
  netpoll::PollDesc* pd;
  char mode;
  std::shared_ptr<Latch> latch;
};

struct RaceArm {
  netpoll::PollDesc* pd;
  Race race;
  int peerFd;
  std::string data;
};

// close_during_poll: the next netpoll that returns events is held (armed -> held)
// until the goroutine that armed it has closed and reused the socket (released).
struct ReuseArm {
  enum State { armed, held, released, processed };
  netpoll::PollDesc* pd = nullptr;
  std::atomic<int> state{armed};
};

// move_after_fire: the goroutine that set the deadline parks until the deadline's
// timer has fired and readied the reader (armed -> fired: the timer's M readies
// this goroutine too, after the reader), then calls SetDeadline again (moved).
// The woken reader is held before its re-check until the move is done.
struct MoveArm {
  enum State { armed, fired, moved };
  netpoll::PollDesc* pd = nullptr;
  Mode mode = Mode::r;
  std::shared_ptr<Latch> fire = std::make_shared<Latch>();
  std::atomic<int> state{armed};
};

struct World {
  const Scenario* scenario = nullptr;
  trace::Recorder* rec = nullptr;
  netpoll::Netpoll* np = nullptr;

  std::mutex mu;  // never held across a park
  std::map<std::string, std::shared_ptr<net::Listener>> listeners;
  std::map<std::string, std::shared_ptr<net::Conn>> conns;
  ObjectMap objects;
  std::map<std::string, std::shared_ptr<Latch>> labels;
  std::map<std::string, std::shared_ptr<Latch>> created;  // fired when a name first exists
  std::vector<std::string> failures;
  std::atomic<bool> aborted{false};
  std::atomic<bool> stopping{false};

  // Serving (--listen). A handler's error ends that handler only, as in Go where
  // io.Copy fails in its own goroutine; the server goes on accepting.
  bool serving = false;
  std::string listenAddr;                               // where the patched listen step binds
  std::function<void(const std::string&)> onListening;  // told the bound address
  std::string listenError;                              // the patched listen failed: why
  std::atomic<uint64_t> handlerErrors{0};
  void handlerFailed(const std::string& msg);  // logs one line (rate-limited)

  // Every connection still open, whatever name it was bound to (`conn` is
  // rebound at every accept), so a stop or a failure closes them all. Pruned as
  // it grows, so a long-serving run keeps only the live ones.
  void track(const std::shared_ptr<net::Conn>& c);

  rt::SpinLock hookMu;  // guards the injection state below (hooks run on any M, on g0 too)
  std::vector<ParkWatch> parkWatches;
  std::vector<RaceArm> races;
  std::shared_ptr<ReuseArm> reuse;
  // netpolls between epoll_wait's return and the end of their event loop: a race's
  // holder waits for the poll that delivered its event to finish, so that what
  // the held M does next never interleaves with the rest of that poll.
  std::atomic<int> pollsInFlight{0};
  std::map<netpoll::PollDesc*, std::shared_ptr<MoveArm>> deadlineMoves;

  // What main waits on, as a Go main waits on a sync.WaitGroup: Add before each
  // go, Done when a goroutine ends; only the last Done wakes main (once).
  std::atomic<int> pending{0};
  std::vector<std::weak_ptr<net::Conn>> live;  // guarded by mu
  size_t pruneAt = 64;
  int64_t logWindow = 0;  // handlerFailed's rate limit (guarded by mu)
  uint64_t logged = 0, unlogged = 0;

  rt::Sema finished;
  void wgAdd(int n) { pending.fetch_add(n); }
  void wgDone() {
    if (pending.fetch_sub(1) == 1) finished.release();
  }
  void wgWait() {
    if (pending.load() > 0) finished.acquire();
  }

  std::shared_ptr<Latch> label(const std::string& name) {
    std::lock_guard lk(mu);
    auto& l = labels[name];
    if (!l) l = std::make_shared<Latch>();
    return l;
  }
  std::shared_ptr<Latch> createdLatch(const std::string& name) {
    std::lock_guard lk(mu);
    auto& l = created[name];
    if (!l) l = std::make_shared<Latch>();
    return l;
  }
  // Steps that use a name wait (parked) until some step has created it.
  void await(const std::string& name) { createdLatch(name)->wait(); }

  std::shared_ptr<net::Conn> conn(const std::string& name) {
    std::lock_guard lk(mu);
    auto it = conns.find(name);
    return it == conns.end() ? nullptr : it->second;
  }
  std::shared_ptr<net::Listener> listener(const std::string& name) {
    std::lock_guard lk(mu);
    auto it = listeners.find(name);
    return it == listeners.end() ? nullptr : it->second;
  }
  void addConn(const std::string& name, std::shared_ptr<net::Conn> c);
  void addListener(const std::string& name, std::shared_ptr<net::Listener> l);

  // The first failure stops the story: waiters are released and every socket is
  // closed so no goroutine stays parked on something that will never come.
  void fail(std::string msg);
  void closeEverything();

  // From a thread outside the runtime (the watchdog): asks the run to end. Every
  // socket is shut down with a raw shutdown(2), so goroutines parked on them wake
  // through the poller as the kernel reports it, and the first step to notice
  // fails the run with `msg` (which then closes everything the engine's way).
  void interrupt(std::string msg);
  std::atomic<bool> interrupted{false};
  std::string interruptMsg;  // guarded by mu
  // mu held: a failure's message once interrupted; every connection (named or not);
  // `c`, now tracked.
  std::string afterInterrupt(std::string msg);
  void liveConns(std::vector<std::shared_ptr<net::Conn>>* out);
  std::shared_ptr<net::Conn> tracked(std::shared_ptr<net::Conn> c);

  // Injection points, installed once before the run (hooks must not change while Ms run).
  void installHooks();
  // The goroutine under study reached a race's injection point: it is held there
  // while a peer thread writes and another M (sysmon, or a poller already blocked
  // in netpoll) delivers the event; it goes on once that M changed its rg.
  void fireRace(netpoll::PollDesc* pd, Mode m, Race kind);
  // Records a `hook` mark (hold or release of an injection point) on the calling
  // M and G, for an injection whose arranged part runs outside these hooks.
  void mark(trace::HookName name, trace::HookPhase phase, netpoll::PollDesc* pd);
  // Spins (without parking, so the holder keeps its M and P) until done() or the
  // story failed. Used at injection points, where parking would change the story.
  template <class Done>
  void holdUntil(Done done) {
    while (!done() && !aborted.load()) std::this_thread::yield();
  }
};

}  // namespace pollscope::scenario::runner
