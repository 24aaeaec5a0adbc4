#include <catch2/catch.hpp>
#include <sstream>

#include "scenario/scenario.hpp"
#include "support/echo_trace.hpp"
#include "support/engine_harness.hpp"
#include "trace/fields.hpp"
#include "traceio/json.hpp"

using namespace pollscope;

TEST_CASE("a trace written, read and written again is byte-identical", "[traceio]") {
  auto t = pstest::runEchoScenario();
  std::ostringstream a;
  traceio::writeTrace(a, t);
  traceio::TraceModel back;
  std::string err;
  REQUIRE(traceio::readTrace(a.str(), &back, &err));
  INFO(err);
  REQUIRE(back.events.size() == t.events.size());
  for (size_t i = 0; i < t.events.size(); ++i) {
    CHECK(back.events[i].seq == t.events[i].seq);
    CHECK(back.events[i].kind == t.events[i].kind);
    CHECK(trace::sameFields(back.events[i], t.events[i]));
    REQUIRE(back.events[i].site);
    CHECK(std::string(back.events[i].site->file) == t.events[i].site->file);
    CHECK(back.events[i].site->line == t.events[i].site->line);
  }
  CHECK(back.goroutines == t.goroutines);
  CHECK(back.meta.scenario == "echo");
  CHECK(back.meta.titleZh == t.meta.titleZh);
  std::ostringstream b;
  traceio::writeTrace(b, back);
  CHECK(a.str() == b.str());
}

TEST_CASE("site locations point at real engine source lines", "[traceio]") {
  auto t = pstest::runEchoScenario();
  for (const auto& e : t.events) {
    REQUIRE(e.site);
    std::string file = e.site->file;
    INFO(file);
    CHECK(file.rfind("core/", 0) == 0);  // relative to the repository root
    CHECK(std::string(e.site->goFunc).find('.') != std::string::npos);
  }
}

TEST_CASE("the reader reports progress and can be cancelled", "[traceio]") {
  traceio::TraceModel big;
  trace::Site site{"core/x.cpp", 1, "runtime.x", "x"};
  for (uint64_t i = 0; i < 50000; ++i) {
    trace::Event e = trace::makeEvent<trace::Kind::waiters>({.delta = 0, .value = 0});
    e.seq = i;
    e.site = &site;
    big.events.push_back(e);
  }
  std::ostringstream out;
  traceio::writeTrace(out, big);
  int calls = 0;
  traceio::TraceModel back;
  std::string err;
  traceio::ReadOptions opt;
  opt.progress = [&](double f) {
    CHECK(f >= 0.0);
    CHECK(f <= 1.0);
    return ++calls < 2;
  };
  CHECK_FALSE(traceio::readTrace(out.str(), &back, &err, opt));
  CHECK(err == "cancelled");
  CHECK(calls == 2);
  CHECK(back.events.empty());
}
