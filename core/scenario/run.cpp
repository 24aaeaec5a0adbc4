// Runs a scenario on a fresh Runtime: one goroutine per scenario goroutine, the
// main goroutine waits for all of them (spawned ones included), every step checks
// its expectation, and the recorded trace is checked against `expect_trace`.
//
// Sections: 1. world (shared objects, latches, injection points)  2. steps
//           3. watchdog and stop signal  4. runScenario  5. trace checks
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "net/net.hpp"
#include "netpoll/netpoll.hpp"
#include "netpoll/syscalls.hpp"
#include "runtime/internal.hpp"
#include "runtime/runtime.hpp"
#include "runtime/sema.hpp"
#include "scenario/scenario.hpp"
#include "trace/vocabulary.hpp"

namespace pollscope::scenario {
namespace {
using trace::Kind;
using trace::Mode;

// ---- 1. world -----------------------------------------------------------------------
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
  bool announce = false;  // serve mode: say where each listener is

  rt::SpinLock hookMu;  // guards the injection state below (hooks run on any M, on g0 too)
  std::vector<ParkWatch> parkWatches;
  std::vector<RaceArm> races;
  struct ReuseArm {
    std::shared_ptr<net::Conn> victim;
    std::string reuseAs;
    std::shared_ptr<Latch> done;
  };
  std::optional<ReuseArm> reuse;
  std::map<netpoll::PollDesc*, std::pair<Mode, int64_t>> deadlineMoves;

  std::atomic<int> spawned{0};
  rt::Sema finished;

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
  void addConn(const std::string& name, std::shared_ptr<net::Conn> c) {
    {
      std::lock_guard lk(mu);
      if (auto* pd = c->pollFD().pd()) objects[name].push_back({pd->id, c->fd(), rec->recorded()});
      conns[name] = std::move(c);
    }
    createdLatch(name)->fire();
  }
  void addListener(const std::string& name, std::shared_ptr<net::Listener> l) {
    {
      std::lock_guard lk(mu);
      if (auto* pd = l->pollFD().pd()) objects[name].push_back({pd->id, l->fd(), rec->recorded()});
      listeners[name] = std::move(l);
    }
    createdLatch(name)->fire();
  }

  // The first failure stops the story: waiters are released and every socket is
  // closed so no goroutine stays parked on something that will never come.
  void fail(std::string msg) {
    if (stopping.load()) return;  // --listen shutdown: errors are the point
    bool first = !aborted.exchange(true);
    {
      std::lock_guard lk(mu);
      if (first) failures.push_back(std::move(msg));
    }
    if (first) closeEverything();
  }

