// The recorder's clock (trace/trace_clock.hpp) and chunk reuse (trace/chunk_pool.hpp).
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <thread>

#include "trace/chunk_pool.hpp"
#include "trace/fields.hpp"
#include "trace/recorder.hpp"
#include "trace/trace_clock.hpp"

using namespace pollscope::trace;

namespace {
const Site kSite{"tests/engine/test_trace_clock.cpp", 1, "test", "test"};

// Reads `clock` between two CLOCK_MONOTONIC reads for `ms` milliseconds: every
// reading must be >= the previous one and inside [before - tol, after + tol],
// where tol allows the calibration's rate error (0.1% of the elapsed time, ~100x
// what 10 ms of calibration gives) plus 20 us for the anchor.
void checkAgainstMonotonic(const TraceClock& clock, int ms) {
  int64_t last = 0, worst = 0;
  int64_t end = clock.startNs() + int64_t{ms} * 1000000;
  long reads = 0;
  for (;;) {
    int64_t before = monotonicNs() - clock.startNs();
    int64_t t = clock.now();
    int64_t after = monotonicNs() - clock.startNs();
    ++reads;
    REQUIRE(t >= last);  // never backwards
    last = t;
    int64_t tol = 20000 + after / 1000;
    if (t < before - tol || t > after + tol)
      FAIL("clock read " << t << " ns outside [" << before << ", " << after << "] +- " << tol);
    worst = std::max(worst, std::max(before - t, t - after));
    if (after + clock.startNs() >= end) break;
  }
  INFO(reads << " reads over " << ms << " ms, worst distance from CLOCK_MONOTONIC " << worst << " ns");
  SUCCEED();
}
}  // namespace

TEST_CASE("the TSC trace clock is monotonic and agrees with CLOCK_MONOTONIC over 50 ms", "[clock][engine]") {
  if (const char* why = cpuTicksUnusableReason()) {
    WARN("SKIPPED: the CPU counter is unusable here (" << why << "); the recorder uses clock_gettime");
    return;
  }
  TraceClock clock(ClockSource::tsc);
  REQUIRE(clock.source() == ClockSource::tsc);
  checkAgainstMonotonic(clock, 50);
}

TEST_CASE("POLLSCOPE_TRACE_CLOCK=clock_gettime forces the fallback clock", "[clock][engine]") {
  REQUIRE(setenv("POLLSCOPE_TRACE_CLOCK", "clock_gettime", 1) == 0);
  TraceClock forced;
  Recorder rec;
  REQUIRE(unsetenv("POLLSCOPE_TRACE_CLOCK") == 0);
  CHECK(forced.source() == ClockSource::clockGettime);
  CHECK(rec.clockSource() == ClockSource::clockGettime);
  checkAgainstMonotonic(forced, 5);
  // Without the variable the recorder takes the counter wherever it is usable.
  Recorder automatic;
  CHECK(automatic.clockSource() == (cpuTicksUnusableReason() ? ClockSource::clockGettime : ClockSource::tsc));
  // An explicit choice needs no environment.
  CHECK(Recorder({.clock = ClockSource::clockGettime}).clockSource() == ClockSource::clockGettime);
}

TEST_CASE("recorded timestamps count from the recorder's start and never go backwards on a thread", "[clock][engine]") {
  for (ClockSource source : {ClockSource::tsc, ClockSource::clockGettime}) {
    Recorder rec({.clock = source});
    auto work = [&](int16_t m) {
      for (int i = 0; i < 20000; ++i) rec.record<Kind::waiters>(&kSite, m, -1, 0, {.delta = i, .value = m});
    };
    std::thread a(work, 0), b(work, 1);
    a.join();
    b.join();
    int64_t after = monotonicNs() - rec.startNs();
    auto ev = rec.collect();
    REQUIRE(ev.size() == 40000);
    int64_t last[2] = {0, 0};
    for (const auto& e : ev) {
      INFO(clockSourceName(rec.clockSource()) << " seq " << e.seq);
      CHECK(e.ts >= last[e.m]);
      last[e.m] = e.ts;
      CHECK(e.ts >= 0);
      CHECK(e.ts <= after + 20000 + after / 1000);
    }
  }
}

TEST_CASE("a finished keep-all recording's chunks are reused by the next one", "[recorder][engine]") {
  {
    Recorder warm;  // whatever the pool held before, it now holds these too
    for (size_t i = 0; i < 3 * kChunkEvents + 1; ++i) warm.record<Kind::waiters>(&kSite, 0, 0, 0, {0, 0});
  }
  size_t pooled = pooledChunks();
  REQUIRE(pooled >= 4);
  Recorder rec;
  for (size_t i = 0; i < kChunkEvents + 1; ++i)
    rec.record<Kind::waiters>(&kSite, 0, 0, 0, {.delta = static_cast<int64_t>(i), .value = 7});
  CHECK(pooledChunks() == pooled - 2);  // two chunks taken from the pool, none from mmap
  // The reused chunks' old contents never show: exactly the new events come back.
  auto ev = rec.collect();
  REQUIRE(ev.size() == kChunkEvents + 1);
  for (size_t i = 0; i < ev.size(); ++i) {
    CHECK(ev[i].seq == i);
    CHECK(View<Kind::waiters>(ev[i]).delta() == static_cast<int64_t>(i));
    CHECK(View<Kind::waiters>(ev[i]).value() == 7);
  }
}
