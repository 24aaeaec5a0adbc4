// The recorder's clock: nanoseconds since the recording started, read cheaply.
//
// Why not clock_gettime: on the hot path it was ~6.5% of a traced server's CPU
// (perf, issue 14); the vDSO call does the same counter read plus a seqlock loop
// and a conversion, and under a hypervisor (kvm-clock) it costs ~20-30 ns. The
// CPU's own counter is one instruction: the TSC (rdtsc) on x86-64, the virtual
// counter (cntvct_el0) on arm64.
//
// How it stays honest:
//  - Calibrated once per process against CLOCK_MONOTONIC (like Tracy): on x86-64
//    two (ticks, ns) pairs 10 ms apart, each taken as the tightest of a few
//    bracketing reads; on arm64 the counter's frequency register (cntfrq_el0).
//  - Re-anchored per recording: ticks are counted from the recorder's start, so
//    a timestamp is still "ns since the run started", as before.
//  - Used only where the counter is invariant (x86-64: CPUID's invariant-TSC bit,
//    or both constant_tsc and nonstop_tsc in /proc/cpuinfo; arm64's generic timer
//    always is). An invariant TSC ticks at one rate on every core and the kernel
//    keeps the cores' TSCs synchronized, so one affine ticks->ns map serves every
//    thread and time never goes backwards on an M, whichever core it runs on
//    (docs/performance.md, "The trace clock").
//  - Elsewhere, or when POLLSCOPE_TRACE_CLOCK=clock_gettime is set (tests and
//    benchmarks force it that way), it is clock_gettime(CLOCK_MONOTONIC).
#pragma once

#include <cstdint>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace pollscope::trace {

int64_t monotonicNs();  // clock_gettime(CLOCK_MONOTONIC) in ns

enum class ClockSource : uint8_t { automatic, tsc, clockGettime };
const char* clockSourceName(ClockSource s);

// Reads the CPU's counter (0 where there is none).
inline uint64_t readCpuTicks() {
#if defined(__x86_64__)
  return __rdtsc();
#elif defined(__aarch64__)
  uint64_t v;
  asm volatile("mrs %0, cntvct_el0" : "=r"(v));
  return v;
#else
  return 0;
#endif
}

// Why the CPU counter cannot be used here, or nullptr when it can (decided once).
const char* cpuTicksUnusableReason();

class TraceClock {
 public:
  // `want`: automatic is tsc unless POLLSCOPE_TRACE_CLOCK=clock_gettime; tsc
  // falls back to clock_gettime where the counter is unusable. Now() counts from here.
  explicit TraceClock(ClockSource want = ClockSource::automatic);

  ClockSource source() const { return useTicks_ ? ClockSource::tsc : ClockSource::clockGettime; }
  // Monotonic ns since construction; the hot path: one counter read, a multiply.
  int64_t now() const {
    if (useTicks_) {
      // Signed: a counter read on a core a few ticks behind the anchor's gives 0, not 2^64.
      int64_t d = static_cast<int64_t>(readCpuTicks() - tick0_);
      return d <= 0 ? 0 : static_cast<int64_t>((static_cast<unsigned __int128>(d) * nsPerTickQ32_) >> 32);
    }
    return monotonicNs() - startNs_;
  }
  int64_t startNs() const { return startNs_; }  // CLOCK_MONOTONIC at construction

 private:
  bool useTicks_ = false;
  uint64_t tick0_ = 0;
  uint64_t nsPerTickQ32_ = 0;  // ns per tick, fixed point with 32 fraction bits
  int64_t startNs_ = 0;
};

}  // namespace pollscope::trace
