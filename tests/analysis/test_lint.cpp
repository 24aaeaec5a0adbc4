#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "analysis/info.hpp"
#include "analysis/lint.hpp"
#include "scenario/scenario.hpp"
#include "support/echo_trace.hpp"
#include "trace/fields.hpp"
#include "traceio/json.hpp"

using namespace pollscope;
using trace::Kind;
using trace::SemBy;
using trace::SemState;

namespace {

size_t find(const traceio::TraceModel& t, Kind k) {
  for (size_t i = 0; i < t.events.size(); ++i)
    if (t.events[i].kind == k) return i;
  FAIL("event not found");
  return 0;
}

size_t findSem(const traceio::TraceModel& t, SemBy by) {
  for (size_t i = 0; i < t.events.size(); ++i)
    if (auto s = trace::as<Kind::sem>(t.events[i]); s && s->by() == by) return i;
  FAIL("event not found");
  return 0;
}

std::string report(const traceio::TraceModel& t) {
  std::string out;
  for (const auto& i : analysis::lint(t)) out += i.message + "\n";
  return out;
}
}  // namespace

TEST_CASE("the transition table is Go's", "[lint]") {
  using S = SemState;
  CHECK(analysis::semTransitionAllowed(S::pdReady, S::pdNil, SemBy::blockConsume));
  CHECK_FALSE(analysis::semTransitionAllowed(S::pdNil, S::pdNil, SemBy::blockConsume));
  CHECK(analysis::semTransitionAllowed(S::pdWait, S::G, SemBy::blockCommit));
  CHECK_FALSE(analysis::semTransitionAllowed(S::pdNil, S::G, SemBy::blockCommit));
  CHECK(analysis::semTransitionAllowed(S::pdWait, S::pdReady, SemBy::unblockIo));
  CHECK_FALSE(analysis::semTransitionAllowed(S::pdReady, S::pdReady, SemBy::unblockIo));  // returns nil, no change
  CHECK_FALSE(analysis::semTransitionAllowed(S::pdNil, S::pdReady, SemBy::unblockTimeout));
  CHECK_FALSE(analysis::semTransitionAllowed(S::G, S::pdNil, SemBy::blockSwap));  // "corrupted polldesc"
  CHECK(analysis::gstatusTransitionAllowed(trace::GStatus::Gwaiting, trace::GStatus::Grunnable));
  CHECK_FALSE(analysis::gstatusTransitionAllowed(trace::GStatus::Gwaiting, trace::GStatus::Grunning));
}

TEST_CASE("a real run lints clean and each kind of corruption is named", "[lint]") {
  auto t = pstest::runEchoScenario();
  REQUIRE(report(t).empty());

  SECTION("an illegal rg/wg transition") {
    auto i = findSem(t, SemBy::blockCommit);
    trace::Edit<Kind::sem>{t.events[i]}.from(SemState::pdNil);
    CHECK(report(t).find("illegal rg transition pdNil -> G") != std::string::npos);
  }
  SECTION("a transition that does not start where the last one ended") {
    auto i = findSem(t, SemBy::blockSwap);
    trace::Edit<Kind::sem>{t.events[i]}.from(SemState::pdWait);
    CHECK(report(t).find("but a transition starts from pdWait") != std::string::npos);
  }
  SECTION("a missing event") {
    t.events.erase(t.events.begin() + 10);
    CHECK(report(t).find("seq jumps from 9 to 11") != std::string::npos);
  }
  SECTION("an illegal goroutine transition") {
    auto i = find(t, Kind::gStatus);
    trace::Edit<Kind::gStatus>{t.events[i]}.to(trace::GStatus::Gwaiting);
    CHECK(report(t).find("illegal goroutine transition") != std::string::npos);
  }
  SECTION("a waiter count that does not add up") {
    auto i = find(t, Kind::waiters);
    trace::Edit<Kind::waiters>{t.events[i]}.value(5);
    CHECK(report(t).find("netpollWaiters is 5") != std::string::npos);
  }
  SECTION("a checkerr result that contradicts the info bits") {
    auto i = find(t, Kind::checkErr);
    trace::Edit<Kind::checkErr>{t.events[i]}.code(trace::PollErr::timeout);
    CHECK(report(t).find("returned pollErrTimeout") != std::string::npos);
  }
  SECTION("a stale event delivered") {
    auto i = find(t, Kind::pollEvent);
    trace::Edit<Kind::pollEvent> ev{t.events[i]};
    ev.tag(ev.view().pdFdseq() + 1);
    CHECK(report(t).find("delivered although its tag") != std::string::npos);
  }
}

