// Export structure: Mermaid splitting and escaping, state counts, Chrome trace
// slices that nest, and flows that connect.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>

#include "analysis/sequence.hpp"
#include "export/export.hpp"
#include "scenario/scenario.hpp"
#include "support/golden_trace.hpp"
#include "traceio/json.hpp"

using namespace pollscope;

namespace {
size_t count(const std::string& s, const std::string& needle) {
  size_t n = 0;
  for (size_t p = s.find(needle); p != std::string::npos; p = s.find(needle, p + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("Mermaid text escaping covers every character Mermaid treats specially", "[export]") {
  CHECK(exporting::mermaidEscape("a;b#c<d>e{f}g\"h%i\nj") == "a#59;b#35;c#60;d#62;e#123;f#125;g#34;h#37;i j");
}

TEST_CASE("the user-level sequence diagram tells the read path with parked spans", "[export]") {
  auto t = pstest::goldenTrace("read-before-data");
  auto parts = exporting::mermaidSequence(t, {}, exporting::Level::user);
  REQUIRE(parts.size() == 1);
  const auto& d = parts[0];
  CHECK(d.rfind("sequenceDiagram\n  autonumber\n", 0) == 0);
  CHECK(d.find("box rgb(230,242,255) User code") != std::string::npos);
  CHECK(d.find("participant K as epoll (kernel)") != std::string::npos);
  CHECK(d.find("FD->>K: read(fd 7) = -1 EAGAIN") != std::string::npos);
  CHECK(d.find("gopark: G2 parks on pd3.rg") != std::string::npos);
  CHECK(d.find("K-->>NP: epoll_wait: fd 7 EPOLLIN") != std::string::npos);
  CHECK(count(d, "activate G") == 2 * count(d, "deactivate G"));  // "activate" also matches inside "deactivate"
}

TEST_CASE("the runtime-level diagram notes every rg/wg transition", "[export]") {
  auto t = pstest::goldenTrace("event-while-wait");
  auto d = exporting::mermaidSequence(t, {}, exporting::Level::runtime)[0];
  size_t sems = 0;
  for (const auto& e : t.events) sems += e.kind == trace::Kind::sem;
  CHECK(count(d, "(block.") + count(d, "(unblock.") + count(d, "(pollReset)") + count(d, "(blockcommit)") +
            count(d, "(pollOpen)") ==
        sems);
}

TEST_CASE("big diagrams are split into parts under Mermaid's limit, each self-contained", "[export]") {
  auto t = pstest::goldenTrace("ping-pong-loop");
  auto parts = exporting::mermaidSequence(t, {}, exporting::Level::runtime);
  REQUIRE(parts.size() >= 2);
  for (const auto& p : parts) {
    CHECK(p.size() <= 50000);
    CHECK(p.rfind("sequenceDiagram", 0) == 0);
    CHECK(p.find("participant FD") != std::string::npos);
    // Activations never leak across parts.
    CHECK(count(p, "  activate ") == count(p, "  deactivate "));
  }
}

namespace {
// A real run with `n` client goroutines parked on their reads at once (each until its
// read deadline fires): the shape of a busy server's trace.
traceio::TraceModel manyParked(int n) {
  std::string text = R"({"format":"pollscope-scenario","version":1,"name":"parked",
    "settings":{"gomaxprocs":1,"timeout_ms":120000,"deterministic":false},
    "goroutines":[{"name":"main","steps":[{"op":"listen","as":"ln"},
      {"op":"loop","times":)" +
                     std::to_string(n) +
                     R"(,"steps":[{"op":"dial","addr":"@ln","as":"c"},
        {"op":"go","name":"reader","capture":["c"],"steps":[
          {"op":"set_read_deadline","on":"c","ms":300},{"op":"read","on":"c","expect_error":"timeout"}]}]}]}]})";
  scenario::Scenario s;
  std::string err;
  REQUIRE(scenario::parseScenario(text, "parked.json", &s, &err));
  auto r = scenario::runScenario(s);
  for (const auto& f : r.failures) INFO(f);
  REQUIRE(r.ok);
  return std::move(r.trace);
}
}  // namespace

// Issue #18: with many goroutines parked at once, every part re-declared every participant
// and re-activated every parked goroutine, so parts passed Mermaid's 50,000-character limit
// from about 100 parked, and 2,000 parked made parts without bound (24 GB). Each part now
// declares only what it shows: its preamble stays proportional to its own lines.
TEST_CASE("many goroutines parked at once: every part stays under the limit, preamble included", "[export]") {
  auto t = manyParked(400);
  for (auto level : {exporting::Level::user, exporting::Level::runtime}) {
    auto parts = exporting::mermaidSequence(t, {}, level);
    REQUIRE(parts.size() >= 2);
    size_t arrows = 0;
    for (const auto& p : parts) {
      CHECK(p.size() <= 50000);
      CHECK(count(p, "  activate ") == count(p, "  deactivate "));
      // Preamble lines (participants, re-activations) are bounded by what the part shows.
      size_t shown = count(p, "->>") + count(p, "Note over");
      CHECK(count(p, "participant ") + count(p, "\n  activate ") <= 3 * shown + 8);
      arrows += count(p, "->>");
    }
    // Nothing is lost or drawn twice: the parts together hold each of the model's arrows once.
    std::vector<size_t> all(t.events.size());
    std::iota(all.begin(), all.end(), size_t{0});
    auto m = analysis::buildSequence(
        t, all, level == exporting::Level::user ? analysis::SeqLevel::user : analysis::SeqLevel::runtime);
    size_t messages = std::count_if(m.items.begin(), m.items.end(), [](const analysis::SeqItem& it) {
      return it.type == analysis::SeqItem::Type::message || it.type == analysis::SeqItem::Type::reply;
    });
    CHECK(arrows == messages);
    CHECK(arrows > 400);
  }
}