  void closeEverything() {
    std::vector<std::shared_ptr<Latch>> latches;
    std::vector<std::shared_ptr<net::Conn>> cs;
    std::vector<std::shared_ptr<net::Listener>> ls;
    {
      std::lock_guard lk(mu);
      for (auto& [n, l] : labels) latches.push_back(l);
      for (auto& [n, l] : created) latches.push_back(l);
      for (auto& [n, c] : conns) cs.push_back(c);
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

  // Injection points, installed once before the run (hooks must not change while Ms run).
  void installHooks() {
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

  void fireRace(netpoll::PollDesc* pd, Mode m, Race kind) {
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
    PS_EMIT(rt::currentEngine(), Kind::sys, "syscall.Syscall", trace::SysOp::write, arm->peerFd, w.ret, w.err,
            static_cast<int64_t>(arm->data.size()));
    auto res = np->poll(0, trace::PollSite::findRunnableNb);
    rt::injectglist(rt::currentEngine(), res.list);
    np->adjustWaiters(res.delta);
  }

  // Runs inside netpoll, after epoll_wait returned and before its events are
  // processed: the victim is closed (its pollDesc freed, fdseq bumped) and a new
  // socket takes the same pollDesc from the cache.
  void closeAndReuse(ReuseArm& arm) {
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
};

bool errMatches(const std::string& want, const poll::Error& got) {
  return want == "any" || want == got.kindName();
}

std::string printable(const std::string& s) {
  std::string out;
  for (char c : s.substr(0, 60)) out += (c >= 32 && c < 127) ? c : '.';
  return s.size() > 60 ? out + "..." : out;
}

// ---- 2. steps -------------------------------------------------------------------------
class StepRunner {
 public:
  using Captured = std::map<std::string, std::shared_ptr<net::Conn>>;
  StepRunner(World& w, std::string gname, Captured captured = {})
      : w_(w), g_(std::move(gname)), captured_(std::move(captured)) {}

  // Returns false when the goroutine must stop (its step failed or the run aborted).
  bool runAll(const std::vector<Step>& steps) {
    for (const Step& s : steps) {
      if (w_.aborted.load()) return false;
      PS_EMIT(rt::currentEngine(), Kind::step, "scenario.step", s.id, trace::Phase::call);
      bool ok = run(s);
      PS_EMIT(rt::currentEngine(), Kind::step, "scenario.step", s.id, trace::Phase::ret);
      if (!s.label.empty()) w_.label(s.label)->fire();
      if (!ok) return false;
    }
    return true;
  }

 private:
  std::string where(const Step& s) const { return fmt::format("{} ({} {})", s.path, g_, opName(s.op)); }

  bool missing(const Step& s, const std::string& what) {
    w_.fail(where(s) + ": " + what);
    return false;
  }

  bool run(const Step& s) {
    poll::Error err;
    std::string detail;
    int64_t bytes = -1;
    switch (s.op) {
      case Op::listen: {
        std::unique_ptr<net::Listener> ln;
        net::Address addr{s.network, s.addr};
        if (s.network == "unix" && s.addr.empty()) {
          // A fresh abstract socket name per run, so runs never collide.
          static std::atomic<int> counter{0};
          addr.address = fmt::format("@pollscope-{}-{}", ::getpid(), counter.fetch_add(1));
        }
        err = net::listen(addr, &ln, &detail);
        if (!err) {
          if (w_.announce) std::fprintf(stderr, "pollscope: listening on %s\n", ln->addr().toString().c_str());
          w_.addListener(s.as, std::move(ln));
        }
        break;
      }
      case Op::accept: {
        w_.await(s.target);
        auto ln = w_.listener(s.target);
        if (!ln) return missing(s, "\"" + s.target + "\" is not a listener");
        std::unique_ptr<net::Conn> c;
        err = ln->accept(&c);
        if (!err) w_.addConn(s.as, std::move(c));
        break;
      }
      case Op::dial: {
        net::Address addr{s.network, s.addr};
        if (!s.addr.empty() && s.addr[0] == '@') {
          w_.await(s.addr.substr(1));
          auto ln = w_.listener(s.addr.substr(1));
          if (!ln) return missing(s, "\"" + s.addr.substr(1) + "\" is not a listener");
          addr = ln->addr();
        }
        std::unique_ptr<net::Conn> c;
        err = net::dial(addr, &c, &detail);
        if (!err) w_.addConn(s.as, std::move(c));
        break;
      }
      case Op::read: {
        auto c = conn(s.target);
        if (!c) return missing(s, "\"" + s.target + "\" is not a connection");
        if (s.race != Race::none) {
          auto peer = conn(s.peer);
          if (!peer) return missing(s, "peer \"" + s.peer + "\" is not a connection");
          std::lock_guard lk(w_.hookMu);
          w_.races.push_back({c->pollFD().pd(), s.race, peer->fd(), s.data});
        }
        std::string buf(static_cast<size_t>(s.size), '\0');
        size_t got = 0;
        err = c->read(buf.data(), buf.size(), &got);
        buf.resize(got);
        lastRead_ = buf;
        bytes = static_cast<int64_t>(got);
        if (s.expectData && !err && buf != *s.expectData) {
          w_.fail(fmt::format("{}: expected to read \"{}\", got \"{}\"", where(s), printable(*s.expectData),
                              printable(buf)));
          return false;
        }
        break;
      }
      case Op::readAll: {
        // io.ReadAll: read until EOF (EOF itself is success).
        auto c = conn(s.target);
        if (!c) return missing(s, "\"" + s.target + "\" is not a connection");
        std::string buf(static_cast<size_t>(s.size), '\0');
        bytes = 0;
        for (;;) {
          size_t got = 0;
          err = c->read(buf.data(), buf.size(), &got);
          bytes += static_cast<int64_t>(got);
          if (err) break;
        }
        if (err.kind == trace::NetErr::eof) err = {};
        break;
      }
      case Op::write: {
        auto c = conn(s.target);
        if (!c) return missing(s, "\"" + s.target + "\" is not a connection");
        const std::string& unit = s.data == "$last" ? lastRead_ : s.data;
        std::string payload;
        payload.reserve(unit.size() * static_cast<size_t>(s.repeat));
        for (int64_t i = 0; i < s.repeat; ++i) payload += unit;
        size_t wrote = 0;
        err = c->write(payload.data(), payload.size(), &wrote);
        bytes = static_cast<int64_t>(wrote);
        break;
      }
      case Op::close: {
        if (captured_.count(s.target)) {
          err = captured_[s.target]->close();
          break;
        }
        w_.await(s.target);
        if (auto c = w_.conn(s.target))
          err = c->close();
        else if (auto ln = w_.listener(s.target))
          err = ln->close();
        else
          return missing(s, "nothing named \"" + s.target + "\" to close");
        break;
      }
      case Op::closeWrite: {
        auto c = conn(s.target);
        if (!c) return missing(s, "no connection \"" + s.target + "\"");
        err = c->closeWrite();
        break;
      }
      case Op::sleep: rt::sleep(s.ms * 1'000'000); break;
      case Op::spin: {
        // Burn CPU without parking: this goroutine keeps its P (no preemption here).
        auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(s.ms);
        while (std::chrono::steady_clock::now() < until) {
        }
        break;
      }
      case Op::setReadDeadline:
      case Op::setWriteDeadline:
      case Op::setDeadline: {
        auto c = conn(s.target);
        if (!c) return missing(s, "\"" + s.target + "\" is not a connection");
        Mode mode = s.op == Op::setReadDeadline ? Mode::r : s.op == Op::setWriteDeadline ? Mode::w : Mode::rw;
        if (s.moveAfterFireMs) {
          std::lock_guard lk(w_.hookMu);
          w_.deadlineMoves[c->pollFD().pd()] = {mode, *s.moveAfterFireMs * 1'000'000};
        }
        std::optional<int64_t> d;
        if (!s.clearDeadline) d = s.ms * 1'000'000;
        err = mode == Mode::r ? c->setReadDeadline(d) : mode == Mode::w ? c->setWriteDeadline(d) : c->setDeadline(d);
        break;
      }
      case Op::setOption: {
        auto c = conn(s.target);
        if (!c) return missing(s, "\"" + s.target + "\" is not a connection");
        if (s.sndbuf || s.rcvbuf) err = c->setBuffers(s.sndbuf, s.rcvbuf);
        if (!err && s.linger0) err = c->setLingerZero();
        break;
      }
      case Op::go: {
        Captured cap;
        for (const auto& name : s.capture) cap[name] = conn(name);
        w_.spawned.fetch_add(1);
        World* w = &w_;
        const Step* st = &s;
        rt::go(
            [w, st, cap = std::move(cap)] {
              StepRunner(*w, st->goroutineName, cap).runAll(st->body);
              w->finished.release();
            },
            s.goroutineName);
        break;
      }
      case Op::echo: {
        // io.Copy(conn, conn): echo until the peer is done.
        auto c = conn(s.target);
        if (!c) return missing(s, "\"" + s.target + "\" is not a connection");
        std::string buf(static_cast<size_t>(s.size), '\0');
        bytes = 0;
        for (;;) {
          size_t got = 0, wrote = 0;
          err = c->read(buf.data(), buf.size(), &got);
          if (err) break;
          err = c->write(buf.data(), got, &wrote);
          bytes += static_cast<int64_t>(wrote);
          if (err) break;
        }
        if (err.kind == trace::NetErr::eof) err = {};
        c->close();
        break;
      }
      case Op::loop:
        for (int64_t i = 0; i < s.times; ++i)
          if (!runAll(s.body)) return false;
        break;
      case Op::waitParked: {
        auto c = conn(s.target);
        netpoll::PollDesc* pd = c ? c->pollFD().pd() : nullptr;
        if (!pd) {
          auto ln = w_.listener(s.target);
          pd = ln ? ln->pollFD().pd() : nullptr;
        }
        if (!pd) return missing(s, "\"" + s.target + "\" does not exist yet");
        auto latch = std::make_shared<Latch>();
        {
          std::lock_guard lk(w_.hookMu);
          uintptr_t v = (s.mode == 'w' ? pd->wg : pd->rg).load();
          if (v > netpoll::pdWait)
            latch->fire();  // already parked
          else
            w_.parkWatches.push_back({pd, s.mode, latch});
        }
        latch->wait();
        break;
      }
      case Op::waitStep: w_.label(s.target)->wait(); break;
      case Op::waitEvents:
        while (w_.rec->recorded() < static_cast<uint64_t>(s.count) && !w_.aborted.load()) rt::sleep(1'000'000);
        break;
      case Op::closeDuringPoll: {
        auto c = conn(s.target);
        if (!c) return missing(s, "\"" + s.target + "\" is not a connection");
        auto done = std::make_shared<Latch>();
        std::shared_ptr<net::Conn> writer;
        if (!s.peer.empty()) writer = conn(s.peer);
        {
          std::lock_guard lk(w_.hookMu);
          w_.reuse = World::ReuseArm{c, s.as, done};
        }
        if (writer) {
          size_t n;
          err = writer->write(s.data.data(), s.data.size(), &n);
        }
        done->wait();  // the next netpoll that returns events does the close and reuse
        break;
      }
    }
    if (w_.aborted.load()) return false;
    if (!errMatches(s.expectErr, err)) {
      w_.fail(fmt::format("{}: expected {}, got {} ({}){}", where(s),
                          s.expectErr == "ok" ? "success" : "error " + s.expectErr, err.kindName(), err.message(),
                          detail.empty() ? "" : "; " + detail));
      return false;
    }
    if (s.expectBytes && bytes >= 0 && bytes != *s.expectBytes) {
      w_.fail(fmt::format("{}: expected {} bytes, got {}", where(s), *s.expectBytes, bytes));
      return false;
    }
    return true;
  }

  // A connection by name: this goroutine's captured one, else the shared one
  // (waiting until some step creates it).
  std::shared_ptr<net::Conn> conn(const std::string& name) {
    auto it = captured_.find(name);
    if (it != captured_.end()) return it->second;
    w_.await(name);
    return w_.conn(name);
  }

  World& w_;
  std::string g_;
  Captured captured_;
  std::string lastRead_;
};

// ---- 3. watchdog and stop signal --------------------------------------------------------
// Stops a run that exceeds its time limit. The engine cannot be cancelled from
// outside (a goroutine may be parked forever), so the process ends with a message.
class Watchdog {
 public:
  Watchdog(int64_t ms, std::string name, const trace::Recorder* rec) {
    if (ms <= 0) return;
    thread_ = std::thread([this, ms, name, rec] {
      std::unique_lock lk(mu_);
      if (!cv_.wait_for(lk, std::chrono::milliseconds(ms), [this] { return done_; })) {
        std::fprintf(stderr,
                     "pollscope: scenario \"%s\" did not finish within its %lld ms watchdog (settings.timeout_ms)\n",
                     name.c_str(), static_cast<long long>(ms));
        // What the runtime did last says where it is stuck.
        auto events = rec->collect();
        size_t from = events.size() > 25 ? events.size() - 25 : 0;
        std::fprintf(stderr, "pollscope: the last %zu events:\n", events.size() - from);
        for (size_t i = from; i < events.size(); ++i) {
          const auto& e = events[i];
          const auto& spec = trace::kindSpec(e.kind);
          std::string line = fmt::format("  #{} M{} G{} {}", e.seq, e.m, e.g, spec.name);
          for (int f = 0; f < spec.fieldCount(); ++f)
            line += fmt::format(" {}={}", spec.fields[f].name, trace::formatValue(spec.fields[f].type, e.a[f]));
          std::fprintf(stderr, "%s\n", line.c_str());
        }
        std::_Exit(3);
      }
    });
  }
  ~Watchdog() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard lk(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};
}  // namespace

// ---- 4. runScenario ---------------------------------------------------------------------
RunResult runScenario(const Scenario& s, const RunOptions& opt) {
  trace::Recorder ownRecorder({opt.ringCapacity});
  trace::Recorder& rec = opt.recorder ? *opt.recorder : ownRecorder;
  rt::Options ro;
  ro.gomaxprocs = opt.gomaxprocs.value_or(s.gomaxprocs);
  ro.sysmon = s.sysmon;
  ro.recorder = &rec;
  rt::Runtime runtime(ro);
  World world;
  world.scenario = &s;
  world.rec = &rec;
  world.np = runtime.engine().netpoll.get();
  world.installHooks();
  world.announce = opt.stopFd >= 0;

  // --listen: the first listen step binds where the user asked.
  Scenario local;
  const Scenario* sc = &s;
  if (!opt.listenAddr.empty()) {
    local = s;
    std::function<bool(std::vector<Step>&)> patch = [&](std::vector<Step>& steps) {
      for (auto& st : steps) {
        if (st.op == Op::listen) {
          st.addr = opt.listenAddr;
          return true;
        }
        if (patch(st.body)) return true;
      }
      return false;
    };
    for (auto& g : local.goroutines)
      if (patch(g.steps)) break;
    sc = &local;
  }

  RunResult result;
  {
    Watchdog dog(opt.stopFd >= 0 || !opt.watchdog ? 0 : s.timeoutMs, s.name, &rec);
    try {
      runtime.run([&] {
        if (opt.stopFd >= 0) {
          // A goroutine parked on the stop pipe: SIGINT/SIGTERM wake it through
          // the poller like any socket, and it closes everything so the run ends.
          world.spawned.fetch_add(1);
          rt::go(
              [&] {
                auto stop = std::make_shared<net::Conn>(std::make_unique<poll::FD>(opt.stopFd));
                if (!stop->pollFD().init()) {
                  char b;
                  size_t n;
                  stop->read(&b, 1, &n);
                  world.stopping.store(true);
                  world.closeEverything();
                  stop->close();
                }
                world.finished.release();
              },
              "signal");
        }
        world.spawned.fetch_add(static_cast<int>(sc->goroutines.size()));
        for (const auto& g : sc->goroutines) {
          rt::go(
              [&world, &g] {
                StepRunner(world, g.name).runAll(g.steps);
                world.finished.release();
              },
              g.name);
        }
        // Spawned goroutines are counted before their parent finishes, so when the
        // count is reached nothing is left running.
        for (int done = 0; done < world.spawned.load(); ++done) world.finished.acquire();
        if (opt.stopFd >= 0 && !world.stopping.load()) world.stopping.store(true);
        // Whatever the story left open is closed now, as a Go program's exit would.
        std::vector<std::shared_ptr<net::Conn>> cs;
        std::vector<std::shared_ptr<net::Listener>> ls;
        {
          std::lock_guard lk(world.mu);
          for (auto& [n, c] : world.conns) cs.push_back(c);
          for (auto& [n, l] : world.listeners) ls.push_back(l);
        }
        for (auto& c : cs)
          if (!c->isClosed()) c->close();
        for (auto& l : ls)
          if (!l->isClosed()) l->close();
      });
    } catch (const std::exception& e) {
      world.failures.push_back(std::string("the run failed: ") + e.what());
    }
  }
  world.np->hooks = {};  // every M has stopped: safe to drop the hooks

  result.failures = std::move(world.failures);
  result.objects = std::move(world.objects);
  auto& t = result.trace;
  t.meta.scenario = s.name;
  t.meta.titleEn = s.title.en;
  t.meta.titleZh = s.title.zh;
  t.meta.descriptionEn = s.description.en;
  t.meta.descriptionZh = s.description.zh;
  t.meta.backend = world.np->backendName();
  t.meta.gomaxprocs = ro.gomaxprocs;
  t.meta.engineVersion = POLLSCOPE_VERSION;
  t.meta.ring = !opt.recorder && opt.ringCapacity > 0;
  t.meta.overwritten = rec.overwritten();
  t.events = rec.collect();
  for (const auto& e : t.events)
    if (e.kind == trace::Kind::gCreate) t.goroutines[e.a[0]] = rt::goroutineName(runtime.engine(), e.a[0]);
  t.steps = stepTable(s);
  if (result.failures.empty() && !t.meta.ring && opt.traceChecks) {
    for (auto& f : checkTrace(s, t, result.objects)) result.failures.push_back(std::move(f));
  }
  result.ok = result.failures.empty();
  return result;
}

std::vector<traceio::StepInfo> stepTable(const Scenario& s) {
  std::vector<traceio::StepInfo> out;
  for (const auto& [st, g] : allSteps(s))
    out.push_back({st->id, g, st->path, opName(st->op), st->narration.en, st->narration.zh});
  return out;
}

// ---- 5. trace checks --------------------------------------------------------------------------
namespace {
// The seq range in which an object owned its (pd, fd): from its pd_open (the last
// one for that pair before it was created) to the pd_free that released it.
struct Span {
  int64_t pd, fd;
  uint64_t from, to;
  uint64_t fdFrom;  // the socket()/accept4() that returned the fd, for fd-only events
};

std::vector<Span> spansOf(const traceio::TraceModel& t, const std::vector<ObjectUse>& uses) {
  std::vector<Span> out;
  for (const auto& u : uses) {
    Span sp{u.pd, u.fd, 0, UINT64_MAX, 0};
    bool sawSocket = false;
    for (const auto& e : t.events) {
      if (e.seq >= u.createdBy) break;
      if (e.kind == Kind::pdOpen && e.a[0] == u.pd && e.a[1] == u.fd) sp.from = e.seq;
      bool opens = e.kind == Kind::sys && e.a[2] == u.fd &&
                   (e.a[0] == static_cast<int64_t>(trace::SysOp::socket) ||
                    e.a[0] == static_cast<int64_t>(trace::SysOp::accept));
      if (opens) {
        sp.fdFrom = e.seq;
        sawSocket = true;
      }
    }
    if (!sawSocket) sp.fdFrom = sp.from;
    for (const auto& e : t.events)
      if (e.seq > sp.from && e.kind == Kind::pdFree && e.a[0] == u.pd) {
        sp.to = e.seq;
        break;
      }
    out.push_back(sp);
  }
  return out;
}
}  // namespace

std::vector<std::string> checkTrace(const Scenario& s, const traceio::TraceModel& t, const ObjectMap& objects) {
  std::vector<std::string> out;
  for (const auto& c : s.checks) {
    auto kind = *trace::kindFromName(c.kind);
    const auto& spec = trace::kindSpec(kind);
    int pdIdx = spec.fieldIndex("pd"), fdIdx = spec.fieldIndex("fd");
    std::vector<Span> spans;
    if (!c.on.empty()) {
      auto it = objects.find(c.on);
      if (it != objects.end()) spans = spansOf(t, it->second);
    }
    int64_t n = 0;
    for (const auto& e : t.events) {
      if (e.kind != kind) continue;
      bool match = true;
      for (const auto& [field, want] : c.where) {
        int idx = spec.fieldIndex(field);
        auto type = spec.fields[idx].type;
        std::string have = trace::formatValue(type, e.a[idx]);
        if (have != want && std::to_string(e.a[idx]) != want) match = false;
      }
      if (match && !c.on.empty()) {
        bool mine = false;
        for (const auto& sp : spans) {
          if (pdIdx >= 0) {
            mine = mine || (e.seq >= sp.from && e.seq <= sp.to && e.a[pdIdx] == sp.pd);
          } else if (fdIdx >= 0) {
            mine = mine || (e.seq >= sp.fdFrom && e.seq <= sp.to && e.a[fdIdx] == sp.fd);
          }
        }
        match = mine;
      }
      n += match;
    }
    if (n < c.min || n > c.max) {
      std::string cond;
      for (const auto& [f, v] : c.where) cond += " " + f + "=" + v;
      std::string range = c.min == c.max       ? fmt::format("exactly {}", c.min)
                          : c.max == INT64_MAX ? fmt::format("at least {}", c.min)
                          : c.min == 0         ? fmt::format("at most {}", c.max)
                                               : fmt::format("{}..{}", c.min, c.max);
      out.push_back(fmt::format("{}: expected {} \"{}\" event(s){}{}, found {}{}", c.path, range, c.kind, cond,
                                c.on.empty() ? "" : " on " + c.on, n, c.why.empty() ? "" : " (" + c.why + ")"));
    }
  }
  return out;
}

}  // namespace pollscope::scenario
