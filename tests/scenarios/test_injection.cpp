// Staged races: who polls, who is held, and whether the runs repeat.
//
// Sections: 1. the poll-caller rules  2. every scenario and golden trace
//           3. the race scenarios repeat at GOMAXPROCS 1 and 2
//           4. deadline-moved: the move by a goroutine, and what repeats
#include <algorithm>
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
// two Ps the other goroutines really run at the same time as the race (whether
// Accept parks before the dial's connect, edges grouped by one M's poll or
// another's: docs/fidelity.md, "What two Ps change"), so only the race itself
// must repeat: its hook marks, every read-side (rg) transition, park and
// pd_open/free of the pollDesc under study, and its stale drops, in order (and,
// checked apart, every call's result).
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

// One normalized line (normalizedTransitions) without the pollDesc's number.
std::string withoutPd(const trace::Event& e) {
  traceio::TraceModel one;
  one.events.push_back(e);
  std::string kept;
  for (auto& l : scenario::normalizedTransitions(one)) {
    std::istringstream in(l);
    std::string tok;
    while (in >> tok)
      if (tok.rfind("pd=", 0) != 0) kept += (kept.empty() ? "" : " ") + tok;
  }
  return kept;
}

// The whole story of one run, keyed so that what Go leaves to chance between
// threads drops out and what the story decides stays: per socket (by the name
// the scenario gave it), its rg/wg transitions, parks, deadline fires, pd_open and
// pd_free in order; per goroutine (by name), every call with its result, in order.
// Left out: times, fd and pollDesc numbers, M and P, and the interleaving of
// different sockets and goroutines.
std::map<std::string, std::vector<std::string>> wholeStory(const scenario::RunResult& r, uint64_t until = UINT64_MAX) {
  const auto& t = r.trace;
  struct Span {
    std::string name;
    int64_t pd;
    uint64_t from, to;
  };
  std::vector<Span> spans;  // each socket's ownership of its pollDesc: pd_open .. pd_free
  for (const auto& [name, uses] : r.objects)
    for (const auto& u : uses) {
      Span sp{name, u.pd, 0, UINT64_MAX};
      for (const auto& e : t.events) {
        if (e.seq >= u.createdBy) break;
        if (auto o = trace::as<Kind::pdOpen>(e); o && o->pd() == u.pd && o->fd() == u.fd) sp.from = e.seq;
      }
      for (const auto& e : t.events)
        if (auto f = trace::as<Kind::pdFree>(e); f && e.seq > sp.from && f->pd() == u.pd) {
          sp.to = e.seq;
          break;
        }
      spans.push_back(sp);
    }
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& e : t.events) {
    if (e.seq > until) break;
    if (e.kind == Kind::user) {
      auto g = t.goroutines.find(e.g);
      out["goroutine " + (g == t.goroutines.end() ? std::to_string(e.g) : g->second)].push_back(withoutPd(e));
      continue;
    }
    if (e.kind == Kind::step || e.kind == Kind::hook) continue;  // steps follow the calls; hooks checked apart
    auto pd = trace::fieldValue(e, "pd");
    if (!pd) continue;
    std::string line = withoutPd(e);
    if (line.empty()) continue;  // not a transition the story decides
    std::string owner = "an unnamed socket";
    for (const auto& sp : spans)
      if (sp.pd == *pd && e.seq >= sp.from && e.seq <= sp.to) owner = "socket " + sp.name;
    out[owner].push_back(line);
  }
  return out;
}

// Every goroutine's calls and results: what a program sees, and what must repeat
// with any number of Ps.
std::map<std::string, std::vector<std::string>> results(const std::map<std::string, std::vector<std::string>>& story) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [key, lines] : story)
    if (key.rfind("goroutine ", 0) == 0) out[key] = lines;
  return out;
}