// Fields come from files: extreme values must be reported, not overflow (UBSan traps
// on signed overflow in the sanitizer build, where this test also runs).
TEST_CASE("extreme field values are reported without overflowing", "[lint]") {
  auto t = pstest::runEchoScenario();
  auto w = find(t, Kind::waiters);
  trace::Edit<Kind::waiters>{t.events[w]}.delta(INT64_MAX);
  bool sawWaiters = false;
  for (size_t i = w + 1; i < t.events.size() && !sawWaiters; ++i)
    if (t.events[i].kind == Kind::waiters) {
      trace::Edit<Kind::waiters>{t.events[i]}.delta(INT64_MAX);
      sawWaiters = true;
    }
  REQUIRE(sawWaiters);
  auto f = find(t, Kind::pdFree);
  trace::Edit<Kind::pdFree>{t.events[f]}.fdseqOld(INT64_MAX);
  t.events.front().ts = trace::kMinEventTs;  // the most negative an event holds (event.hpp)
  auto out = report(t);
  CHECK(out.find("netpollWaiters is") != std::string::npos);
  CHECK(out.find("freed with fdseq 9223372036854775807") != std::string::npos);
  CHECK(analysis::info(t).find("events:") != std::string::npos);
}

// Issue #18: traces with impossible values (site -1 or -5, a step id of 1e9, one goroutine id
// with two names, gomaxprocs 1e9, overwritten INT64_MAX, ts INT64_MIN/MAX) were accepted by
// every command and lint called them clean. Each file in the corpus is refused by the reader
// or reported by lint, with the words expected-errors.txt gives.
TEST_CASE("each bad trace in the corpus is refused or reported by lint", "[lint][bad]") {
  std::string dir = std::string(POLLSCOPE_SOURCE_DIR) + "/tests/data/bad-traces/";
  std::ifstream list(dir + "expected-errors.txt");
  REQUIRE(list);
  std::string line;
  size_t n = 0;
  while (std::getline(list, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto sep = line.find(": ");
    REQUIRE(sep != std::string::npos);
    std::string file = line.substr(0, sep), want = line.substr(sep + 2);
    INFO(file);
    traceio::TraceModel t;
    std::string said;
    if (traceio::readTraceFile(dir + file, &t, &said)) {
      said = t.meta.cut;  // a file that stops mid-way loads what is complete and says where it stops
      for (const auto& i : analysis::lint(t)) said += fmt::format("seq {}: {}\n", i.seq, i.message);
    }
    INFO(said);
    CHECK(said.find(want) != std::string::npos);
    ++n;
  }
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files += e.path().extension() == ".json";
  CHECK(files == n);  // every file in the corpus has an expectation
}

TEST_CASE("an injection point's hold must be released, unless the program ended inside it", "[lint]") {
  traceio::TraceModel t;
  std::string err;
  REQUIRE(traceio::readTraceFile(std::string(POLLSCOPE_SOURCE_DIR) + "/traces/data-before-park.trace.json", &t, &err));
  REQUIRE(report(t).empty());
  size_t hold = t.events.size();
  for (size_t i = 0; i < t.events.size() && hold == t.events.size(); ++i)
    if (auto h = trace::as<Kind::hook>(t.events[i]); h && h->phase() == trace::HookPhase::hold) hold = i;
  REQUIRE(hold < t.events.size());
  SECTION("a release missing while the M goes on recording") {
    for (size_t i = hold + 1; i < t.events.size(); ++i)
      if (auto h = trace::as<Kind::hook>(t.events[i]); h && t.events[i].m == t.events[hold].m) {
        // Turn the release into another hold's twin: the M records on, never releasing.
        trace::Edit<Kind::hook>{t.events[i]}.phase(trace::HookPhase::hold);
        break;
      }
    CHECK(report(t).find("is never released") != std::string::npos);
  }
  SECTION("the program ends while the M is inside the hook (it records nothing after the hold)") {
    const int16_t m = t.events[hold].m;
    std::vector<trace::Event> kept(t.events.begin(), t.events.begin() + static_cast<long>(hold) + 1);
    for (size_t i = hold + 1; i < t.events.size(); ++i)
      if (t.events[i].m != m) kept.push_back(t.events[i]);
    for (size_t i = 0; i < kept.size(); ++i) kept[i].seq = i;
    t.events = kept;
    CHECK(report(t).find("is never released") == std::string::npos);
  }
}
