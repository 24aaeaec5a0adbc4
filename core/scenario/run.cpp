// Runs a scenario on a fresh Runtime: one goroutine per scenario goroutine, the
// main goroutine waits for all of them like a sync.WaitGroup (spawned ones
// included; it is woken once, by the last), every step checks
// its expectation, and the recorded trace is checked against `expect_trace`
// (checks.cpp). The shared world is world.hpp; ops run through the op table.
//
// Sections: 1. steps (dispatch, shared expectations, the look-up guard)
//           2. runScenario and the step table
#include <fmt/format.h>

#include <cstdio>
#include <functional>
#include <optional>

#include "net/net.hpp"
#include "runtime/runtime.hpp"
#include "scenario/op_table.hpp"
#include "scenario/scenario.hpp"
#include "scenario/step_runner.hpp"
#include "scenario/streamed_run.hpp"
#include "scenario/watchdog.hpp"
#include "scenario/world.hpp"
#include "trace/fields.hpp"

namespace pollscope::scenario {
namespace runner {
using trace::Kind;

// ---- 1. steps -------------------------------------------------------------------------
bool StepRunner::runAll(const std::vector<Step>& steps) {
  for (const Step& s : steps) {
    if (w_.interrupted.load() && !w_.aborted.load()) {
      std::string why;
      {
        std::lock_guard lk(w_.mu);
        why = w_.interruptMsg;
      }
      w_.fail(why);
    }
    if (w_.aborted.load()) return false;
    PS_EMIT(rt::currentEngine(), Kind::step, "scenario.step", s.id, trace::Phase::call);
    bool ok = run(s);
    PS_EMIT(rt::currentEngine(), Kind::step, "scenario.step", s.id, trace::Phase::ret);
    if (!s.label.empty()) w_.label(s.label)->fire();
    if (!ok) return false;
  }
  return true;
}

namespace {
bool errMatches(const std::string& want, const poll::Error& got) {
  return want == "any" || want == got.kindName();
}
}  // namespace

bool StepRunner::run(const Step& s) {
  OpOutcome out;
  if (!opSpec(s.op).handler(*this, s, out)) return false;
  if (w_.aborted.load()) return false;
  if (!errMatches(s.expectErr, out.err))
    return fail(s, fmt::format("expected {}, got {} ({}){}", s.expectErr == "ok" ? "success" : "error " + s.expectErr,
                               out.err.kindName(), out.err.message(), out.detail.empty() ? "" : "; " + out.detail));
  if (s.expectBytes && out.bytes >= 0 && out.bytes != *s.expectBytes)
    return fail(s, fmt::format("expected {} bytes, got {}", *s.expectBytes, out.bytes));
  return true;
}

std::string StepRunner::where(const Step& s) const {
  return fmt::format("{} ({} {})", s.path, g_, opName(s.op));
}

bool StepRunner::fail(const Step& s, const std::string& what) {
  if (handler_ && !w_.stopping.load()) {
    // Go's per-connection goroutine: its error is its own; the handler's
    // connections are closed (its deferred Close) and serving goes on.
    w_.handlerFailed(where(s) + ": " + what);
    for (auto& [n, c] : captured_)
      if (c && !c->isClosed()) c->close();
    return false;
  }
  w_.fail(where(s) + ": " + what);
  return false;
}

std::shared_ptr<net::Conn> StepRunner::conn(const std::string& name) {
  auto it = captured_.find(name);
  if (it != captured_.end()) return it->second;
  w_.await(name);
  return w_.conn(name);
}

std::shared_ptr<net::Conn> StepRunner::capturedConn(const std::string& name) const {
  auto it = captured_.find(name);
  return it == captured_.end() ? nullptr : it->second;
}

// The look-up guard, written once: every op that needs a named socket fails the
// same way when the name stands for something else (or nothing, after a failure).
bool StepRunner::notA(const Step& s, const std::string& name, const char* what) {
  return fail(s, fmt::format("\"{}\" is not a {}", name, what));
}

std::shared_ptr<net::Conn> StepRunner::needConn(const Step& s, const std::string& name) {
  auto c = conn(name);
  if (!c) notA(s, name, "connection");
  return c;
}

std::shared_ptr<net::Listener> StepRunner::needListener(const Step& s, const std::string& name) {
  w_.await(name);
  auto ln = w_.listener(name);
  if (!ln) notA(s, name, "listener");
  return ln;
}
}  // namespace runner

// ---- 2. runScenario and the step table ---------------------------------------------------
namespace {
// The trace's header and tables, from the scenario and what the run recorded.
// Also used while the run goes on (a snapshot for a forced exit): then `events`
// is cut at the first sequence gap (an event another thread has not published yet).
// The trace's header: what a streamed trace writes before its first event.
traceio::TraceMeta traceHeader(const Scenario& s, const netpoll::Netpoll& np, int gomaxprocs, bool ring) {
  traceio::TraceMeta m;
  m.scenario = s.name;
  m.titleEn = s.title.en;
  m.titleZh = s.title.zh;
  m.descriptionEn = s.description.en;
  m.descriptionZh = s.description.zh;
  m.backend = np.backendName();
  m.gomaxprocs = gomaxprocs;
  m.engineVersion = POLLSCOPE_VERSION;
  m.ring = ring;
  return m;
}

traceio::TraceModel buildTrace(const Scenario& s, const trace::Recorder& rec, rt::Engine& engine,
                               const netpoll::Netpoll& np, int gomaxprocs, bool ring, std::string partial) {
  traceio::TraceModel t;
  t.meta = traceHeader(s, np, gomaxprocs, ring);
  t.meta.overwritten = rec.overwritten();
  t.events = rec.collect();
  if (!partial.empty() && !ring)
    for (size_t i = 0; i < t.events.size(); ++i)
      if (t.events[i].seq != i) {
        t.events.resize(i);
        break;
      }
  t.meta.partial = std::move(partial);
  // The program ends when main's goroutine is dead, as a Go program exits when main
  // returns: what the engine's threads record while they stop is not part of it.
  for (size_t i = 0; i < t.events.size(); ++i)
    if (auto st = trace::as<trace::Kind::gStatus>(t.events[i]))
      if (st->goid() == 1 && st->to() == trace::GStatus::Gdead) {
        t.events.resize(i + 1);
        break;
      }
  for (const auto& e : t.events)
    if (auto c = trace::as<trace::Kind::gCreate>(e)) t.goroutines[c->goid()] = rt::goroutineName(engine, c->goid());
  t.steps = stepTable(s);
  return t;
}

// --listen: the first listen step binds where the user asked.
Scenario withListenAddress(const Scenario& s, const std::string& addr) {
  Scenario local = s;
  std::function<bool(std::vector<Step>&)> patch = [&](std::vector<Step>& steps) {
    for (auto& st : steps) {
      if (st.op == Op::listen) {
        st.addr = addr;
        return true;
      }
      if (patch(st.body)) return true;
    }
    return false;
  };
  for (auto& g : local.goroutines)
    if (patch(g.steps)) break;
  return local;
}

// Closes every socket the story left open, as a Go program's exit would. A story
// closes what it names (its golden trace shows exactly that); a server also has
// the connections whose name was bound again since.
void closeWhatIsLeft(runner::World& world) {
  std::vector<std::shared_ptr<net::Conn>> cs;
  std::vector<std::shared_ptr<net::Listener>> ls;
  {
    std::lock_guard lk(world.mu);
    for (auto& [n, c] : world.conns) cs.push_back(c);
    if (world.serving)
      for (auto& w : world.live)
        if (auto c = w.lock()) cs.push_back(std::move(c));
    for (auto& [n, l] : world.listeners) ls.push_back(l);
  }
  for (auto& c : cs)
    if (!c->isClosed()) c->close();
  for (auto& l : ls)
    if (!l->isClosed()) l->close();
}
}  // namespace

bool RunControl::snapshot(const std::string& why, traceio::TraceModel* out) {
  std::lock_guard lk(mu_);
  if (!snapshot_) return false;
  *out = snapshot_(why);
  return true;
}

void RunControl::set(std::function<traceio::TraceModel(const std::string&)> f) {
  std::lock_guard lk(mu_);
  snapshot_ = std::move(f);
}

RunResult runScenario(const Scenario& s, const RunOptions& opt) {
  using runner::StepRunner;
  using runner::World;
  trace::Recorder::Options recOpt;
  recOpt.ringCapacity = opt.stream ? 0 : opt.ringCapacity;
  recOpt.streaming = opt.stream != nullptr;
  trace::Recorder ownRecorder(recOpt);
  trace::Recorder& rec = opt.recorder && !opt.stream ? *opt.recorder : ownRecorder;
  bool ring = !opt.recorder && !opt.stream && opt.ringCapacity > 0;
  rt::Options ro;
  ro.gomaxprocs = opt.gomaxprocs.value_or(s.gomaxprocs);
  ro.sysmon = s.sysmon;
  // A scenario that stages a race needs a second actor that polls while the
  // goroutine under study is held: sysmon, dormant until the race asks for it.
  for (const auto& [st, g] : allSteps(s))
    if (st->race != Race::none || st->op == Op::closeDuringPoll) ro.sysmonOnDemand = true;
  bool waitsForEvents = false;  // wait_events counts recorded events: it needs the recorder
  for (const auto& [st, g] : allSteps(s)) waitsForEvents |= st->op == Op::waitEvents;
  ro.recorder = opt.record || waitsForEvents || opt.recorder ? &rec : nullptr;
  rt::Runtime runtime(ro);
  World world;
  world.scenario = &s;
  world.rec = &rec;
  world.np = &rt::netpollOf(runtime.engine());
  world.installHooks();
  world.serving = !opt.listenAddr.empty();
  world.listenAddr = opt.listenAddr;
  world.onListening = opt.onListening;

  Scenario local;
  const Scenario* sc = &s;
  if (world.serving) {
    local = withListenAddress(s, opt.listenAddr);
    sc = &local;
  }
  // Streaming: the header goes out now, the events while the run goes on.
  std::optional<runner::StreamedRun> streamed;
  auto endStream = [&](const std::string& why, std::string* err) {
    return streamed->end([&](int64_t g) { return rt::goroutineName(runtime.engine(), g); }, why, err);
  };
  if (opt.stream) {
    opt.stream->begin(traceHeader(s, *world.np, ro.gomaxprocs, false), stepTable(s));
    streamed.emplace(rec, *opt.stream);
  }
  auto snapshot = [&](const std::string& why) {
    if (streamed) {  // the file is the trace: closed here with the reason, and nothing to hand back
      std::string err;
      if (!endStream(why, &err)) std::fprintf(stderr, "pollscope: %s\n", err.c_str());
      traceio::TraceModel t;
      t.meta.partial = why;
      return t;
    }
    return buildTrace(s, rec, runtime.engine(), *world.np, ro.gomaxprocs, ring, why);
  };
  if (opt.control) opt.control->set(snapshot);

  RunResult result;
  {
    runner::Watchdog dog(
        opt.stopFd >= 0 || !opt.watchdog ? 0 : s.timeoutMs, s.name, &rec,
        [&world](const std::string& why) { world.interrupt(why); },
        [&](const std::string& why) {
          if (opt.onStuck) opt.onStuck(snapshot(why));
        });
    try {
      runtime.run([&] {
        if (opt.stopFd >= 0) {
          // A goroutine parked on the stop pipe: SIGINT/SIGTERM wake it through
          // the poller like any socket, and it closes everything so the run ends.
          // A failed run closes the pipe's end (it is tracked like any conn), so
          // a --listen that cannot bind ends the run at once.
          world.wgAdd(1);
          rt::go(
              [&] {
                auto stop = std::make_shared<net::Conn>(std::make_unique<poll::FD>(opt.stopFd));
                if (!stop->pollFD().init()) {
                  world.track(stop);
                  char b;
                  size_t n;
                  // Tracked first, then checked: a failure before this point has closed
                  // everything already; one after it closes this pipe too.
                  if (!world.aborted.load()) stop->read(&b, 1, &n);
                  world.stopping.store(true);
                  world.closeEverything();
                  stop->close();
                }
                world.wgDone();
              },
              "signal");
        }
        world.wgAdd(static_cast<int>(sc->goroutines.size()));
        for (const auto& g : sc->goroutines) {
          rt::go(
              [&world, &g] {
                StepRunner(world, g.name).runAll(g.steps);
                world.wgDone();
              },
              g.name);
        }
        // wg.Wait(): spawned goroutines are added before their parent is done, so
        // when the count reaches zero nothing is left running; main wakes once.
        world.wgWait();
        if (opt.stopFd >= 0 && !world.stopping.load()) world.stopping.store(true);
        closeWhatIsLeft(world);
      });
    } catch (const std::exception& e) {
      world.failures.push_back(std::string("the run failed: ") + e.what());
    }
    result.timedOut = dog.fired();
  }
  if (opt.control) opt.control->set(nullptr);
  world.np->hooks = {};  // every M has stopped: safe to drop the hooks

  result.failures = std::move(world.failures);
  result.objects = std::move(world.objects);
  result.listenError = world.listenError;
  result.handlerErrors = world.handlerErrors.load();
  std::string partial;
  if (result.timedOut) {
    std::lock_guard lk(world.mu);
    partial = world.interruptMsg;
  }
  if (partial.empty()) partial = rec.limitNote();  // a value no trace event holds stopped the recording
  if (streamed) {
    std::string err;
    if (!endStream(partial, &err)) result.failures.push_back("writing the trace: " + err);
  }
  result.trace = buildTrace(s, rec, runtime.engine(), *world.np, ro.gomaxprocs, ring, partial);
  auto& t = result.trace;
  if (result.failures.empty() && !t.meta.ring && opt.traceChecks && !streamed) {
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

}  // namespace pollscope::scenario
