#include "trace/recorder.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <string>
#include <thread>

#include "trace/chunk_pool.hpp"
#include "trace/step_gate.hpp"

namespace pollscope::trace {

namespace {
constexpr size_t kChunk = kChunkEvents;
// Keep-all: 268M events per thread, fixed so readers never see a realloc. Streaming
// uses the slots as a ring (chunk i in slot i % kMaxChunks), so it never runs out.
constexpr size_t kMaxChunks = 1 << 16;
std::atomic<uint64_t> gRecorderIds{1};
static_assert(std::endian::native == std::endian::little, "recordFields packs Event's header words by hand");
static_assert(offsetof(Event, site) == 3 * sizeof(uint64_t), "Event's header is three packed words");
}  // namespace

struct Recorder::ThreadBuffer {
  // keep-all mode: chunks_[i] is published before `published` covers it.
  std::unique_ptr<std::atomic<Event*>[]> chunks;
  Event* current = nullptr;  // owner only: the chunk being filled
  // streaming: chunks the drain has given back (the owner waits when it is
  // streamBacklogChunks ahead), and the next event the drain takes (drainMu_)
  std::atomic<uint64_t> drainedChunks{0};
  uint64_t drainPos = 0;
  // ring mode
  std::unique_ptr<Event[]> ring;
  size_t capacity = 0;
  size_t ringNext = 0;                 // owner only: published % capacity, kept so the hot path has no division
  std::atomic<uint64_t> published{0};  // events written by the owner thread

