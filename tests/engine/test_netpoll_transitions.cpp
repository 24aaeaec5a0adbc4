// Unit tests for the rg/wg state machine, pollInfo/checkerr, fdseq and break
// (docs/go-netpoll.md §2-§4 and §6), each on the real engine with real sockets.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "netpoll/backend.hpp"
#include "poll/fd.hpp"
#include "support/engine_harness.hpp"

using namespace pollscope;
using namespace pstest;
using netpoll::pdNil;
using netpoll::pdReady;
using netpoll::pdWait;
using trace::Mode;

namespace {
netpoll::Netpoll& np() {
  return *rt::currentEngine()->netpoll;
}

void writeAll(int fd, const char* s) {
  REQUIRE(::write(fd, s, std::strlen(s)) == static_cast<ssize_t>(std::strlen(s)));
}
}  // namespace

TEST_CASE("a read that finds pdReady consumes it without parking", "[netpoll][engine]") {
  std::string got;
  int fd = -1;
  auto t = runTraced([&] {
    auto sp_a = socketPair();
    int a = sp_a.first, b = sp_a.second;
    fd = a;
    poll::FD f(a);
    REQUIRE(!f.init());
    // Between the read's EAGAIN and netpollblock, the peer writes and a netpoll runs:
    // the event lands while nobody waits, leaving a pdReady token.
    bool once = false;
    np().hooks.beforeBlock = [&](netpoll::PollDesc*, Mode) {
      if (once) return;
      once = true;
      writeAll(b, "early");
      auto res = np().poll(0, trace::PollSite::findRunnableNb);
      CHECK(res.list.empty());
    };
    char buf[16];
    size_t n = 0;
    REQUIRE(!f.read(buf, sizeof buf, &n));
    got.assign(buf, n);
    np().hooks.beforeBlock = nullptr;
    f.close();
    ::close(b);
  });
  CHECK(got == "early");
  int64_t pd = pdOfFd(t, fd);
  auto path = semPath(t, pd, 'r');
  INFO(join(path));
  CHECK(subsequence(path, {"pdNil->pdNil:pollReset", "pdNil->pdReady:unblock.io", "pdReady->pdNil:block.consume"}));
  CHECK(eventsOf<Kind::park>(t, [&](auto e) { return e.pd() == pd; }).empty());
  CHECK(eventsOf<Kind::gStatus>(t, [](auto e) {
          return e.to() == trace::GStatus::Gwaiting && e.reason() == trace::WaitReason::ioWait;
        }).empty());
  CHECK(lintReport(t).empty());
}

TEST_CASE("an event while pdWait makes the commit fail and the park abort", "[netpoll][engine]") {
  std::string got;
  int fd = -1;
  auto t = runTraced([&] {
    auto sp_a = socketPair();
    int a = sp_a.first, b = sp_a.second;
    fd = a;
    poll::FD f(a);
    REQUIRE(!f.init());
    bool once = false;
    // On g0, after the G is _Gwaiting but before netpollblockcommit's CAS.
    np().hooks.beforeCommit = [&](netpoll::PollDesc*, Mode) {
      if (once) return;
      once = true;
      writeAll(b, "race");
      np().poll(0, trace::PollSite::findRunnableNb);
    };
    char buf[16];
    size_t n = 0;
    REQUIRE(!f.read(buf, sizeof buf, &n));
    got.assign(buf, n);
    np().hooks.beforeCommit = nullptr;
    f.close();
    ::close(b);
  });
  CHECK(got == "race");
  int64_t pd = pdOfFd(t, fd);
  auto path = semPath(t, pd, 'r');
  INFO(join(path));
  CHECK(subsequence(path, {"pdNil->pdWait:block.prepare", "pdWait->pdReady:unblock.io", "pdReady->pdNil:block.swap"}));
  CHECK_FALSE(subsequence(path, {"pdWait->G:blockcommit"}));
  auto parks = eventsOf<Kind::park>(t, [&](auto e) { return e.pd() == pd; });
  REQUIRE(parks.size() == 1);
  CHECK(parks[0].result() == trace::ParkResult::aborted);
  // The waiter count never moved: the G never really parked.
  CHECK(eventsOf<Kind::waiters>(t).empty());
  CHECK(lintReport(t).empty());
}

TEST_CASE("netpollunblock: no token without ioready, tokens collapse with it", "[netpoll][engine]") {
  runTraced([&] {
    auto sp_a = socketPair();
    int a = sp_a.first, b = sp_a.second;
    poll::FD f(a);
    REQUIRE(!f.init());
    netpoll::PollDesc* pd = f.pd();
    int32_t delta = 0;
    CHECK(np().netpollunblock(pd, Mode::r, false, &delta) == nullptr);
    CHECK(pd->rg.load() == pdNil);  // a timeout or close leaves nothing behind
    CHECK(np().netpollunblock(pd, Mode::r, true, &delta) == nullptr);
    CHECK(pd->rg.load() == pdReady);
    CHECK(np().netpollunblock(pd, Mode::r, true, &delta) == nullptr);
    CHECK(pd->rg.load() == pdReady);  // repeated edges collapse into one token
    CHECK(delta == 0);
    f.close();
    ::close(b);
  });
}

