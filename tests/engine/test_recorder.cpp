#include <algorithm>
#include <catch2/catch.hpp>
#include <thread>

#include "trace/chunk_pool.hpp"
#include "trace/fields.hpp"
#include "trace/recorder.hpp"
#include "trace/stream_pump.hpp"

using namespace pollscope::trace;

namespace {
const Site kSite{"tests/engine/test_recorder.cpp", 1, "test", "test"};
}

TEST_CASE("the recorder merges per-thread buffers in seq order", "[recorder][engine]") {
  Recorder rec;
  auto work = [&](int16_t m) {
    for (int i = 0; i < 10000; ++i) rec.record<Kind::waiters>(&kSite, m, -1, 0, {.delta = i, .value = m});
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
    View<Kind::waiters> w{e};
    CHECK(w.delta() == last[e.m] + 1);
    last[e.m] = w.delta();
  }
}

TEST_CASE("ring mode keeps the last N events per thread", "[recorder][engine]") {
  Recorder rec({100});
  for (int i = 0; i < 1000; ++i) rec.record<Kind::waiters>(&kSite, 0, 0, 0, {i, 0});
  auto ev = rec.collect();
  REQUIRE(ev.size() == 100);
  CHECK(View<Kind::waiters>(ev.front()).delta() == 900);
  CHECK(View<Kind::waiters>(ev.back()).delta() == 999);
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

TEST_CASE("named fields read and write the slots the kind table gives them", "[vocabulary][engine]") {
  Event e = makeEvent<Kind::sem>({.pd = 7,
                                  .fd = 5,
                                  .mode = Mode::w,
                                  .from = SemState::pdWait,
                                  .to = SemState::G,
                                  .by = SemBy::blockCommit,
                                  .fromG = 0,
                                  .toG = 9});
  REQUIRE(e.kind == Kind::sem);
  auto s = as<Kind::sem>(e);
  REQUIRE(s);
  CHECK(s->pd() == 7);
  CHECK(s->mode() == Mode::w);
  CHECK(s->from() == SemState::pdWait);
  CHECK(s->by() == SemBy::blockCommit);
  CHECK(s->toG() == 9);
  CHECK_FALSE(as<Kind::park>(e));
  // The generic view (what the JSON layer writes) agrees with the named one.
  CHECK(fieldValue(e, "to_g") == 9);
  CHECK(fieldValue(e, "mode") == 'w');
  CHECK(fieldValue(e, "by") == static_cast<int64_t>(SemBy::blockCommit));
  CHECK_FALSE(fieldValue(e, "timer").has_value());
  std::string names;
  for (FieldValue f : fieldsOf(e)) names += std::string(f.spec.name) + "=" + formatValue(f.spec.type, f.raw) + " ";
  CHECK(names == "pd=pd7 fd=5 mode=w from=pdWait to=G by=blockcommit from_g=- to_g=G9 ");
  Edit<Kind::sem>{e}.to(SemState::pdReady).toG(0);
  CHECK(s->to() == SemState::pdReady);
  CHECK(fieldValue(e, "to_g") == 0);
}

TEST_CASE("a recorded event carries exactly its fields, the rest zero", "[recorder][engine]") {
  Recorder rec({1});  // one slot: the second event overwrites the first
  rec.record<Kind::fdmu>(&kSite, 0, 0, 0, {3, FdMuOp::destroy, 1, true, true, true, 4, 5});
  rec.record<Kind::waiters>(&kSite, 0, 0, 0, {.delta = -1, .value = 2});
  auto ev = rec.collect();
  REQUIRE(ev.size() == 1);
  CHECK(sameFields(ev[0], makeEvent<Kind::waiters>({-1, 2})));
  CHECK_FALSE(sameFields(ev[0], makeEvent<Kind::waiters>({-1, 3})));
}

TEST_CASE("every enum value has one name that maps back to it", "[vocabulary][engine]") {
  const FieldType enums[] = {
      FieldType::Mode,       FieldType::SemState,  FieldType::SemBy,      FieldType::GStatus,    FieldType::WaitReason,
      FieldType::ParkResult, FieldType::PollErr,   FieldType::PollSite,   FieldType::PollAction, FieldType::SysOp,
      FieldType::CtlOp,      FieldType::FdMuOp,    FieldType::TimerOp,    FieldType::UserOp,     FieldType::Phase,
      FieldType::NetErr,     FieldType::ThrowCode, FieldType::HookName,   FieldType::HookPhase,  FieldType::ReadyBy,
      FieldType::RunQueue,   FieldType::SchedOp,   FieldType::TimerOwner, FieldType::BreakCaller};
  for (FieldType t : enums) {
    int named = 0;
    for (int64_t v = -1; v < 256; ++v) {
      auto n = enumName(t, v);
      if (n == "?") continue;
      ++named;
      INFO(static_cast<int>(t) << " " << v << " " << n);
      CHECK(enumValue(t, n) == v);
    }
    CHECK(named > 1);
  }
  CHECK(name(NetErr::unexpectedEof) == "ErrUnexpectedEOF");
  CHECK(name(Mode::rw) == "rw");
  CHECK(enumName(FieldType::NetErr, 7) == "?");  // no enumerator, no name
}

TEST_CASE("ring mode keeps only the window every thread still covers", "[recorder][engine]") {
  // Thread B records a little early on; thread A records a lot later, and its ring
  // wraps. B's early events come from a stretch where A's are gone: a trace with
  // them would show B's transitions without A's between them.
  Recorder rec({100});
  std::thread b([&] {
    for (int i = 0; i < 10; ++i) rec.record<Kind::waiters>(&kSite, 1, 0, 0, {i, 0});
  });
  b.join();
  std::thread a([&] {
    for (int i = 0; i < 1000; ++i) rec.record<Kind::waiters>(&kSite, 0, 0, 0, {i, 0});
  });
  a.join();
  auto ev = rec.collect();
  REQUIRE(ev.size() == 100);  // only A's last 100: B's 10 are older than A's oldest kept
  for (const auto& e : ev) CHECK(e.m == 0);
  for (size_t i = 1; i < ev.size(); ++i) CHECK(ev[i].seq == ev[i - 1].seq + 1);
}

namespace {
// Checks what a streaming recorder hands over: seq 0, 1, 2, ... in order, each
// thread's own events in their order, and how far recording ever ran ahead.
struct CheckingSink : EventSink {
  const Recorder* rec = nullptr;
  uint64_t next = 0, maxAhead = 0;
  int64_t lastDelta[4] = {-1, -1, -1, -1};
  bool inOrder = true;
  uint64_t stopAfter = UINT64_MAX;
  bool write(const Event* e, size_t n) override {
    for (size_t i = 0; i < n; ++i) {
      View<Kind::waiters> w{e[i]};
      inOrder = inOrder && e[i].seq == next && w.delta() == lastDelta[e[i].m] + 1;
      lastDelta[e[i].m] = w.delta();
      ++next;
    }
    uint64_t ahead = rec->recorded() - next;
    maxAhead = std::max(maxAhead, ahead);
    return next < stopAfter;
  }
};
}  // namespace

TEST_CASE("streaming hands every event on in seq order while threads record, memory bounded", "[recorder][engine]") {
  constexpr size_t kBacklog = 4;
  constexpr int kPerThread = 200000;
  Recorder rec(
      {.ringCapacity = 0, .clock = ClockSource::automatic, .streaming = true, .streamBacklogChunks = kBacklog});
  CheckingSink sink;
  sink.rec = &rec;
  {
    StreamPump pump(rec, sink, 1);
    auto work = [&](int16_t m) {
      for (int i = 0; i < kPerThread; ++i) rec.record<Kind::waiters>(&kSite, m, -1, 0, {.delta = i, .value = m});
    };
    std::thread a(work, 0), b(work, 1), c(work, 2);
    a.join();
    b.join();
    c.join();
    pump.finish();
  }
  CHECK(sink.inOrder);
  CHECK(sink.next == 3 * kPerThread);
  CHECK(rec.drained() == 3 * kPerThread);
  CHECK(rec.collect().empty());  // nothing left behind
  // No thread ever got more than its backlog (plus the chunk it was filling) ahead of the drain.
  CHECK(sink.maxAhead <= 3 * (kBacklog + 1) * kChunkEvents);
}

TEST_CASE("a streaming sink that says stop stops the recording", "[recorder][engine]") {
  constexpr size_t kBacklog = 2;
  Recorder rec(
      {.ringCapacity = 0, .clock = ClockSource::automatic, .streaming = true, .streamBacklogChunks = kBacklog});
  CheckingSink sink;
  sink.rec = &rec;
  sink.stopAfter = 10000;
  {
    StreamPump pump(rec, sink, 1);
    std::thread a([&] {
      for (int i = 0; i < 500000; ++i) rec.record<Kind::waiters>(&kSite, 0, -1, 0, {.delta = i, .value = 0});
    });
    a.join();
    pump.finish();
  }
  CHECK(rec.stopped());
  CHECK(sink.inOrder);
  CHECK(sink.next >= 10000);
  CHECK(sink.next < 10000 + kChunkEvents);  // the sink got nothing after it said stop
  // Recording stopped within the backlog and the chunk being filled, not after 500,000.
  CHECK(rec.recorded() <= 10000 + (kBacklog + 2) * kChunkEvents);
}

// event.hpp keeps seq, ts and g in 48 bits. A value past that is never cut: the
// recorder stops for good, the trace keeps every event before it, and says why.
TEST_CASE("a goroutine id no event can hold stops the recording with a note", "[recorder][engine]") {
  for (size_t ring : {size_t{0}, size_t{16}}) {
    INFO("ring " << ring);
    Recorder rec({ring});
    for (int i = 0; i < 3; ++i) rec.record<Kind::waiters>(&kSite, 0, 0, 1, {i, 0});
    rec.record<Kind::waiters>(&kSite, 0, 0, kMaxEventG, {3, 0});  // the largest that fits
    rec.record<Kind::waiters>(&kSite, 0, 0, kMinEventG, {4, 0});
    CHECK(rec.limitNote().empty());
    rec.record<Kind::waiters>(&kSite, 0, 0, kMaxEventG + 1, {5, 0});
    for (int i = 6; i < 10; ++i) rec.record<Kind::waiters>(&kSite, 0, 0, 1, {i, 0});  // after the stop
    auto ev = rec.collect();
    REQUIRE(ev.size() == 5);
    for (size_t i = 0; i < ev.size(); ++i) {
      CHECK(ev[i].seq == i);
      CHECK(View<Kind::waiters>(ev[i]).delta() == static_cast<int64_t>(i));
    }
    CHECK(ev[3].g == kMaxEventG);
    CHECK(ev[4].g == kMinEventG);
    CHECK(rec.recorded() == 5);
    std::string note = rec.limitNote();
    INFO(note);
    CHECK(note.find("recording stopped at seq 5: g 140737488355328 does not fit") != std::string::npos);
  }
  Recorder low;
  low.record<Kind::waiters>(&kSite, 0, 0, kMinEventG - 1, {0, 0});
  CHECK(low.collect().empty());
  CHECK(low.limitNote().find("g -140737488355329") != std::string::npos);
}

TEST_CASE("the recording stops at the last seq an event can hold", "[recorder][engine]") {
  Recorder::Options opt;
  opt.firstSeq = kMaxEventSeq - 1;
  Recorder rec(opt);
  for (int i = 0; i < 5; ++i) rec.record<Kind::waiters>(&kSite, 0, 0, 1, {i, 0});
  auto ev = rec.collect();
  REQUIRE(ev.size() == 2);
  CHECK(ev[0].seq == kMaxEventSeq - 1);
  CHECK(ev[1].seq == kMaxEventSeq);  // 2^48 - 1: stored whole
  CHECK(View<Kind::waiters>(ev[1]).delta() == 1);
  CHECK(rec.recorded() == kMaxEventSeq + 1);
  CHECK(rec.limitNote().find("recording stopped at seq 281474976710656: seq 281474976710656") != std::string::npos);
}

TEST_CASE("an event is 96 bytes and its narrow fields keep their full ranges", "[recorder][engine]") {
  static_assert(sizeof(Event) == 96);
  Event e;
  e.seq = kMaxEventSeq;
  e.kind = Kind::sem;
  e.ts = kMinEventTs;
  e.m = INT16_MAX;
  e.g = kMinEventG;
  e.p = INT16_MIN;
  CHECK(e.seq == kMaxEventSeq);
  CHECK(e.kind == Kind::sem);
  CHECK(e.ts == kMinEventTs);
  CHECK(e.m == INT16_MAX);
  CHECK(e.g == kMinEventG);
  CHECK(e.p == INT16_MIN);
  e.ts = kMaxEventTs;
  e.g = kMaxEventG;
  e.m = -1;
  CHECK(e.ts == kMaxEventTs);
  CHECK(e.g == kMaxEventG);
  CHECK(e.seq == kMaxEventSeq);  // neighbours untouched
  CHECK(e.p == INT16_MIN);
  CHECK(e.m == -1);
}