  ~ThreadBuffer() {
    if (chunks)
      for (size_t i = 0; i < kMaxChunks; ++i)
        if (Event* c = chunks[i].load(std::memory_order_relaxed)) giveChunk(c);  // reused by the next recording
  }
};

Recorder::Recorder() : Recorder(Options{}) {}

Recorder::Recorder(Options opt)
    : opt_(opt),
      id_(gRecorderIds.fetch_add(1)),
      clock_(opt.clock),
      startNs_(clock_.startNs()),
      nextSeq_(opt.firstSeq),
      nextDrain_(opt.firstSeq) {}

Recorder::~Recorder() = default;

// Not inlined on purpose: goroutines migrate between threads, so the thread-local
// must be read afresh on every call, never cached by the caller across a switch.
[[gnu::noinline]] Recorder::ThreadBuffer* Recorder::bufferForThisThread() {
  struct Cache {
    uint64_t recorderId = 0;
    ThreadBuffer* buffer = nullptr;
  };
  thread_local Cache cache;
  if (cache.recorderId == id_) return cache.buffer;
  auto buf = std::make_unique<ThreadBuffer>();
  if (opt_.ringCapacity) {
    buf->capacity = opt_.ringCapacity;
    buf->ring = std::make_unique<Event[]>(opt_.ringCapacity);
  } else {
    buf->chunks = std::make_unique<std::atomic<Event*>[]>(kMaxChunks);
  }
  ThreadBuffer* raw = buf.get();
  {
    std::lock_guard lk(buffersMu_);
    buffers_.push_back(std::move(buf));
  }
  cache = {id_, raw};
  return raw;
}

void Recorder::recordFields(Kind kind, const Site* site, int16_t m, int16_t p, int64_t g, const void* fields,
                            size_t bytes) {
  ThreadBuffer* b = bufferForThisThread();
  uint64_t n = b->published.load(std::memory_order_relaxed);
  Event* e;
  if (b->capacity) {
    e = &b->ring[b->ringNext];
  } else {
    size_t off = n % kChunk;
    if (off == 0 && !(b->current = startChunk(b, n / kChunk))) return;  // no memory, or stopped: drop
    e = &b->current[off];
  }
  uint64_t seq = nextSeq_.fetch_add(1, std::memory_order_relaxed);
  // ns since the recorder started (trace_clock.hpp), never negative. Past 2^47-1
  // ns (39 hours: event.hpp) it saturates there: a branch on the clock's value
  // would make every store wait for the counter read (+10 ns an event here).
  int64_t ts = std::min(clock_.now(), kMaxEventTs);
  // A seq or g an Event cannot hold (48 bits) stops the recording: one
  // predictable branch, on values known before the clock read ends.
  constexpr uint64_t kHalf = uint64_t{1} << (kEventWideBits - 1);
  if ((seq | (static_cast<uint64_t>(g) + kHalf)) >> kEventWideBits) [[unlikely]] {
    stopAtLimit(seq, g);
    return;
  }
  // The header words are put together in registers and stored whole. GCC would
  // update each bit-field in place (reading its cold word first), and a local
  // Event copied out stalls on store forwarding: both cost ~10 ns an event. The
  // layout is the Itanium ABI's on a little-endian machine (x86-64, arm64,
  // wasm32): a word's first bit-field in its low bits. The recorder's tests read
  // every field back at its extremes (test_recorder.cpp).
  constexpr uint64_t kLow = kMaxEventSeq;  // the low 48 bits
  const uint64_t w0 = (seq & kLow) | uint64_t{static_cast<uint16_t>(kind)} << kEventWideBits;
  const uint64_t w1 = (static_cast<uint64_t>(ts) & kLow) | uint64_t{static_cast<uint16_t>(m)} << kEventWideBits;
  const uint64_t w2 = (static_cast<uint64_t>(g) & kLow) | uint64_t{static_cast<uint16_t>(p)} << kEventWideBits;
  auto* out = reinterpret_cast<unsigned char*>(e);  // one store each (an array would go through the stack)
  std::memcpy(out, &w0, sizeof w0);
  std::memcpy(out + 8, &w1, sizeof w1);
  std::memcpy(out + 16, &w2, sizeof w2);
  e->site = site;
  // Whole int64 fields, then zeros: eight stores the compiler unrolls, where a
  // memcpy/memset of a run-time length would be two library calls.
  const auto* src = static_cast<const char*>(fields);
  size_t words = bytes / sizeof(int64_t);
  for (size_t i = 0; i < kMaxArgs; ++i) {
    int64_t v = 0;
    if (i < words) std::memcpy(&v, src + i * sizeof(int64_t), sizeof(v));
    e->a[i] = v;
  }
  if (b->capacity && ++b->ringNext == b->capacity) b->ringNext = 0;
  b->published.store(n + 1, std::memory_order_release);
  if (StepGate* gate = gate_.load(std::memory_order_acquire)) gate->pass(seq);
}

// A value an Event cannot hold: recording stops at this event's seq, for good.
// The counter jumps past the limit, so every later event takes the branch above
// and is dropped; events other threads took seqs for just before are published
// but past the stop, so collect() leaves them out and drain() never gets there.
[[gnu::noinline]] void Recorder::stopAtLimit(uint64_t seq, int64_t g) {
  uint64_t cur = limitSeq_.load(std::memory_order_relaxed);
  if (seq > kMaxEventSeq && cur != UINT64_MAX) return;  // stopped already: dropped
  nextSeq_.store(kMaxEventSeq + 1, std::memory_order_relaxed);
  std::lock_guard lk(limitMu_);
  if (seq > kMaxEventSeq) seq = kMaxEventSeq + 1;
  if (seq >= limitSeq_.load(std::memory_order_relaxed)) return;
  limitSeq_.store(seq, std::memory_order_release);
  const char* field = !seqFits(seq) ? "seq" : "g";
  int64_t value = !seqFits(seq) ? static_cast<int64_t>(seq) : g;
  limitNote_ = "recording stopped at seq " + std::to_string(seq) + ": " + field + " " + std::to_string(value) +
               " does not fit a trace event (seq < 2^48, |g| < 2^47)";
}

std::string Recorder::limitNote() const {
  std::lock_guard lk(limitMu_);
  return limitNote_;
}

// Once per kChunk events, so out of line. Taken before the event's seq: a thread
// that waits here or drops the event holds no seq the drain would wait for.
[[gnu::noinline]] Event* Recorder::startChunk(ThreadBuffer* b, uint64_t ci) {
  // Taken already, by an event stopAtLimit dropped: the same chunk again.
  if (Event* have = b->chunks[ci % kMaxChunks].load(std::memory_order_relaxed)) return have;
  if (!opt_.streaming) {
    if (ci >= kMaxChunks) return nullptr;  // 268M events on one thread: stop rather than corrupt
    Event* chunk = takeChunk();
    if (chunk) b->chunks[ci].store(chunk, std::memory_order_release);
    return chunk;
  }
  // Backpressure: wait for the drain rather than grow without bound.
  while (ci - b->drainedChunks.load(std::memory_order_acquire) >= opt_.streamBacklogChunks) {
    if (stopped()) return nullptr;
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  if (stopped()) return nullptr;
  Event* chunk = takeChunk();
  if (chunk) b->chunks[ci % kMaxChunks].store(chunk, std::memory_order_release);
  return chunk;
}

const Event& Recorder::eventAt(const ThreadBuffer& b, uint64_t i) const {
  size_t slot = opt_.streaming ? (i / kChunk) % kMaxChunks : i / kChunk;
  return b.chunks[slot].load(std::memory_order_acquire)[i % kChunk];
}

uint64_t Recorder::drain(EventSink* sink) {
  std::lock_guard dl(drainMu_);
  {
    std::lock_guard lk(buffersMu_);
    drainBuffers_.clear();
    for (const auto& b : buffers_) drainBuffers_.push_back(b.get());
  }
  std::vector<uint64_t>& avail = drainAvail_;
  avail.clear();
  for (ThreadBuffer* b : drainBuffers_) avail.push_back(b->published.load(std::memory_order_acquire));
  uint64_t taken = 0;
  for (;;) {
    // Each thread's events are in seq order, and every seq below the counter
    // belongs to exactly one thread: the next seq is the head of one buffer, or
    // its thread has not published it yet and the drain stops there.
    size_t src = drainBuffers_.size();
    for (size_t i = 0; i < drainBuffers_.size(); ++i) {
      ThreadBuffer* b = drainBuffers_[i];
      if (b->drainPos < avail[i] && eventAt(*b, b->drainPos).seq == nextDrain_) {
        src = i;
        break;
      }
    }
    if (src == drainBuffers_.size()) break;
    ThreadBuffer* b = drainBuffers_[src];
    // The longest run of consecutive seqs within one chunk: handed over in one call.
    uint64_t start = b->drainPos;
    uint64_t limit = std::min<uint64_t>(avail[src], (start / kChunk + 1) * kChunk);
    const Event* first = &eventAt(*b, start);
    uint64_t end = start + 1;
    while (end < limit && first[end - start].seq == nextDrain_ + (end - start)) ++end;
    size_t n = end - start;
    if (sink && !stopped() && !sink->write(first, n)) stopRecording();
    nextDrain_ += n;
    taken += n;
    b->drainPos = end;
    if (end % kChunk == 0) {
      uint64_t ci = end / kChunk - 1;
      giveChunk(b->chunks[ci % kMaxChunks].exchange(nullptr, std::memory_order_acq_rel));
      b->drainedChunks.store(ci + 1, std::memory_order_release);
    }
  }
  if (taken && sink && !stopped()) sink->flush();
  drained_.fetch_add(taken, std::memory_order_relaxed);
  return taken;
}

std::vector<Event> Recorder::collect() const {
  std::vector<Event> out;
  std::lock_guard dl(drainMu_);
  std::lock_guard lk(buffersMu_);
  // Ring mode: each thread's ring reaches back to a different moment. Before the
  // latest of those moments some thread's events are gone, so that stretch would
  // show transitions without the ones between them: only the window every thread
  // still covers is kept (from the newest oldest-kept event of a wrapped ring).
  uint64_t window = 0;
  for (const auto& b : buffers_) {
    uint64_t n = b->published.load(std::memory_order_acquire);
    if (b->capacity) {
      uint64_t first = n > b->capacity ? n - b->capacity : 0;
      if (first > 0) window = std::max(window, b->ring[first % b->capacity].seq);
      size_t start = out.size();
      for (uint64_t i = first; i < n; ++i) out.push_back(b->ring[i % b->capacity]);
      // Recording may go on meanwhile (a forced exit snapshots a live run): the
      // slots the owner overwrote while they were copied, and the one it may be
      // writing now, are dropped.
      uint64_t now = b->published.load(std::memory_order_acquire);
      uint64_t safe = now >= b->capacity ? now - b->capacity + 1 : 0;
      if (now != n && safe > first)
        out.erase(out.begin() + static_cast<std::ptrdiff_t>(start),
                  out.begin() + static_cast<std::ptrdiff_t>(start + std::min(safe - first, n - first)));
    } else {
      for (uint64_t i = b->drainPos; i < n; ++i) out.push_back(eventAt(*b, i));  // drainPos: 0 unless streaming
    }
  }
  std::sort(out.begin(), out.end(), [](const Event& x, const Event& y) { return x.seq < y.seq; });
  if (uint64_t stop = limitSeq_.load(std::memory_order_acquire); stop != UINT64_MAX)  // stopAtLimit
    out.erase(std::lower_bound(out.begin(), out.end(), stop, [](const Event& e, uint64_t seq) { return e.seq < seq; }),
              out.end());
  if (window > 0)
    out.erase(out.begin(), std::lower_bound(out.begin(), out.end(), window,
                                            [](const Event& e, uint64_t seq) { return e.seq < seq; }));
  return out;
}

uint64_t Recorder::overwritten() const {
  std::lock_guard lk(buffersMu_);
  uint64_t lost = 0;
  for (const auto& b : buffers_) {
    uint64_t n = b->published.load(std::memory_order_acquire);
    if (b->capacity && n > b->capacity) lost += n - b->capacity;
  }
  return lost;
}

}  // namespace pollscope::trace
