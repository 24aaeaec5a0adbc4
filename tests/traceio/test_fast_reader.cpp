// The fast reader (simdjson, events read in chunks cut at line ends) against the
// careful SAX reader: on every golden trace they read the same model, and on
// every layout around a chunk boundary the fast one never accepts what the SAX
// one rejects. Chunks are made one line long here so every boundary is tested.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "trace/fields.hpp"
#include "traceio/json.hpp"
#include "traceio/json_fast.hpp"

using namespace pollscope;

namespace {
bool sameModel(const traceio::TraceModel& a, const traceio::TraceModel& b) {
  if (a.events.size() != b.events.size() || a.goroutines != b.goroutines || a.steps.size() != b.steps.size() ||
      a.meta.scenario != b.meta.scenario || a.meta.gomaxprocs != b.meta.gomaxprocs || a.meta.ring != b.meta.ring)
    return false;
  for (size_t i = 0; i < a.events.size(); ++i) {
    const auto &x = a.events[i], &y = b.events[i];
    if (x.seq != y.seq || x.ts != y.ts || x.g != y.g || x.m != y.m || x.p != y.p || x.kind != y.kind) return false;
    if ((x.site == nullptr) != (y.site == nullptr)) return false;
    if (x.site && (x.site->line != y.site->line || std::string(x.site->goFunc) != y.site->goFunc)) return false;
    if (!trace::sameFields(x, y)) return false;
  }
  return true;
}

// Reads `text` with the fast path in one-line chunks: ok, rejected or cancelled.
traceio::FastRead fast(const std::string& text, traceio::TraceModel* out) {
  std::string padded = text + std::string(traceio::kFastPadding, '\0');
  return traceio::readTraceFast(padded.data(), text.size(), out, {}, 1);
}

const std::string kHead = R"({"format":"pollscope-trace","version":2,"meta":{"backend":"epoll"},"events":[)";
const std::string kTail =
    "\n],\n\"sites\":[{\"id\":0,\"file\":\"f.cpp\",\"line\":1,\"go\":\"runtime.netpollblock\",\"cpp\":\"x\"}],"
    "\"goroutines\":[]}\n";
std::string ev(int seq) {
  return R"({"seq":)" + std::to_string(seq) +
         R"(,"ts":1,"m":0,"p":0,"g":1,"kind":"sem","site":0,"pd":1,"fd":5,"mode":"r","from":"pdNil","to":"pdWait","by":"block.prepare","from_g":0,"to_g":0})";
}
}  // namespace

TEST_CASE("fast and careful readers read every golden trace the same", "[traceio]") {
  size_t n = 0;
  for (const auto& f : std::filesystem::directory_iterator(std::string(POLLSCOPE_SOURCE_DIR) + "/traces")) {
    if (f.path().string().find(".trace.json") == std::string::npos) continue;
    std::ifstream in(f.path());
    std::string text((std::istreambuf_iterator<char>(in)), {});
    traceio::TraceModel careful, quick, chunked;
    std::string err;
    REQUIRE(traceio::readTraceSaxOnly(text, &careful, &err));
    INFO(f.path());
    REQUIRE(fast(text, &chunked) == traceio::FastRead::ok);  // the writer's layout takes the chunked path
    CHECK(sameModel(careful, chunked));
    REQUIRE(traceio::readTraceFile(f.path().string(), &quick, &err));
    CHECK(sameModel(careful, quick));
    ++n;
  }
  CHECK(n >= 20);
}

