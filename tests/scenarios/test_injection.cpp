// Staged races: who polls, who is held, and whether the runs repeat.
//
// Sections: 1. the poll-caller rules  2. every scenario and golden trace
//           3. the race scenarios repeat at GOMAXPROCS 1 and 2
#include <map>
#include <set>
#include <sstream>

#include "scenarios/library.hpp"
#include "trace/fields.hpp"
#include "traceio/json.hpp"

using namespace pollscope;
using namespace pstest;
using trace::Kind;

namespace {
// ---- 1. the poll-caller rules ----------------------------------------------------------
// What each netpoll caller is in Go (docs/go-netpoll.md §7): findRunnable's
// non-blocking poll runs on g0 of an M that holds a P; its blocking poll on g0 of
// an M that released its P; sysmon on its own M without a P. No goroutine polls,
// and an M never polls between its goroutine's _Gwaiting (IO wait) and the result
// of that park (inside park_m). Returns one line per broken rule.
std::vector<std::string> pollCallerProblems(const traceio::TraceModel& t) {
  std::vector<std::string> out;
  std::map<int16_t, bool> parking;
  std::map<int16_t, int64_t> heldP;  // from acquirep/releasep
  std::set<int16_t> sysmonMs;        // Ms that made a sysmon poll
  for (const auto& e : t.events) {
    if (auto mp = trace::as<Kind::mp>(e)) {
      if (mp->op() == trace::SchedOp::acquirep) heldP[static_cast<int16_t>(mp->mid())] = mp->pid();
      if (mp->op() == trace::SchedOp::releasep) heldP[static_cast<int16_t>(mp->mid())] = -1;
    }
    if (auto gs = trace::as<Kind::gStatus>(e))
      if (gs->to() == trace::GStatus::Gwaiting && gs->reason() == trace::WaitReason::ioWait) parking[e.m] = true;
    if (e.kind == Kind::park) parking[e.m] = false;
    auto pe = trace::as<Kind::pollEnter>(e);
    if (!pe) continue;
    std::ostringstream where;
    where << "seq " << e.seq << " M" << e.m << " P" << e.p << " G" << e.g << " " << trace::name(pe->caller());
    if (e.g != 0) out.push_back(where.str() + ": a goroutine polls");
    if (e.m < 0) out.push_back(where.str() + ": a thread outside the runtime polls");
    if (parking[e.m]) out.push_back(where.str() + ": the M polls inside park_m");
    auto held = heldP.find(e.m);
    int64_t p = held == heldP.end() ? e.p : held->second;
    if (p != e.p) out.push_back(where.str() + ": the event's P is not the P the M holds");
    switch (pe->caller()) {
      case trace::PollSite::findRunnableNb:
        if (e.p < 0) out.push_back(where.str() + ": findRunnable's non-blocking poll without a P");
        break;
      case trace::PollSite::findRunnableBlock:
        if (e.p >= 0) out.push_back(where.str() + ": a blocking poll while holding a P");
        break;
      case trace::PollSite::sysmon:
        if (e.p >= 0) out.push_back(where.str() + ": sysmon holds a P");
        sysmonMs.insert(e.m);
        break;
      default: out.push_back(where.str() + ": a caller this engine never has"); break;
    }
  }
  if (sysmonMs.size() > 1) out.push_back("sysmon polled from more than one M");
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& l : v) s += l + "\n";
  return s;
}

// The events of one run that a scenario's story decides (normalizedTransitions)
// plus its injection marks; at GOMAXPROCS=1 their whole order must repeat. With
// two Ps the other goroutines really run at the same time as the race (a dial,
// an EPOLLOUT edge polled by one M or another), so only the race itself must
// repeat: its hook marks, every read-side (rg) transition, park and pd_open/free
// of the pollDesc under study, and its stale drops, in order.
std::vector<std::string> storyLines(const traceio::TraceModel& t, bool raceOnly) {
  std::vector<std::string> lines;
  int64_t studied = 0;
  for (const auto& e : t.events)
    if (auto h = trace::as<Kind::hook>(e)) {
      studied = h->pd();
      break;
    }
  for (const auto& e : t.events) {
    if (auto h = trace::as<Kind::hook>(e)) {
      lines.push_back(std::string("hook ") + std::string(trace::name(h->name())) + " " +
                      std::string(trace::name(h->phase())));
      continue;
    }
    if (raceOnly) {
      auto pd = trace::fieldValue(e, "pd");
      if (!pd || *pd != studied) continue;
      auto mode = trace::fieldValue(e, "mode");
      if (mode && *mode != static_cast<int64_t>(trace::Mode::r)) continue;
      if (auto pe = trace::as<Kind::pollEvent>(e)) {
        if (pe->action() == trace::PollAction::staleDrop) lines.push_back("poll_event stale_drop");
        continue;
      }
    }
    traceio::TraceModel one;
    one.events.push_back(e);
    for (auto& l : scenario::normalizedTransitions(one)) {
      if (!raceOnly) {
        lines.push_back(l);
        continue;
      }
      // Which pollDesc number the studied socket got depends on whether the dial
      // or the accept allocated first: leave the number out.
      std::istringstream in(l);
      std::string tok, kept;
      while (in >> tok)
        if (tok.rfind("pd=", 0) != 0) kept += tok + " ";
      lines.push_back(kept);
    }
  }
  return lines;
}