std::string firstDifference(const std::map<std::string, std::vector<std::string>>& a,
                            const std::map<std::string, std::vector<std::string>>& b) {
  for (const auto& [key, lines] : a) {
    auto it = b.find(key);
    if (it == b.end()) return key + ": only in the first run";
    for (size_t i = 0; i < std::max(lines.size(), it->second.size()); ++i) {
      std::string x = i < lines.size() ? lines[i] : "(end)";
      std::string y = i < it->second.size() ? it->second[i] : "(end)";
      if (x != y) return key + " #" + std::to_string(i) + ": " + x + "  vs  " + y;
    }
  }
  for (const auto& [key, lines] : b)
    if (!a.count(key)) return key + ": only in this run";
  return "";
}

const char* kRaces[] = {"data-before-park", "event-while-wait", "fd-reuse-stale-event"};

// move_after_fire as Go would have it, with real actors (docs/fidelity.md item 11):
// the deadline timer (g0) readies the reader and then, inside a hook bracket, the
// goroutine that set the deadline (runnext, ahead of the reader); that goroutine
// moves the deadline itself, inside its own bracket; the reader is held before its
// re-check until then, and the re-check finds no error. No pollSetDeadline and no
// deadline-timer change is made on g0. Returns one line per broken rule.
std::vector<std::string> moveProblems(const traceio::TraceModel& t) {
  std::vector<std::string> out;
  std::map<int16_t, std::pair<bool, int64_t>> open;  // M -> (held, G of the hold)
  auto bracketed = [&](const trace::Event& e) {
    auto it = open.find(e.m);
    return it != open.end() && it->second.first && it->second.second == e.g;
  };
  int64_t mover = -1, reader = -1, movedAt = -1, moverReleasedAt = -1, readerReleasedAt = -1;
  bool fired = false, moverReadied = false, recheckOk = false;
  for (const auto& e : t.events) {
    std::string at = "seq " + std::to_string(e.seq) + " M" + std::to_string(e.m) + " G" + std::to_string(e.g) + ": ";
    if (auto h = trace::as<Kind::hook>(e)) {
      bool hold = h->phase() == trace::HookPhase::hold;
      if (h->name() == trace::HookName::moveAfterFire && !hold && e.g != 0 && e.g == mover)
        moverReleasedAt = static_cast<int64_t>(e.seq);
      if (h->name() == trace::HookName::moveAfterFire && !hold && e.g != 0 && e.g == reader)
        readerReleasedAt = static_cast<int64_t>(e.seq);
      open[e.m] = {hold, e.g};
      continue;
    }
    if (auto d = trace::as<Kind::deadlineSet>(e)) {
      if (e.g == 0) out.push_back(at + "pollSetDeadline on g0");
      if (mover < 0) mover = e.g;
      if (fired) {
        if (e.g != mover) out.push_back(at + "the deadline is moved by another goroutine than the one that set it");
        if (!bracketed(e)) out.push_back(at + "the move is not inside its goroutine's hook bracket");
        if (e.p < 0) out.push_back(at + "the move is made without a P");
        movedAt = static_cast<int64_t>(e.seq);
      }
    }
    if (auto tm = trace::as<Kind::timer>(e))
      if (tm->owner() != trace::TimerOwner::sleep && tm->op() != trace::TimerOp::fire && e.g == 0)
        out.push_back(at + "a deadline timer is changed on g0");
    if (auto f = trace::as<Kind::deadlineFire>(e); f && !f->stale() && !fired) {
      fired = true;
      if (e.g != 0) out.push_back(at + "the deadline timer fires on a goroutine");
    }
    if (auto r = trace::as<Kind::ready>(e); r && fired && movedAt < 0) {
      if (r->by() == trace::ReadyBy::deadline && reader < 0) reader = r->goid();
      if (r->goid() == mover) {
        moverReadied = true;
        if (reader < 0) out.push_back(at + "the mover is readied before the reader");
        if (e.g != 0 || !bracketed(e)) out.push_back(at + "the mover is not readied by the timer func in a bracket");
        if (r->queue() != trace::RunQueue::runnext) out.push_back(at + "the mover does not take runnext");
      }
    }
    if (auto c = trace::as<Kind::checkErr>(e); c && e.g == reader && fired && !recheckOk && readerReleasedAt >= 0) {
      recheckOk = c->code() == trace::PollErr::noError;
      if (!recheckOk) out.push_back(at + "the reader's re-check still sees an error");
    }
  }
  if (!fired) out.push_back("the deadline never fired");
  if (!moverReadied) out.push_back("the timer func never readied the goroutine that moves the deadline");
  if (movedAt < 0) out.push_back("the deadline was never moved after it fired");
  if (readerReleasedAt < 0) out.push_back("the reader was not held before its re-check");
  if (readerReleasedAt >= 0 && readerReleasedAt < moverReleasedAt)
    out.push_back("the reader was released before the move was done");
  if (!recheckOk) out.push_back("the reader's re-check never found the moved deadline");
  return out;
}
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
      std::map<std::string, std::vector<std::string>> firstResults;
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
        auto said = results(wholeStory(r));  // with two Ps too, every call returns the same
        if (i == 0) {
          first = lines;
          firstResults = said;
        } else {
          CHECK(lines == first);
          CHECK(firstDifference(firstResults, said) == "");
          if (lines != first) break;
        }
      }
    }
  }
}