TEST_CASE("filters narrow the diagram", "[export]") {
  auto t = pstest::goldenTrace("read-before-data");
  exporting::Filter f;
  REQUIRE(exporting::parseGoroutineList("client", &f).empty());
  REQUIRE(exporting::validateFilter(t, f).empty());
  auto d = exporting::mermaidSequence(t, f, exporting::Level::user)[0];
  CHECK(d.find("participant G3 as G3 client") != std::string::npos);
  CHECK(d.find("Read(fd 7") == std::string::npos);  // the server's read is not the client's business
  exporting::Filter bad;
  REQUIRE(exporting::parseGoroutineList("nobody", &bad).empty());
  CHECK(exporting::validateFilter(t, bad) == "the trace has no goroutine named \"nobody\"");
  std::optional<uint64_t> a, b;
  CHECK(exporting::parseRange("9:3", &a, &b) == "empty range 9:3: the start is after the end");
}

TEST_CASE("the state diagram counts the transitions really taken", "[export]") {
  auto t = pstest::goldenTrace("event-while-wait");
  auto d = exporting::mermaidState(t, {}, exporting::Machine::semaphore);
  CHECK(d.rfind("stateDiagram-v2\n", 0) == 0);
  // the race itself, on the reader's rg; edges carry Go's function names, not internal codes
  CHECK(d.find("rg_pdWait --> rg_pdReady : netpollunblock (netpollready) ×1") != std::string::npos);
  CHECK(d.find("block.") == std::string::npos);
  CHECK(d.find("unblock.io") == std::string::npos);
  // rg and wg are separate machines; --mode keeps one
  auto w = exporting::mermaidState(t, {}, exporting::Machine::semaphore, {}, trace::Mode::w);
  CHECK(w.find("wg_pdWait --> wg_parked : netpollblockcommit ×1") != std::string::npos);
  CHECK(w.find("rg_") == std::string::npos);
  auto zh = exporting::mermaidState(t, {}, exporting::Machine::semaphore, {}, trace::Mode::r, true);
  CHECK(zh.find("rg_pdWait --> rg_pdReady : netpollunblock（I/O 就绪） ×1") != std::string::npos);
  CHECK(zh.find("(netpollready)") == std::string::npos);
  auto g = exporting::mermaidState(t, {}, exporting::Machine::goroutine);
  CHECK(g.find("_Grunning --> _Gwaiting : IO wait") != std::string::npos);
}

TEST_CASE("Chrome trace: slices nest strictly per track and every flow connects", "[export]") {
  for (const char* name : {"read-before-data", "many-connections-batch", "close-while-parked"}) {
    INFO(name);
    auto t = pstest::goldenTrace(name);
    auto doc = nlohmann::json::parse(exporting::chromeTrace(t, {}));
    REQUIRE(doc.contains("traceEvents"));
    std::map<std::pair<int, int64_t>, std::vector<std::pair<double, double>>> slices;
    std::map<uint64_t, int> flowOut, flowIn;
    std::set<int64_t> named;
    for (const auto& e : doc["traceEvents"]) {
      std::string ph = e["ph"];
      if (ph == "M" && e["name"] == "thread_name") named.insert(e["tid"].get<int64_t>());
      if (ph != "X") continue;
      double ts = e["ts"], dur = e["dur"];
      CHECK(dur >= 0);
      if (e.contains("bind_id")) {
        if (e.value("flow_out", false)) flowOut[e["bind_id"]]++;
        if (e.value("flow_in", false)) flowIn[e["bind_id"]]++;
        continue;
      }
      slices[{e["pid"].get<int>(), e["tid"].get<int64_t>()}].push_back({ts, ts + dur});
    }
    for (auto& [track, v] : slices) {
      std::sort(v.begin(), v.end());
      for (size_t i = 1; i < v.size(); ++i) CHECK(v[i].first >= v[i - 1].second - 1e-6);  // no partial overlap
    }
    CHECK(!flowOut.empty());
    for (const auto& [id, n] : flowOut) {
      CHECK(n == 1);
      CHECK(flowIn[id] == 1);  // each wakeup arrow lands on the goroutine it resumed
    }
    // The goroutine tracks are named.
    for (const auto& [gid, gname] : t.goroutines) CHECK(named.count(gid) == 1);
  }
}