const char* kRaces[] = {"data-before-park", "event-while-wait", "fd-reuse-stale-event"};
}  // namespace

// ---- 2. every scenario and golden trace ----------------------------------------------------
TEST_CASE("the poll-caller rules catch a poll by a goroutine and one inside park_m", "[scenarios][injection]") {
  // The rules must be able to fail: a hand-made trace breaks each of them.
  traceio::TraceModel t;
  auto add = [&](trace::Event e) {
    e.seq = t.events.size();
    t.events.push_back(e);
  };
  add(trace::makeEvent<Kind::gStatus>({.goid = 5,
                                       .from = trace::GStatus::Grunning,
                                       .to = trace::GStatus::Gwaiting,
                                       .reason = trace::WaitReason::ioWait}));
  t.events.back().m = 0;
  t.events.back().p = 0;
  add(trace::makeEvent<Kind::pollEnter>({.caller = trace::PollSite::findRunnableNb, .delayNs = 0, .timeoutMs = 0}));
  t.events.back().m = 0;
  t.events.back().p = 0;
  t.events.back().g = 5;
  auto problems = pollCallerProblems(t);
  INFO(joined(problems));
  CHECK(problems.size() == 2);  // a goroutine polls, and it does so inside park_m
}

TEST_CASE("in every scenario and golden trace each poll is made by the caller it claims", "[scenarios][injection]") {
  for (const auto& file : scenarioFiles()) {
    auto s = loadScenario(file);
    INFO(file);
    auto r = scenario::runScenario(s);
    INFO(failuresOf(r));
    REQUIRE(r.ok);
    CHECK(joined(pollCallerProblems(r.trace)) == "");
    std::string golden = std::string(POLLSCOPE_SOURCE_DIR) + "/traces/" + s.name + ".trace.json";
    traceio::TraceModel g;
    std::string err;
    INFO(golden << " " << err);
    REQUIRE(traceio::readTraceFile(golden, &g, &err));
    CHECK(joined(pollCallerProblems(g)) == "");
  }
}

TEST_CASE("no golden trace ends with the exit's break or eventfd write", "[scenarios][injection]") {
  for (const auto& file : scenarioFiles()) {
    auto s = loadScenario(file);
    std::string golden = std::string(POLLSCOPE_SOURCE_DIR) + "/traces/" + s.name + ".trace.json";
    traceio::TraceModel g;
    std::string err;
    REQUIRE(traceio::readTraceFile(golden, &g, &err));
    INFO(golden);
    // After main's goroutine is dead nothing is recorded: Go's exit makes no break.
    bool mainDead = false;
    for (const auto& e : g.events) {
      if (auto gs = trace::as<Kind::gStatus>(e))
        if (gs->goid() == 1 && gs->to() == trace::GStatus::Gdead) mainDead = true;
      if (!mainDead) continue;
      CHECK(e.kind != Kind::netpollBreak);
      auto sys = trace::as<Kind::sys>(e);
      CHECK(!(sys && sys->op() == trace::SysOp::eventfd_write));
    }
    CHECK(mainDead);
    REQUIRE(!g.events.empty());
    CHECK(g.events.back().kind == Kind::gStatus);  // main's _Gdead is the last event
  }
}

// ---- 3. the race scenarios repeat at GOMAXPROCS 1 and 2 ----------------------------------------
TEST_CASE("each race is staged by another M, marked, and repeats 20 times at GOMAXPROCS 1 and 2",
          "[scenarios][injection][repro]") {
  for (const char* name : kRaces) {
    auto s = loadScenario(std::string(POLLSCOPE_SOURCE_DIR) + "/scenarios/" + name + ".json");
    for (int procs : {1, 2}) {
      INFO(name << " at GOMAXPROCS=" << procs);
      scenario::RunOptions opt;
      opt.gomaxprocs = procs;
      std::vector<std::string> first;
      for (int i = 0; i < 20; ++i) {
        auto r = scenario::runScenario(s, opt);
        INFO("run " << i << ": " << failuresOf(r));
        REQUIRE(r.ok);
        CHECK(joined(pollCallerProblems(r.trace)) == "");
        // The race's event came from another M while the marked hook held this one.
        int holds = 0, releases = 0;
        bool otherMPolled = false;
        int16_t heldM = -2;
        for (const auto& e : r.trace.events) {
          if (auto h = trace::as<Kind::hook>(e)) {
            if (h->phase() == trace::HookPhase::hold) {
              ++holds;
              heldM = e.m;
            } else {
              ++releases;
            }
          }
          if (holds > releases && e.kind == Kind::pollEvent && e.m != heldM) otherMPolled = true;
        }
        CHECK(holds >= 1);
        CHECK(holds == releases);
        if (std::string(name) != "fd-reuse-stale-event") CHECK(otherMPolled);
        auto lines = storyLines(r.trace, procs > 1);
        if (i == 0) {
          first = lines;
        } else {
          CHECK(lines == first);
          if (lines != first) break;
        }
      }
    }
  }
}
