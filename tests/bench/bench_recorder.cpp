// How much does recording one event cost? (goal: cheap enough to leave on)
//   make bench   or   build/bin/pollscope-bench-recorder
#include <benchmark/benchmark.h>

#include <thread>

#include "trace/recorder.hpp"

using namespace pollscope::trace;

namespace {
const Site kSite{"tests/bench/bench_recorder.cpp", 1, "bench", "bench"};
// A typical hot-path event: netpollblock's pdNil -> pdWait, all eight fields.
const Args<Kind::sem> kPrepare{1, 5, Mode::r, SemState::pdNil, SemState::pdWait, SemBy::blockPrepare, 0, 0};

void BM_RecordKeepAll(benchmark::State& state) {
  Recorder rec;
  int64_t i = 0;
  for (auto _ : state) rec.record<Kind::sem>(&kSite, 0, 0, 1, kPrepare);
  (void)i;
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecordKeepAll);

void BM_RecordRing(benchmark::State& state) {
  Recorder rec({65536});
  for (auto _ : state) rec.record<Kind::sem>(&kSite, 0, 0, 1, kPrepare);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecordRing);

// Two threads recording at once: contention is only on the sequence counter.
void BM_RecordTwoThreads(benchmark::State& state) {
  static Recorder* rec = nullptr;
  if (state.thread_index() == 0) rec = new Recorder({65536});
  for (auto _ : state) rec->record<Kind::sem>(&kSite, static_cast<int16_t>(state.thread_index()), 0, 1, kPrepare);
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    delete rec;
    rec = nullptr;
  }
}
BENCHMARK(BM_RecordTwoThreads)->Threads(2);
}  // namespace

BENCHMARK_MAIN();
