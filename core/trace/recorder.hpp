// The flight recorder: lock-free, allocation-free event recording.
//
// Every thread that records gets its own buffer (found through a thread-local
// cache), so recording is one relaxed fetch_add for the global sequence number,
// one clock read (the CPU's counter where it is invariant: trace_clock.hpp) and a
// store into the thread's buffer. Two modes:
//  - keep all: buffers grow in fixed chunks (one per 4096 events, reused from
//    finished recordings when there are any: chunk_pool.hpp);
//  - ring:     each thread keeps its last N events ("flight recorder").
//  - streaming: keep-all whose finished chunks a consumer drains (drain(): in seq
//    order, to an EventSink) and gives back to the pool while the run goes on, so
//    memory is bounded however long it runs (stream_pump.hpp runs the consumer).
// collect() merges the buffers by sequence number. It may run while recording
// goes on (live viewing) in keep-all mode: it sees every event published so far.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "trace/event.hpp"
#include "trace/event_sink.hpp"
#include "trace/fields.hpp"
#include "trace/trace_clock.hpp"

namespace pollscope::trace {
class StepGate;

class Recorder {
 public:
  struct Options {
    size_t ringCapacity = 0;                     // events kept per thread; 0 keeps everything
    ClockSource clock = ClockSource::automatic;  // tests and benchmarks pick one
    bool streaming = false;  // keep-all whose chunks drain() hands on and frees (ringCapacity must be 0)
    // Streaming: chunks a thread may fill ahead of the drain (32 x 4096 x 96 B =
    // 12.6 MB). A thread that gets that far waits for the drain: the trace stays
    // whole and memory bounded, at the price of slowing a run the writer cannot follow.
    size_t streamBacklogChunks = 32;
    uint64_t firstSeq = 0;  // the first event's seq (tests start near the 48-bit limit: event.hpp)
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

  // All events recorded so far, ordered by seq (streaming: those not drained yet).
  std::vector<Event> collect() const;

  // Streaming: hands every event not drained yet to `sink`, in seq order, up to
  // the first one some thread has not published yet, and gives the chunks it
  // finished back to the pool. nullptr, or a sink that said stop, drops them.
  // One drainer at a time (it is serialized). Returns how many it took.
  uint64_t drain(EventSink* sink);
  uint64_t drained() const { return drained_.load(std::memory_order_relaxed); }  // events taken so far
  // Streaming: nothing more is recorded (a sink is full). A thread may finish the
  // chunk it is filling; drain() drops those events.
  void stopRecording() { stopped_.store(true, std::memory_order_release); }
  bool stopped() const { return stopped_.load(std::memory_order_acquire); }
  uint64_t recorded() const {
    return std::min(nextSeq_.load(std::memory_order_relaxed), limitSeq_.load(std::memory_order_relaxed));
  }
  // Why recording stopped for good, when a seq or g did not fit an Event (event.hpp:
  // 48 bits); empty while everything fits. The trace says it. A ts past 2^47-1 ns
  // (39 hours) is recorded as 2^47-1: saturated, so the order stays by seq.
  std::string limitNote() const;
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
  Event* startChunk(ThreadBuffer* b, uint64_t chunkIndex);
  const Event& eventAt(const ThreadBuffer& b, uint64_t i) const;
  void stopAtLimit(uint64_t seq, int64_t g);

  Options opt_;
  uint64_t id_;  // distinguishes recorders in the thread-local cache
  TraceClock clock_;
  int64_t startNs_;
  std::atomic<uint64_t> nextSeq_{0};
  std::atomic<StepGate*> gate_{nullptr};
  std::atomic<uint64_t> limitSeq_{UINT64_MAX};  // the seq recording stopped at (stopAtLimit)
  mutable std::mutex limitMu_;
  std::string limitNote_;
  mutable std::mutex buffersMu_;  // taken only when a thread records for the first time
  std::vector<std::unique_ptr<ThreadBuffer>> buffers_;
  // Streaming.
  std::atomic<bool> stopped_{false};
  mutable std::mutex drainMu_;  // one drainer; collect() waits for it (chunks it reads stay mapped)
  uint64_t nextDrain_ = 0;      // the seq drain() hands on next (under drainMu_)
  std::atomic<uint64_t> drained_{0};
  std::vector<ThreadBuffer*> drainBuffers_;  // drain()'s copy of buffers_ (under drainMu_)
  std::vector<uint64_t> drainAvail_;         // what each had published when drain() began
};

}  // namespace pollscope::trace