TEST_CASE("around chunk boundaries the fast reader accepts exactly what the careful one does", "[traceio]") {
  struct Case {
    const char* what;
    std::string events;  // between '[' and the tail's "\n]"
  };
  const Case cases[] = {
      {"the writer's layout", "\n" + ev(0) + ",\n" + ev(1) + ",\n" + ev(2)},
      {"commas at line starts", "\n" + ev(0) + "\n," + ev(1) + "\n," + ev(2)},
      {"no events", ""},
      {"two events on one line", "\n" + ev(0) + "," + ev(1) + ",\n" + ev(2)},
      {"a comma missing between lines", "\n" + ev(0) + "\n" + ev(1)},
      {"a comma doubled across lines", "\n" + ev(0) + ",\n," + ev(1)},
      {"a comma alone on a line", "\n" + ev(0) + "\n,\n" + ev(1)},
      {"a leading comma", "\n," + ev(0)},
      {"a trailing comma", "\n" + ev(0) + ",\n" + ev(1) + ","},
      {"an event split over lines",
       "\n" + ev(0) + ",\n{\"seq\":1,\"ts\":1,\n\"kind\":\"waiters\",\"delta\":1,\"value\":1}"},
      {"blank lines", "\n" + ev(0) + ",\n\n\n" + ev(1)},
      {"a nested array in an event", "\n{\"seq\":0,\"ts\":1,\"kind\":\"waiters\",\"delta\":[\n],\"value\":1}"},
      {"a bare value", "\n" + ev(0) + ",\n7"},
  };
  for (const auto& c : cases) {
    std::string text = kHead + c.events + kTail;
    traceio::TraceModel careful, chunked, whole;
    std::string carefulErr, err;
    bool saxOk = traceio::readTraceSaxOnly(text, &careful, &carefulErr);
    auto r = fast(text, &chunked);
    INFO(c.what << "\n" << text);
    if (r == traceio::FastRead::ok) {
      CHECK(saxOk);  // never accept what the careful reader rejects
      CHECK(sameModel(careful, chunked));
    }
    // Through the public entry point: the same verdict and the careful reader's message.
    bool ok = traceio::readTrace(text, &whole, &err);
    CHECK(ok == saxOk);
    if (ok)
      CHECK(sameModel(careful, whole));
    else
      CHECK(err == carefulErr);
  }
}

TEST_CASE("the chunked path is taken for the writer's layout and left for others", "[traceio]") {
  traceio::TraceModel t;
  CHECK(fast(kHead + "\n" + ev(0) + ",\n" + ev(1) + kTail, &t) == traceio::FastRead::ok);
  CHECK(t.events.size() == 2);
  CHECK(fast(kHead + "\n" + ev(0) + "\n" + ev(1) + kTail, &t) == traceio::FastRead::rejected);
}

// A trace::Event holds seq, ts and g in 48 bits (event.hpp): both readers load the
// extremes exactly and reject one past them, the careful one naming field and event.
TEST_CASE("both readers hold seq, ts and g to the range an event stores", "[traceio]") {
  auto withHeader = [](const std::string& key, const std::string& value) {
    std::string e = R"({"seq":1,"ts":1,"g":1,"kind":"waiters","delta":1,"value":1})";
    std::string k = "\"" + key + "\":";
    size_t at = e.find(k) + k.size();
    return kHead + "\n" + ev(0) + ",\n" + e.replace(at, e.find(',', at) - at, value) + kTail;
  };
  struct Case {
    const char* key;
    std::string value;
    const char* error;  // empty: accepted
  };
  const Case cases[] = {
      {"seq", "281474976710655", ""},  // 2^48 - 1
      {"seq", "281474976710656", "events[1]: \"seq\" 281474976710656 is out of range: an event holds at most"},
      {"ts", "140737488355327", ""},  // 2^47 - 1 ns
      {"ts", "-140737488355328", ""},
      {"ts", "140737488355328", "events[1]: \"ts\" 140737488355328 is out of range: an event holds"},
      {"ts", "-140737488355329", "events[1]: \"ts\" -140737488355329 is out of range"},
      {"g", "140737488355327", ""},
      {"g", "-140737488355328", ""},
      {"g", "140737488355328", "events[1]: \"g\" 140737488355328 is out of range"},
      {"g", "-9223372036854775808", "events[1]: \"g\" -9223372036854775808 is out of range"},
  };
  for (const auto& c : cases) {
    std::string text = withHeader(c.key, c.value);
    INFO(c.key << " " << c.value << "\n" << text);
    traceio::TraceModel careful, chunked, whole;
    std::string err;
    bool ok = traceio::readTrace(text, &whole, &err);
    auto r = fast(text, &chunked);
    if (*c.error) {
      CHECK_FALSE(ok);
      CHECK(r == traceio::FastRead::rejected);
      CHECK(err.find(c.error) != std::string::npos);
      continue;
    }
    REQUIRE(ok);
    REQUIRE(r == traceio::FastRead::ok);
    REQUIRE(traceio::readTraceSaxOnly(text, &careful, &err));
    CHECK(sameModel(careful, chunked));
    CHECK(sameModel(careful, whole));
    const auto& e = whole.events.at(1);
    int64_t want = std::stoll(c.value);
    int64_t got = std::string(c.key) == "seq"  ? static_cast<int64_t>(+e.seq)
                  : std::string(c.key) == "ts" ? +e.ts
                                               : +e.g;
    CHECK(got == want);
  }
}
