// Streamed traces (traceio/trace_stream.hpp): a real run streamed to a file is the
// same trace as one written whole; the file cut anywhere loads every complete
// event and says where it stops; a size cap stops the events with a note.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "analysis/lint.hpp"
#include "scenario/scenario.hpp"
#include "trace/fields.hpp"
#include "traceio/json.hpp"
#include "traceio/trace_stream.hpp"

using namespace pollscope;

namespace {
std::string tempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / (std::to_string(::getpid()) + "-" + name)).string();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

scenario::Scenario loadEcho() {
  scenario::Scenario s;
  std::string err;
  REQUIRE(scenario::loadScenarioFile(std::string(POLLSCOPE_SOURCE_DIR) + "/scenarios/echo.json", &s, &err));
  return s;
}

// A streamed run of the echo story, read back.
std::string streamEcho(const std::string& path) {
  std::string err;
  auto stream = traceio::openJsonTraceStream(path, 0, &err);
  REQUIRE(stream);
  scenario::RunOptions opt;
  opt.stream = stream.get();
  auto r = scenario::runScenario(loadEcho(), opt);
  INFO((r.failures.empty() ? std::string() : r.failures[0]));
  REQUIRE(r.ok);
  CHECK(r.trace.events.empty());  // they went to the file
  CHECK(stream->eventsWritten() > 50);
  return slurp(path);
}
}  // namespace

TEST_CASE("a streamed run is the same trace as one written whole", "[traceio][stream]") {
  auto whole = scenario::runScenario(loadEcho());
  REQUIRE(whole.ok);
  std::string path = tempPath("streamed-echo.json");
  std::string text = streamEcho(path);
  traceio::TraceModel back;
  std::string err;
  REQUIRE(traceio::readTrace(text, &back, &err));
  INFO(err);
  CHECK(back.meta.cut.empty());
  CHECK(back.meta.partial.empty());
  CHECK(back.meta.scenario == "echo");
  CHECK(back.meta.backend == whole.trace.meta.backend);
  CHECK(scenario::normalizedTransitions(back) == scenario::normalizedTransitions(whole.trace));
  CHECK(back.goroutines == whole.trace.goroutines);
  CHECK(back.steps.size() == whole.trace.steps.size());
  for (size_t i = 0; i < back.events.size(); ++i) {
    CHECK(back.events[i].seq == i);
    REQUIRE(back.events[i].site);
  }
  CHECK(analysis::lint(back).empty());
  ::unlink(path.c_str());
}

TEST_CASE("a streamed file cut anywhere loads its complete events and says where it stops", "[traceio][stream]") {
  std::string path = tempPath("cut-echo.json");
  std::string text = streamEcho(path);
  ::unlink(path.c_str());
  traceio::TraceModel whole;
  std::string err;
  REQUIRE(traceio::readTrace(text, &whole, &err));
  size_t firstEvent = text.find("\n{\"seq\":0,");
  REQUIRE(firstEvent != std::string::npos);
  size_t eventsEnd = text.find("\n],\n\"sites\"");
  REQUIRE(eventsEnd != std::string::npos);
  // Cut after every line of the events, and in the middle of each.
  size_t cuts = 0;
  for (size_t at = firstEvent + 1; at < eventsEnd; at = text.find('\n', at) + 1) {
    size_t lineEnd = text.find('\n', at);
    for (size_t cut : {lineEnd, (at + lineEnd) / 2}) {
      std::string part = text.substr(0, cut);
      // Complete events: the lines that end at or before the cut.
      size_t complete = 0;
      for (size_t p = firstEvent + 1; p < eventsEnd && text.find('\n', p) <= cut; p = text.find('\n', p) + 1)
        ++complete;
      traceio::TraceModel t;
      std::string e;
      INFO("cut at byte " << cut << " of " << text.size());
      if (complete == 0 && cut != lineEnd) {
        CHECK_FALSE(traceio::readTrace(part, &t, &e));  // nothing complete: refused
        continue;
      }
      REQUIRE(traceio::readTrace(part, &t, &e));
      INFO(e);
      CHECK(t.events.size() == complete);
      CHECK(t.meta.cut.find("stops at byte " + std::to_string(cut)) != std::string::npos);
      CHECK(t.meta.partial == t.meta.cut);
      CHECK(t.steps.size() == whole.steps.size());  // written before the events
      for (size_t i = 0; i < t.events.size(); ++i) {
        CHECK(t.events[i].seq == i);
        CHECK(trace::sameFields(t.events[i], whole.events[i]));
      }
      CHECK(analysis::lint(t).empty());
      ++cuts;
    }
  }
  CHECK(cuts > 100);
  // Garbage is still garbage: a cut file has nothing after its last byte but the end.
  traceio::TraceModel t;
  std::string e;
  CHECK_FALSE(traceio::readTrace(text.substr(0, eventsEnd) + ",x", &t, &e));
  CHECK(e.find("malformed JSON") != std::string::npos);
}

TEST_CASE("a size cap stops a stream's events below it, with a note", "[traceio][stream]") {
  static const trace::Site site{"tests/traceio/test_stream.cpp", 1, "test", "test"};
  std::string path = tempPath("capped.json");
  constexpr uint64_t kCap = 200 * 1024;
  std::string err;
  auto stream = traceio::openJsonTraceStream(path, kCap, &err);
  REQUIRE(stream);
  traceio::TraceMeta meta;
  meta.backend = "epoll";
  stream->begin(meta, {});
  uint64_t sent = 0;
  bool accepted = true;
  for (; sent < 100000 && accepted; ++sent) {
    trace::Event e;
    e.seq = sent;
    e.kind = trace::Kind::waiters;
    e.site = &site;
    trace::Edit<trace::Kind::waiters>(e).delta(1);
    accepted = stream->write(&e, 1);
  }
  CHECK_FALSE(accepted);
  CHECK(sent < 100000);
  CHECK(stream->stoppedEarly().find("size cap (204800 bytes)") != std::string::npos);
  REQUIRE(stream->end({{1, "main"}}, "stopped by SIGTERM", &err));
  std::string text = slurp(path);
  ::unlink(path.c_str());
  CHECK(text.size() <= kCap);
  CHECK(text.size() > kCap * 9 / 10);  // the cap, not something far below it
  traceio::TraceModel t;
  REQUIRE(traceio::readTrace(text, &t, &err));
  CHECK(t.meta.cut.empty());  // whole JSON
  CHECK(t.events.size() == stream->eventsWritten());
  CHECK(t.events.size() == sent - 1);  // the refused event is not in it
  CHECK(t.meta.partial.find("the trace reached its size cap (204800 bytes) after seq " +
                            std::to_string(t.events.back().seq)) == 0);
  CHECK(t.meta.partial.find("; stopped by SIGTERM") != std::string::npos);
  CHECK(t.goroutines.at(1) == "main");
  // The careful reader agrees with the fast one.
  traceio::TraceModel sax;
  REQUIRE(traceio::readTraceSaxOnly(text, &sax, &err));
  CHECK(sax.meta.partial == t.meta.partial);
  CHECK(sax.events.size() == t.events.size());
}
