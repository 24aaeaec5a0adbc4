// How much does recording one event cost? (goal, issue 14: <= 10 ns per event in
// the streaming mode's hot path). Prints ns per event for each mode (keep-all,
// ring, streaming, off) and each trace clock (tsc, clock_gettime), one clock read
// alone, and what the streaming JSON writer costs per event (Stream/...).
//   make bench   or   build/bin/pollscope-bench-recorder --benchmark_filter=Record
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "runtime/runtime.hpp"
#include "trace/chunk_pool.hpp"
#include "trace/recorder.hpp"
#include "trace/stream_pump.hpp"
#include "trace/trace_clock.hpp"
#include "traceio/trace_stream.hpp"

using namespace pollscope;
using namespace pollscope::trace;

namespace {
const Site kSite{"tests/bench/bench_recorder.cpp", 1, "bench", "bench"};
// A typical hot-path event: netpollblock's pdNil -> pdWait, all eight fields.
const Args<Kind::sem> kPrepare{1, 5, Mode::r, SemState::pdNil, SemState::pdWait, SemBy::blockPrepare, 0, 0};
// Keep-all grows by 96 B per event: a fixed count keeps the run's memory at ~400 MB.
constexpr benchmark::IterationCount kKeepAllEvents = 4'000'000;

void recordKeepAll(benchmark::State& state, ClockSource clock) {
  Recorder rec({.ringCapacity = 0, .clock = clock});
  if (rec.clockSource() != clock) state.SkipWithError(cpuTicksUnusableReason());
  for (auto _ : state) rec.record<Kind::sem>(&kSite, 0, 0, 1, kPrepare);
  state.SetItemsProcessed(state.iterations());
}

// The streaming hot path: keep-all on chunks that come back from the pool (a
// streaming writer gives flushed chunks back; here a finished recording does, its
// teardown untimed), so no event lands on a fresh page.
void recordKeepAllReused(benchmark::State& state, ClockSource clock) {
  constexpr size_t kPerRecording = (kChunkPoolMax - 1) * kChunkEvents;
  auto fill = [](Recorder& r) {
    for (size_t i = 0; i < kPerRecording; ++i) r.record<Kind::sem>(&kSite, 0, 0, 1, kPrepare);
  };
  {
    Recorder warm({.ringCapacity = 0, .clock = clock});
    fill(warm);  // its chunks go to the pool
  }
  auto rec = std::make_unique<Recorder>(Recorder::Options{.ringCapacity = 0, .clock = clock});
  if (rec->clockSource() != clock) state.SkipWithError(cpuTicksUnusableReason());
  size_t n = 0;
  for (auto _ : state) {
    rec->record<Kind::sem>(&kSite, 0, 0, 1, kPrepare);
    if (++n == kPerRecording) {
      state.PauseTiming();
      rec = std::make_unique<Recorder>(Recorder::Options{.ringCapacity = 0, .clock = clock});
      n = 0;
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations());
}

// Streaming: the recording thread's cost while a pump drains its chunks (and gives
// them back to the pool) into a sink that only counts them: the hot path itself.
struct CountingSink : EventSink {
  uint64_t n = 0;
  bool write(const Event*, size_t count) override {
    n += count;
    return true;
  }
};

void recordStreaming(benchmark::State& state, ClockSource clock) {
  Recorder rec({.ringCapacity = 0, .clock = clock, .streaming = true});
  if (rec.clockSource() != clock) state.SkipWithError(cpuTicksUnusableReason());
  CountingSink sink;
  StreamPump pump(rec, sink);
  for (auto _ : state) rec.record<Kind::sem>(&kSite, 0, 0, 1, kPrepare);
  pump.finish();
  state.SetItemsProcessed(state.iterations());
  state.counters["drained"] = static_cast<double>(sink.n);
}

// Streaming to a JSON file (/dev/null): the recording thread runs as fast as the
// writer's thread formats events (backpressure), so this is the writer's cost per
// event, the ceiling of a streamed run's event rate.
void streamJsonTo(benchmark::State& state, const std::string& path) {
  std::string err;
  auto out = traceio::openJsonTraceStream(path, 0, &err);
  if (!out) state.SkipWithError(err.c_str());
  Recorder rec({.ringCapacity = 0, .clock = ClockSource::automatic, .streaming = true});
  out->begin({}, {});
  {
    StreamPump pump(rec, *out);
    for (auto _ : state) rec.record<Kind::sem>(&kSite, 0, 0, 1, kPrepare);
    pump.finish();
  }
  out->end({}, "", &err);
  state.SetItemsProcessed(state.iterations());
}

void streamJson(benchmark::State& state) {
  streamJsonTo(state, "/dev/null");
}

// To a real file (removed after): the kernel's copy into the page cache too.
void streamJsonFile(benchmark::State& state) {
  std::string path = (std::filesystem::temp_directory_path() / "pollscope-bench-stream.trace.json").string();
  streamJsonTo(state, path);
  std::filesystem::remove(path);
}

void recordRing(benchmark::State& state, ClockSource clock) {
  Recorder rec({.ringCapacity = 65536, .clock = clock});
  if (rec.clockSource() != clock) state.SkipWithError(cpuTicksUnusableReason());
  for (auto _ : state) rec.record<Kind::sem>(&kSite, 0, 0, 1, kPrepare);
  state.SetItemsProcessed(state.iterations());
}

// Tracing off: what every PS_EMIT still costs (the engine has no recorder).
void recordOff(benchmark::State& state) {
  for (auto _ : state) rt::emit<Kind::sem>(nullptr, &kSite, kPrepare);
  state.SetItemsProcessed(state.iterations());
}

void clockRead(benchmark::State& state, ClockSource clock) {
  TraceClock c(clock);
  if (c.source() != clock) state.SkipWithError(cpuTicksUnusableReason());
  for (auto _ : state) benchmark::DoNotOptimize(c.now());
}

// Two threads recording at once: contention is only on the sequence counter.
void recordTwoThreads(benchmark::State& state) {
  static Recorder* rec = nullptr;
  if (state.thread_index() == 0) rec = new Recorder({65536});
  for (auto _ : state) rec->record<Kind::sem>(&kSite, static_cast<int16_t>(state.thread_index()), 0, 1, kPrepare);
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    delete rec;
    rec = nullptr;
  }
}

void registerAll() {
  for (ClockSource c : {ClockSource::tsc, ClockSource::clockGettime}) {
    std::string clock = clockSourceName(c);
    benchmark::RegisterBenchmark(("Record/keep-all/" + clock).c_str(), recordKeepAll, c)->Iterations(kKeepAllEvents);
    benchmark::RegisterBenchmark(("Record/keep-all-reused/" + clock).c_str(), recordKeepAllReused, c);
    benchmark::RegisterBenchmark(("Record/ring/" + clock).c_str(), recordRing, c);
    benchmark::RegisterBenchmark(("Record/streaming/" + clock).c_str(), recordStreaming, c);
    benchmark::RegisterBenchmark(("ClockRead/" + clock).c_str(), clockRead, c);
  }
  benchmark::RegisterBenchmark("Record/off", recordOff);
  benchmark::RegisterBenchmark("Stream/json-to-dev-null", streamJson)->Iterations(2'000'000);
  // The same with the CPU time of every thread (the writer's included): what a
  // streamed event costs the core the engine shares with its writer.
  benchmark::RegisterBenchmark("Stream/json-to-dev-null/all-threads", streamJson)
      ->Iterations(2'000'000)
      ->MeasureProcessCPUTime();
  benchmark::RegisterBenchmark("Stream/json-to-file/all-threads", streamJsonFile)
      ->Iterations(2'000'000)
      ->MeasureProcessCPUTime();
  benchmark::RegisterBenchmark("Record/ring-two-threads/automatic", recordTwoThreads)->Threads(2);
}
}  // namespace

int main(int argc, char** argv) {
  const char* why = cpuTicksUnusableReason();
  std::printf("trace clock: %s%s\n", why ? "clock_gettime, because " : "tsc (invariant, calibrated)", why ? why : "");
  registerAll();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
