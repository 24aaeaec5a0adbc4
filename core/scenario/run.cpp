// Runs a scenario on a fresh Runtime: one goroutine per scenario goroutine, the
// main goroutine waits for all of them, and every step checks its expectation.
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <thread>

#include "net/net.hpp"
#include "netpoll/netpoll.hpp"
#include "runtime/runtime.hpp"
#include "runtime/sema.hpp"
#include "scenario/scenario.hpp"

namespace pollscope::scenario {
namespace {

// Objects the steps create, shared by all goroutines of one run.
struct World {
  std::mutex mu;  // never held across a park
  std::map<std::string, std::shared_ptr<net::Listener>> listeners;
  std::map<std::string, std::shared_ptr<net::Conn>> conns;
  std::vector<std::string> failures;

  void fail(std::string msg) {
    std::lock_guard lk(mu);
    failures.push_back(std::move(msg));
  }
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
};

bool errMatches(const std::string& want, const poll::Error& got) {
  if (want == "any") return true;
  return want == got.kindName();
}

std::string printable(const std::string& s) {
  std::string out;
  for (char c : s.substr(0, 60)) out += (c >= 32 && c < 127) ? c : '.';
  return s.size() > 60 ? out + "..." : out;
}

// Looks a name up, giving other goroutines a chance to create it first.
template <typename F>
auto awaitObject(F lookup) -> decltype(lookup()) {
  for (int i = 0; i < 1000; ++i) {
    if (auto p = lookup()) return p;
    rt::gosched();
  }
  for (int i = 0; i < 1000; ++i) {  // then back off to timers: the creator may itself be parked
    if (auto p = lookup()) return p;
    rt::sleep(1'000'000);
  }
  return nullptr;
}

void runGoroutine(World& w, const GoroutineSpec& g) {
  std::string lastRead;
  for (const Step& s : g.steps) {
    std::string where = fmt::format("{} ({} {})", s.path, g.name, opName(s.op));
    poll::Error err;
    std::string detail;
    switch (s.op) {
      case Op::listen: {
        std::unique_ptr<net::Listener> ln;
        err = net::listen({s.network, s.addr}, &ln, &detail);
        if (!err) {
          std::lock_guard lk(w.mu);
          w.listeners[s.as] = std::move(ln);
        }
        break;
      }
      case Op::accept: {
        auto ln = awaitObject([&] { return w.listener(s.target); });
        if (!ln) {
          w.fail(where + ": listener \"" + s.target + "\" never appeared");
          return;
        }
        std::unique_ptr<net::Conn> c;
        err = ln->accept(&c);
        if (!err) {
          std::lock_guard lk(w.mu);
          w.conns[s.as] = std::move(c);
        }
        break;
      }
      case Op::dial: {
        net::Address addr{s.network, s.addr};
        if (!s.addr.empty() && s.addr[0] == '@') {
          auto ln = awaitObject([&] { return w.listener(s.addr.substr(1)); });
          if (!ln) {
            w.fail(where + ": listener \"" + s.addr.substr(1) + "\" never appeared");
            return;
          }
          addr = ln->addr();
        }
        std::unique_ptr<net::Conn> c;
        err = net::dial(addr, &c, &detail);
        if (!err) {
          std::lock_guard lk(w.mu);
          w.conns[s.as] = std::move(c);
        }
        break;
      }
      case Op::read: {
        auto c = awaitObject([&] { return w.conn(s.target); });
        if (!c) {
          w.fail(where + ": connection \"" + s.target + "\" never appeared");
          return;
        }
        std::string buf(static_cast<size_t>(s.size), '\0');
        size_t got = 0;
        err = c->read(buf.data(), buf.size(), &got);
        buf.resize(got);
        lastRead = buf;
        if (s.expectData && !err && buf != *s.expectData)
          w.fail(
              fmt::format("{}: expected to read \"{}\", got \"{}\"", where, printable(*s.expectData), printable(buf)));
        break;
      }
      case Op::write: {
        auto c = awaitObject([&] { return w.conn(s.target); });
        if (!c) {
          w.fail(where + ": connection \"" + s.target + "\" never appeared");
          return;
        }
        std::string payload;
        const std::string& unit = s.data == "$last" ? lastRead : s.data;
        payload.reserve(unit.size() * static_cast<size_t>(s.repeat));
        for (int64_t i = 0; i < s.repeat; ++i) payload += unit;
        size_t wrote = 0;
        err = c->write(payload.data(), payload.size(), &wrote);
        break;
      }
      case Op::close: {
        if (auto c = w.conn(s.target))
          err = c->close();
        else if (auto ln = w.listener(s.target))
          err = ln->close();
        else {
          w.fail(where + ": nothing named \"" + s.target + "\" to close");
          return;
        }
        break;
      }
      case Op::closeWrite: {
        auto c = w.conn(s.target);
        if (!c) {
          w.fail(where + ": no connection \"" + s.target + "\"");
          return;
        }
        err = c->closeWrite();
        break;
      }
      case Op::sleep: rt::sleep(s.ms * 1'000'000); break;
      case Op::setReadDeadline:
      case Op::setWriteDeadline:
      case Op::setDeadline: {
        auto c = awaitObject([&] { return w.conn(s.target); });
        if (!c) {
          w.fail(where + ": connection \"" + s.target + "\" never appeared");
          return;
        }
        std::optional<int64_t> d;
        if (!s.clearDeadline) d = s.ms * 1'000'000;
        if (s.op == Op::setReadDeadline)
          err = c->setReadDeadline(d);
        else if (s.op == Op::setWriteDeadline)
          err = c->setWriteDeadline(d);
        else
          err = c->setDeadline(d);
        break;
      }
    }
    if (!errMatches(s.expectErr, err)) {
      w.fail(fmt::format("{}: expected {}, got {} ({}){}", where,
                         s.expectErr == "ok" ? "success" : "error " + s.expectErr, err.kindName(), err.message(),
                         detail.empty() ? "" : "; " + detail));
      return;  // later steps of this goroutine depend on this one
    }
  }
}

// Stops a run that exceeds its time limit: the engine cannot be cancelled from
// outside (a goroutine may be parked forever), so the process ends with a message.
class Watchdog {
 public:
  Watchdog(int64_t ms, std::string name) {
    thread_ = std::thread([this, ms, name] {
      std::unique_lock lk(mu_);
      if (!cv_.wait_for(lk, std::chrono::milliseconds(ms), [this] { return done_; })) {
        std::fprintf(stderr,
                     "pollscope: scenario \"%s\" did not finish within its %lld ms watchdog (settings.timeout_ms)\n",
                     name.c_str(), static_cast<long long>(ms));
        std::_Exit(3);
      }
    });
  }
  ~Watchdog() {
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

RunResult runScenario(const Scenario& s, const RunOptions& opt) {
  trace::Recorder rec({opt.ringCapacity});
  rt::Options ro;
  ro.gomaxprocs = opt.gomaxprocs.value_or(s.gomaxprocs);
  ro.sysmon = s.sysmon;
  ro.recorder = &rec;
  rt::Runtime runtime(ro);
  World world;
  RunResult result;
  {
    Watchdog dog(s.timeoutMs, s.name);
    try {
      runtime.run([&] {
        rt::Sema done;
        for (const auto& g : s.goroutines) {
          rt::go(
              [&world, &g, &done] {
                runGoroutine(world, g);
                done.release();
              },
              g.name);
        }
        for (size_t i = 0; i < s.goroutines.size(); ++i) done.acquire();
        // Whatever the story left open is closed now, as a Go program's exit would.
        for (auto& [name, c] : world.conns)
          if (!c->isClosed()) c->close();
        for (auto& [name, ln] : world.listeners)
          if (!ln->isClosed()) ln->close();
      });
    } catch (const std::exception& e) {
      world.failures.push_back(std::string("the run failed: ") + e.what());
    }
  }
  result.failures = std::move(world.failures);
  result.ok = result.failures.empty();
  auto& t = result.trace;
  t.meta.scenario = s.name;
  t.meta.titleEn = s.title.en;
  t.meta.titleZh = s.title.zh;
  t.meta.backend = runtime.engine().netpoll->backendName();
  t.meta.gomaxprocs = ro.gomaxprocs;
  t.meta.engineVersion = POLLSCOPE_VERSION;
  t.meta.ring = opt.ringCapacity > 0;
  t.meta.overwritten = rec.overwritten();
  t.events = rec.collect();
  for (const auto& e : t.events)
    if (e.kind == trace::Kind::gCreate) t.goroutines[e.a[0]] = rt::goroutineName(runtime.engine(), e.a[0]);
  return result;
}

}  // namespace pollscope::scenario
