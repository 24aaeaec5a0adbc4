#include <catch2/catch.hpp>
#include <thread>

#include "trace/recorder.hpp"
#include "trace/vocabulary.hpp"

using namespace pollscope::trace;

namespace {
const Site kSite{"tests/engine/test_recorder.cpp", 1, "test", "test"};
}

TEST_CASE("the recorder merges per-thread buffers in seq order", "[recorder][engine]") {
  Recorder rec;
  auto work = [&](int16_t m) {
    for (int i = 0; i < 10000; ++i) rec.record(Kind::waiters, &kSite, m, -1, 0, {i, m});
  };
  std::thread a(work, 0), b(work, 1);
  a.join();
  b.join();
  auto ev = rec.collect();
  REQUIRE(ev.size() == 20000);
  for (size_t i = 0; i < ev.size(); ++i) CHECK(ev[i].seq == i);
  // Each thread's own events stay in their order.
  int64_t last[2] = {-1, -1};
  for (const auto& e : ev) {
    CHECK(e.a[0] == last[e.m] + 1);
    last[e.m] = e.a[0];
  }
}

TEST_CASE("ring mode keeps the last N events per thread", "[recorder][engine]") {
  Recorder rec({100});
  for (int i = 0; i < 1000; ++i) rec.record(Kind::waiters, &kSite, 0, 0, 0, {i, 0});
  auto ev = rec.collect();
  REQUIRE(ev.size() == 100);
  CHECK(ev.front().a[0] == 900);
  CHECK(ev.back().a[0] == 999);
  CHECK(rec.overwritten() == 900);
}

TEST_CASE("no event field is named like an event header key", "[vocabulary][engine]") {
  for (int k = 0; k < kKindCount; ++k) {
    const auto& spec = kindSpec(static_cast<Kind>(k));
    for (int i = 0; i < spec.fieldCount(); ++i) {
      std::string f = spec.fields[i].name;
      INFO(spec.name << "." << f);
      CHECK(f != "seq");
      CHECK(f != "ts");
      CHECK(f != "m");
      CHECK(f != "p");
      CHECK(f != "g");
      CHECK(f != "kind");
      CHECK(f != "site");
    }
    CHECK(kindFromName(spec.name) == static_cast<Kind>(k));
  }
}

TEST_CASE("flags and errnos have readable names", "[vocabulary][engine]") {
  CHECK(epollMaskName(0x1 | 0x4 | 0x2000 | (int64_t{1} << 31)) == "EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET");
  CHECK(epollMaskName(0x8 | 0x10) == "EPOLLERR|EPOLLHUP");
  CHECK(errnoName(11) == "EAGAIN");
  CHECK(errnoName(111) == "ECONNREFUSED");
  CHECK(infoBitsName(kPollClosing | kPollExpiredReadDeadline | (3 << kPollFDSeqShift)) == "closing|expiredRead|seq=3");
  CHECK(enumValue(FieldType::SemBy, "block.consume") == 1);
  CHECK(enumName(FieldType::SemState, 2) == "pdWait");
}
