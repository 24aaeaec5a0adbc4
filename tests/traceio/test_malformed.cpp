// Every malformed trace gives one clear error naming where and what, never a crash.
#include <catch2/catch.hpp>

#include "trace/fields.hpp"
#include "traceio/json.hpp"

using namespace pollscope;

namespace {
const std::string kHead = R"({"format":"pollscope-trace","version":2,"meta":{"backend":"epoll"},"events":[)";
const std::string kGood =
    R"({"seq":0,"ts":1,"m":0,"p":0,"g":1,"kind":"sem","site":0,"pd":1,"fd":5,"mode":"r","from":"pdNil","to":"pdWait","by":"block.prepare","from_g":0,"to_g":0})";
const std::string kTail =
    R"(],"sites":[{"id":0,"file":"core/netpoll/netpoll.cpp","line":1,"go":"runtime.netpollblock","cpp":"netpollblock"}],"goroutines":[]})";

std::string readError(const std::string& text) {
  traceio::TraceModel t;
  std::string err;
  bool ok = traceio::readTrace(text, &t, &err);
  CHECK_FALSE(ok);
  CHECK(t.events.empty());
  return err;
}
}  // namespace

TEST_CASE("the minimal hand-written trace is accepted", "[traceio]") {
  traceio::TraceModel t;
  std::string err;
  REQUIRE(traceio::readTrace(kHead + kGood + kTail, &t, &err));
  REQUIRE(t.events.size() == 1);
  REQUIRE(t.events[0].kind == trace::Kind::sem);
  CHECK(trace::View<trace::Kind::sem>(t.events[0]).to() == trace::SemState::pdWait);
  CHECK(std::string(t.events[0].site->goFunc) == "runtime.netpollblock");
}

TEST_CASE("malformed traces are rejected with the place and the reason", "[traceio]") {
  struct Case {
    const char* name;
    std::string text;
    const char* expect;
  };
  std::string full = kHead + kGood + kTail;
  std::vector<Case> cases = {
      {"empty file", "", "unexpected end of input"},
      {"not JSON", "hello", "malformed JSON"},
      {"truncated", full.substr(0, full.size() / 2), "malformed JSON"},
      {"wrong format", R"({"format":"other","version":2,"events":[]})", "not a pollscope trace"},
      {"no format", R"({"version":2,"events":[]})", "missing \"format\""},
      {"newer version", R"({"format":"pollscope-trace","version":99,"events":[]})", "newer than this pollscope"},
      {"older version", R"({"format":"pollscope-trace","version":1,"events":[]})",
       "trace format version 1 is older than this pollscope reads (2"},
      {"no events", R"({"format":"pollscope-trace","version":2})", "missing \"events\""},
      {"unknown kind", kHead + R"({"seq":0,"ts":0,"kind":"teleport"})" + kTail,
       "events[0]: unknown event kind \"teleport\""},
      {"bad enum value", kHead + R"({"seq":0,"ts":0,"kind":"sem","from":"pdMaybe"})" + kTail,
       "\"from\" has unknown value \"pdMaybe\""},
      {"wrong type", kHead + R"({"seq":"zero","ts":0,"kind":"sem"})" + kTail, "\"seq\" must be an integer"},
      {"unknown field", kHead + R"({"seq":0,"ts":0,"kind":"sem","colour":"red"})" + kTail, "has no field \"colour\""},
      {"duplicate key", kHead + R"({"seq":0,"seq":1,"ts":0,"kind":"sem"})" + kTail, "\"seq\" appears twice"},
      {"missing seq", kHead + R"({"ts":0,"kind":"sem"})" + kTail, "missing \"seq\""},
      {"nested object", kHead + R"({"seq":0,"ts":0,"kind":"sem","pd":{"x":1}})" + kTail, "unexpected nested object"},
      {"dangling site", kHead + R"({"seq":0,"ts":0,"kind":"sem","site":7})" + R"(],"sites":[],"goroutines":[]})",
       "site 7 is not in the \"sites\" table"},
      {"huge number", kHead + R"({"seq":99999999999999999999,"ts":0,"kind":"sem"})" + kTail, "must be an integer"},
      {"bool as int", kHead + R"({"seq":0,"ts":0,"kind":"park","result":"committed","pd":true})" + kTail,
       "must be an integer"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    std::string err = readError(c.text);
    INFO(err);
    CHECK(err.find(c.expect) != std::string::npos);
  }
}

TEST_CASE("a missing file is a clear error", "[traceio]") {
  traceio::TraceModel t;
  std::string err;
  CHECK_FALSE(traceio::readTraceFile("/nonexistent/trace.json", &t, &err));
  CHECK(err.rfind("/nonexistent/trace.json: cannot open file", 0) == 0);
}
