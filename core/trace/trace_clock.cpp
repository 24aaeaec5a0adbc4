#include "trace/trace_clock.hpp"

#include <time.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <string>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace pollscope::trace {

int64_t monotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

const char* clockSourceName(ClockSource s) {
  switch (s) {
    case ClockSource::automatic: return "automatic";
    case ClockSource::tsc: return "tsc";
    case ClockSource::clockGettime: return "clock_gettime";
  }
  return "?";
}

namespace {

struct Calibration {
  const char* unusable = nullptr;  // why the counter is not used; nullptr: it is
  uint64_t nsPerTickQ32 = 0;
};

#if defined(__x86_64__)
bool cpuidInvariantTsc() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  // Cast: gcc declares __get_cpuid_max unsigned, clang int.
  if (static_cast<unsigned>(__get_cpuid_max(0x80000000u, nullptr)) < 0x80000007u) return false;
  __cpuid(0x80000007u, a, b, c, d);
  return (d & (1u << 8)) != 0;  // "Invariant TSC" (Intel SDM, AMD APM)
}

// Hypervisors often hide CPUID's bit while the kernel still reports the flags.
bool cpuinfoInvariantTsc() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    line += ' ';
    return line.find(" constant_tsc ") != std::string::npos && line.find(" nonstop_tsc ") != std::string::npos;
  }
  return false;
}

struct Pair {
  uint64_t tick;
  int64_t ns;
};
// One (ticks, ns) pair: the tightest of a few ticks/clock/ticks brackets, so a
// preemption between the reads does not skew the calibration.
Pair samplePair() {
  Pair best{0, 0};
  uint64_t bestWidth = ~uint64_t{0};
  for (int i = 0; i < 7; ++i) {
    uint64_t t1 = readCpuTicks();
    int64_t ns = monotonicNs();
    uint64_t t2 = readCpuTicks();
    if (t2 - t1 < bestWidth) {
      bestWidth = t2 - t1;
      best = {t1 + (t2 - t1) / 2, ns};
    }
  }
  return best;
}
#endif

Calibration calibrate() {
  Calibration c;
#if defined(__x86_64__)
  if (!cpuidInvariantTsc() && !cpuinfoInvariantTsc()) {
    c.unusable = "the TSC is not invariant (no CPUID invariant-TSC bit, no constant_tsc+nonstop_tsc)";
    return c;
  }
  // 10 ms asleep: ~100 ns of uncertainty at each end is ~10 ppm, i.e. 10 us per
  // second of recording, far below what a trace's reader can see.
  Pair a = samplePair();
  timespec pause{0, 10'000'000};
  nanosleep(&pause, nullptr);
  Pair b = samplePair();
  if (b.tick <= a.tick || b.ns <= a.ns) {
    c.unusable = "the TSC did not advance during calibration";
    return c;
  }
  double nsPerTick = static_cast<double>(b.ns - a.ns) / static_cast<double>(b.tick - a.tick);
  if (nsPerTick < 0.01 || nsPerTick > 100) {  // 10 MHz .. 100 GHz: anything else is a broken counter
    c.unusable = "the TSC's calibrated rate is implausible";
    return c;
  }
  c.nsPerTickQ32 = static_cast<uint64_t>(nsPerTick * 4294967296.0);
#elif defined(__aarch64__)
  // The generic timer is invariant by architecture and its rate is in a register.
  uint64_t freq;
  asm volatile("mrs %0, cntfrq_el0" : "=r"(freq));
  if (freq == 0) {
    c.unusable = "cntfrq_el0 reads 0";
    return c;
  }
  c.nsPerTickQ32 = static_cast<uint64_t>((static_cast<unsigned __int128>(1000000000) << 32) / freq);
#else
  c.unusable = "no CPU counter on this architecture";
#endif
  return c;
}

const Calibration& calibration() {
  static const Calibration c = calibrate();  // thread-safe, once per process
  return c;
}

bool forcedFallback() {
  const char* v = std::getenv("POLLSCOPE_TRACE_CLOCK");
  return v && std::strcmp(v, "clock_gettime") == 0;
}

}  // namespace

const char* cpuTicksUnusableReason() {
  return calibration().unusable;
}

TraceClock::TraceClock(ClockSource want) {
  if (want == ClockSource::automatic) want = forcedFallback() ? ClockSource::clockGettime : ClockSource::tsc;
  if (want == ClockSource::tsc && !cpuTicksUnusableReason()) {
    useTicks_ = true;
    nsPerTickQ32_ = calibration().nsPerTickQ32;
  }
  // The anchor: ticks and CLOCK_MONOTONIC read together, so both clocks count
  // from (nearly) the same instant.
  tick0_ = readCpuTicks();
  startNs_ = monotonicNs();
}

}  // namespace pollscope::trace
