// The flight recorder: lock-free, allocation-free event recording.
//
// Every thread that records gets its own buffer (found through a thread-local
// cache), so recording is one relaxed fetch_add for the global sequence number,
// one clock read (the CPU's counter where it is invariant: trace_clock.hpp) and a
// store into the thread's buffer. Two modes:
//  - keep all: buffers grow in fixed chunks (one per 4096 events, reused from
//    finished recordings when there are any: chunk_pool.hpp);
//  - ring:     each thread keeps its last N events ("flight recorder").
// collect() merges the buffers by sequence number. It may run while recording
// goes on (live viewing) in keep-all mode: it sees every event published so far.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "trace/event.hpp"
#include "trace/fields.hpp"
#include "trace/trace_clock.hpp"

namespace pollscope::trace {
class StepGate;

class Recorder {
 public:
  struct Options {
    size_t ringCapacity = 0;                     // events kept per thread; 0 keeps everything
    ClockSource clock = ClockSource::automatic;  // tests and benchmarks pick one
  };
  Recorder();
  explicit Recorder(Options opt);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Records one event of kind K on the calling thread: Args<K> names and types
  // every field, so a record site cannot pass too few, too many or mistyped fields.
  template <Kind K>
  void record(const Site* site, int16_t m, int16_t p, int64_t g, const Args<K>& args) {
    recordFields(K, site, m, p, g, &args, sizeof(args));
  }
  // The same for callers that carry an Args<kind> through a non-template layer
  // (the runtime's emit): `fields` are its bytes, whole int64 fields in table order.
  void recordFields(Kind kind, const Site* site, int16_t m, int16_t p, int64_t g, const void* fields, size_t bytes);

  // All events recorded so far, ordered by seq.
  std::vector<Event> collect() const;
  uint64_t recorded() const { return nextSeq_.load(std::memory_order_relaxed); }
  // Events overwritten in ring mode.
  uint64_t overwritten() const;
  int64_t startNs() const { return startNs_; }  // CLOCK_MONOTONIC when recording started
  ClockSource clockSource() const { return clock_.source(); }
  // Live single-stepping: each recording thread passes `gate` after publishing
  // its event (nullptr: no gate). The gate must outlive the recording.
  void setGate(StepGate* gate) { gate_.store(gate, std::memory_order_release); }

 private:
  struct ThreadBuffer;
  ThreadBuffer* bufferForThisThread();

  Options opt_;
  uint64_t id_;  // distinguishes recorders in the thread-local cache
  TraceClock clock_;
  int64_t startNs_;
  std::atomic<uint64_t> nextSeq_{0};
  std::atomic<StepGate*> gate_{nullptr};
  mutable std::mutex buffersMu_;  // taken only when a thread records for the first time
  std::vector<std::unique_ptr<ThreadBuffer>> buffers_;
};

}  // namespace pollscope::trace