TEST_CASE("a second waiter on the same semaphore throws double wait", "[netpoll][engine]") {
  bool threw = false;
  auto t = runTraced(Run{1, true}, [&] {
    auto sp_a = socketPair();
    int a = sp_a.first, b = sp_a.second;
    poll::FD f(a);
    REQUIRE(!f.init());
    f.pd()->rg.store(pdWait);  // as if another goroutine were between prepare and commit
    try {
      np().netpollblock(f.pd(), Mode::r, false);
    } catch (const rt::RuntimeThrow& e) {
      threw = e.code == static_cast<int64_t>(trace::ThrowCode::doubleWait);
    }
    f.pd()->rg.store(pdNil);
    f.close();
    ::close(b);
  });
  CHECK(threw);
  CHECK(eventsOf<Kind::throw_>(t).size() == 1);
  CHECK(lintReport(t).find("double wait") != std::string::npos);
}

TEST_CASE("netpollcheckerr reports closing, then timeout, then not-pollable", "[netpoll][engine]") {
  runTraced([&] {
    auto sp_a = socketPair();
    int a = sp_a.first, b = sp_a.second;
    poll::FD f(a);
    REQUIRE(!f.init());
    netpoll::PollDesc* pd = f.pd();
    auto set = [&](bool closing, int64_t rd, int64_t wd) {
      std::lock_guard lk(pd->lock);
      pd->closing = closing;
      pd->rd = rd;
      pd->wd = wd;
      np().publishInfo(pd);
    };
    CHECK(np().netpollcheckerr(pd, Mode::r) == 0);
    np().setEventErr(pd, true, 0);
    CHECK(np().netpollcheckerr(pd, Mode::r) == 3);  // pollErrNotPollable, read side only
    CHECK(np().netpollcheckerr(pd, Mode::w) == 0);
    set(false, -1, 0);
    CHECK(np().netpollcheckerr(pd, Mode::r) == 2);  // timeout beats eventErr
    CHECK(np().netpollcheckerr(pd, Mode::w) == 0);
    set(false, 0, -1);
    CHECK(np().netpollcheckerr(pd, Mode::w) == 2);
    CHECK(np().netpollcheckerr(pd, Mode::r) == 3);
    set(true, -1, -1);
    CHECK(np().netpollcheckerr(pd, Mode::r) == 1);  // closing beats everything
    CHECK(np().netpollcheckerr(pd, Mode::w) == 1);
    set(false, 0, 0);
    np().setEventErr(pd, false, 0);
    f.close();
    ::close(b);
  });
}

TEST_CASE("setEventErr ignores an event tagged for an older fdseq", "[netpoll][engine]") {
  runTraced([&] {
    auto sp_a = socketPair();
    int a = sp_a.first, b = sp_a.second;
    poll::FD f(a);
    REQUIRE(!f.init());
    netpoll::PollDesc* pd = f.pd();
    uintptr_t seq = pd->fdseq.load();
    np().setEventErr(pd, true, seq + 1);
    CHECK((pd->atomicInfo.load() & trace::kPollEventErr) == 0);
    np().setEventErr(pd, true, seq);
    CHECK((pd->atomicInfo.load() & trace::kPollEventErr) != 0);
    np().setEventErr(pd, false, seq);
    f.close();
    ::close(b);
  });
}

TEST_CASE("an event held across close and fd reuse is dropped by the fdseq tag", "[netpoll][engine]") {
  int fdA = -1, fdB = -1;
  int64_t pdA = 0, pdB = 0;
  auto t = runTraced([&] {
    auto sp_a0 = socketPair();
    int a0 = sp_a0.first, a1 = sp_a0.second;
    fdA = a0;
    auto fa = std::make_unique<poll::FD>(a0);
    REQUIRE(!fa->init());
    pdA = fa->pd()->id;
    writeAll(a1, "for A");  // the kernel queues EPOLLIN for fd A
    std::unique_ptr<poll::FD> fb;
    int b1 = -1;
    bool once = false;
    // epoll_wait has returned A's event; before it is processed, A is closed and
    // its pollDesc reused for a new fd B.
    np().hooks.afterPollWait = [&](int n) {
      if (once || n == 0) return;
      once = true;
      REQUIRE(!fa->close());
      auto sp_b0 = socketPair();
      int b0 = sp_b0.first, bb1 = sp_b0.second;
      b1 = bb1;
      fdB = b0;
      fb = std::make_unique<poll::FD>(b0);
      REQUIRE(!fb->init());
      pdB = fb->pd()->id;
    };
    np().poll(0, trace::PollSite::findRunnableNb);
    np().hooks.afterPollWait = nullptr;
    CHECK(fb->pd()->rg.load() == pdNil);  // no spurious readiness on B
    CHECK((fb->pd()->atomicInfo.load() & trace::kPollEventErr) == 0);
    fb->close();
    ::close(a1);
    ::close(b1);
  });
  CHECK(pdA == pdB);  // pollcache handed the same pollDesc back (LIFO)
  auto stale = eventsOf<Kind::pollEvent>(t, [](auto e) { return e.action() == trace::PollAction::staleDrop; });
  REQUIRE(stale.size() >= 1);
  CHECK(stale[0].tag() == 1);      // the event's tag
  CHECK(stale[0].pdFdseq() == 2);  // the pd's fdseq after free
  CHECK(eventsOf<Kind::netpollReady>(t, [&](auto e) { return e.pd() == pdB && e.fd() == fdB; }).empty());
  CHECK(lintReport(t).empty());
  (void)fdA;
}