// ---- 4. deadline-moved: the move by a goroutine, and what repeats ---------------------------------
TEST_CASE("the move rules catch a deadline moved on g0", "[scenarios][injection]") {
  // The old staging: the timer's M moved the deadline on g0, nobody was readied.
  traceio::TraceModel t;
  auto add = [&](trace::Event e, int64_t g) {
    e.seq = t.events.size();
    e.m = 0;
    e.p = 0;
    e.g = g;
    t.events.push_back(e);
  };
  add(trace::makeEvent<Kind::deadlineSet>({.pd = 3,
                                           .fd = 7,
                                           .mode = trace::Mode::r,
                                           .dNs = 10'000'000,
                                           .combo = false,
                                           .rseq = 1,
                                           .wseq = 0,
                                           .timer = trace::TimerOp::add}),
      3);
  add(trace::makeEvent<Kind::deadlineFire>({.pd = 3, .fd = 7, .timerSeq = 1, .stale = false, .r = true, .w = false}),
      0);
  add(trace::makeEvent<Kind::ready>(
          {.goid = 2, .by = trace::ReadyBy::deadline, .queue = trace::RunQueue::runnext, .toP = 0}),
      0);
  add(trace::makeEvent<Kind::hook>({.name = trace::HookName::moveAfterFire, .phase = trace::HookPhase::hold, .pd = 3}),
      0);
  add(trace::makeEvent<Kind::deadlineSet>({.pd = 3,
                                           .fd = 7,
                                           .mode = trace::Mode::r,
                                           .dNs = 300'000'000,
                                           .combo = false,
                                           .rseq = 2,
                                           .wseq = 0,
                                           .timer = trace::TimerOp::modify}),
      0);
  add(trace::makeEvent<Kind::hook>(
          {.name = trace::HookName::moveAfterFire, .phase = trace::HookPhase::release, .pd = 3}),
      0);
  auto problems = moveProblems(t);
  INFO(joined(problems));
  for (const char* want : {"pollSetDeadline on g0", "moved by another goroutine",
                           "never readied the goroutine that moves", "reader was not held"}) {
    bool found = false;
    for (const auto& p : problems) found = found || p.find(want) != std::string::npos;
    CHECK(found);
  }
}