TEST_CASE("a deadline timer armed with an old seq is ignored", "[netpoll][deadline][engine]") {
  auto t = runTraced([&] {
    auto sp_a = socketPair();
    int a = sp_a.first, b = sp_a.second;
    poll::FD f(a);
    REQUIRE(!f.init());
    netpoll::PollDesc* pd = f.pd();
    f.setDeadline(Mode::r, int64_t{10'000'000'000});
    uintptr_t oldSeq = pd->rseq;
    f.setDeadline(Mode::r, int64_t{20'000'000'000});  // changes a running timer: rseq++
    CHECK(pd->rseq == oldSeq + 1);
    np().deadlineImpl(pd, oldSeq, true, false);
    CHECK(pd->rd > 0);  // stale: nothing happened
    np().deadlineImpl(pd, pd->rseq, true, false);
    CHECK(pd->rd == -1);
    CHECK((pd->atomicInfo.load() & trace::kPollExpiredReadDeadline) != 0);
    f.setDeadline(Mode::r, std::nullopt);
    f.close();
    ::close(b);
  });
  auto fires = eventsOf<Kind::deadlineFire>(t);
  REQUIRE(fires.size() == 2);
  CHECK(fires[0].stale());  // stale
  CHECK(!fires[1].stale());
}

TEST_CASE("netpollBreak is deduplicated until a blocking poll drains it", "[netpoll][break][engine]") {
  auto t = runTraced([&] {
    np().genericInit();  // the poller starts lazily; no fd or timer here
    np().breakPoll(trace::BreakCaller::wakeNetPoller);
    np().breakPoll(trace::BreakCaller::wakeNetPoller);
    np().poll(0, trace::PollSite::findRunnableNb);  // sees the level-triggered eventfd, leaves it
    np().breakPoll(trace::BreakCaller::wakeNetPoller);
    np().poll(1'000'000, trace::PollSite::findRunnableBlock);  // blocking: drains, clears WakeSig
    np().breakPoll(trace::BreakCaller::wakeNetPoller);
    np().poll(1'000'000, trace::PollSite::findRunnableBlock);
  });
  std::vector<int64_t> deduped;
  for (const auto& e : eventsOf<Kind::netpollBreak>(t)) deduped.push_back(e.deduped());
  // Exactly these four: the runtime's exit records no break of its own.
  CHECK(deduped == std::vector<int64_t>{0, 1, 1, 0});
  auto consumes = eventsOf<Kind::breakConsume>(t);
  REQUIRE(consumes.size() == 3);
  CHECK(!consumes[0].blocking());  // non-blocking
  CHECK(!consumes[0].drained());   // not drained
  CHECK(consumes[1].drained());
  CHECK(consumes[2].drained());
}

TEST_CASE("pollcache hands out type-stable 512-byte pollDescs, 8 per block", "[netpoll][pollcache][engine]") {
  auto t = runTraced([&] {
    std::vector<std::unique_ptr<poll::FD>> fds;
    std::vector<int> peers;
    for (int i = 0; i < 9; ++i) {
      auto sp_a = socketPair();
      int a = sp_a.first, b = sp_a.second;
      peers.push_back(b);
      fds.push_back(std::make_unique<poll::FD>(a));
      REQUIRE(!fds.back()->init());
      CHECK(reinterpret_cast<uintptr_t>(fds.back()->pd()) % 512 == 0);
    }
    CHECK(fds[8]->pd()->block == 1);
    CHECK(fds[7]->pd()->block == 0);
    for (auto& f : fds) f->close();
    for (int p : peers) ::close(p);
  });
  auto allocs = eventsOf<Kind::pollcacheAlloc>(t);
  REQUIRE(allocs.size() == 9);
  CHECK(allocs[0].fresh());  // fresh block
  CHECK(!allocs[1].fresh());
  CHECK(allocs[8].fresh());
}

TEST_CASE("tagged pointers carry the pollDesc and its fdseq", "[netpoll][engine]") {
  alignas(512) static netpoll::PollDesc pd;
  for (uintptr_t tag : {uintptr_t{0}, uintptr_t{1}, uintptr_t{12345}, netpoll::kTagMask}) {
    uint64_t tp = netpoll::taggedPointerPack(&pd, tag);
    CHECK(netpoll::taggedPointerPointer(tp) == &pd);
    CHECK(netpoll::taggedPointerTag(tp) == tag);
  }
  CHECK(netpoll::kTagBits == 25);
}