TEST_CASE(
    "deadline-moved: a goroutine moves the deadline after the fire; 20 runs repeat the whole story at "
    "GOMAXPROCS 1, every result and the reader's deadline story at 2",
    "[scenarios][injection][repro]") {
  auto s = loadScenario(std::string(POLLSCOPE_SOURCE_DIR) + "/scenarios/deadline-moved.json");
  std::string golden = std::string(POLLSCOPE_SOURCE_DIR) + "/traces/deadline-moved.trace.json";
  traceio::TraceModel g;
  std::string err;
  INFO(golden << " " << err);
  REQUIRE(traceio::readTraceFile(golden, &g, &err));
  CHECK(joined(moveProblems(g)) == "");
  for (int procs : {1, 2}) {
    INFO("GOMAXPROCS=" << procs);
    scenario::RunOptions opt;
    opt.gomaxprocs = procs;
    std::map<std::string, std::vector<std::string>> first;
    std::vector<std::string> firstOrder;
    for (int i = 0; i < 20; ++i) {
      auto r = scenario::runScenario(s, opt);
      INFO("run " << i << ": " << failuresOf(r));
      REQUIRE(r.ok);  // expect_trace: one fire, one unblock.timeout, two commits, Read ok
      CHECK(joined(pollCallerProblems(r.trace)) == "");
      CHECK(joined(moveProblems(r.trace)) == "");
      auto story = wholeStory(r);
      // The timekeeper's two SetReadDeadline calls (the set and the move) both succeed;
      // the reader's socket parks twice and reads the late bytes.
      auto count = [&](const std::string& key, const std::string& prefix, const std::string& has) {
        int n = 0;
        for (const auto& l : story[key]) n += l.rfind(prefix, 0) == 0 && l.find(has) != std::string::npos;
        return n;
      };
      CHECK(count("goroutine timekeeper", "user op=SetReadDeadline phase=return", "result=ok") == 2);
      CHECK(count("socket s", "sem mode=r from=pdWait to=G", "by=blockcommit") == 2);
      CHECK(count("goroutine server", "user op=Read phase=return", "result=ok") == 1);
      // With one P every goroutine takes its turn in one order: all of it repeats,
      // every socket's transitions and the order of everything. With two Ps what
      // repeats is every call's result and the deadline's story on the reader's
      // socket until the reader took the data; the rest may differ as it does in Go
      // (docs/fidelity.md, "What two Ps change"): whether Accept parks before the
      // client's connect arrives, and how the kernel's edges (EPOLLOUT of a new
      // socket, the data, the FIN) are grouped by whichever M polls.
      auto order = storyLines(r.trace, false);
      if (procs > 1) {
        // The reader's story ends with its last block.swap before its Read returned
        // (it took the data's pdReady): a later edge (the FIN) may be polled by the
        // other M before or after the Read's return, as in Go.
        REQUIRE(r.objects.count("s"));
        const int64_t studied = r.objects.at("s").front().pd;
        uint64_t tookData = UINT64_MAX;
        for (const auto& e : r.trace.events) {
          if (auto u = trace::as<Kind::user>(e); u && u->op() == trace::UserOp::read && u->phase() == trace::Phase::ret)
            break;
          if (auto sm = trace::as<Kind::sem>(e);
              sm && sm->pd() == studied && sm->mode() == trace::Mode::r && sm->by() == trace::SemBy::blockSwap)
            tookData = e.seq;
        }
        auto kept = results(story);
        auto untilData = wholeStory(r, tookData);
        const std::string key = "socket s, read side, until the reader took the data";
        for (const auto& l : untilData["socket s"])
          if (l.find("mode=r") != std::string::npos) kept[key].push_back(l);
        const auto& readSide = kept[key];
        CHECK(std::count_if(readSide.begin(), readSide.end(), [](const std::string& l) {
                return l.find("by=unblock.timeout") != std::string::npos;
              }) == 1);
        CHECK(!readSide.empty());
        CHECK(readSide.back().find("from=pdReady to=pdNil by=block.swap") != std::string::npos);
        story = std::move(kept);
      }
      if (i == 0) {
        first = std::move(story);
        firstOrder = std::move(order);
        continue;
      }
      std::string diff = firstDifference(first, story);
      CHECK(diff == "");
      if (procs == 1) CHECK(order == firstOrder);
      if (!diff.empty()) break;
    }
  }
}
