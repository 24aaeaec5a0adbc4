// Scheduler tests: goroutines, timers, findRunnable's polls, netpollBreak from
// wakeNetPoller, GOMAXPROCS > 1, and Go's deadlock detection.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cfenv>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

#include "net/net.hpp"
#include "netpoll/backend.hpp"  // white-box: the unit's internals too
#include "runtime/sema.hpp"
#include "support/engine_harness.hpp"

using namespace pollscope;
using namespace pstest;

namespace {
constexpr int64_t kMs = 1'000'000;
}

TEST_CASE("goroutines run and sleep in timer order", "[sched][engine]") {
  std::vector<int> order;
  std::mutex mu;
  auto t = runTraced([&] {
    rt::Sema done;
    for (int i : {3, 1, 2}) {
      rt::go([&, i] {
        rt::sleep(i * 5 * kMs);
        std::lock_guard lk(mu);
        order.push_back(i);
        done.release();
      });
    }
    for (int i = 0; i < 3; ++i) done.acquire();
  });
  // All three woke. In which order they *ran* is not fixed: under load the three
  // sleeps start at different moments, and two timers that expire in the same
  // checkTimers pass are readied together (the later goready takes runnext, as in
  // Go). What the engine must keep is the timer heap's order: the sleeps' timers
  // fire in the order of their `when` (the add's ts + in_ns).
  std::sort(order.begin(), order.end());
  CHECK(order == std::vector<int>{1, 2, 3});
  std::map<int64_t, int64_t> whenOf;  // timer_seq -> when
  for (const auto& a : eventsOf<Kind::timer>(t, [](auto e) { return e.op() == trace::TimerOp::add; }))
    whenOf[a.timerSeq()] = a.event().ts + a.inNs();
  std::vector<int64_t> firedWhens;
  for (const auto& f : eventsOf<Kind::timer>(
           t, [](auto e) { return e.op() == trace::TimerOp::fire && e.owner() == trace::TimerOwner::sleep; }))
    if (whenOf.count(f.timerSeq())) firedWhens.push_back(whenOf[f.timerSeq()]);
  CHECK(firedWhens.size() == 3);
  CHECK(std::is_sorted(firedWhens.begin(), firedWhens.end()));
  // With nothing runnable and timers pending, M0 blocked in netpoll until the next timer.
  auto blocks = eventsOf<Kind::pollEnter>(t, [](auto e) { return e.caller() == trace::PollSite::findRunnableBlock; });
  REQUIRE(!blocks.empty());
  for (const auto& b : blocks) CHECK(b.delayNs() >= 0);  // a bounded delay, not -1
  CHECK(lintReport(t).empty());
}

TEST_CASE("the main goroutine waiting on nothing is reported as a deadlock", "[sched][engine]") {
  rt::Runtime runtime;
  CHECK_THROWS_WITH(runtime.run([] {
    // Static: a goroutine still parked when the run ends is abandoned without
    // unwinding (as when a Go program exits), so nothing it owns may need freeing.
    static rt::Sema never;
    never.acquire();
  }),
                    Catch::Contains("all goroutines are asleep"));
}

TEST_CASE("an exception escaping a goroutine stops the run and is reported", "[sched][engine]") {
  rt::Runtime runtime;
  CHECK_THROWS_WITH(runtime.run([] { throw std::runtime_error("boom in main"); }), "boom in main");
}

TEST_CASE("an earlier timer breaks the M blocked in netpoll (GOMAXPROCS=2)", "[sched][break][engine]") {
  auto t = runTraced(Run{2}, [&] {
    rt::Sema done;
    rt::go(
        [&] {
          // Spin on this P while the other M goes to sleep in netpoll for ~200 ms...
          auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(40);
          while (std::chrono::steady_clock::now() < until) {
          }
          // ...then arm a timer 5 ms out: earlier than the poller's pollUntil.
          rt::sleep(5 * kMs);
          done.release();
        },
        "spinner");
    rt::go(
        [&] {
          rt::sleep(200 * kMs);
          done.release();
        },
        "sleeper");
    done.acquire();
    done.acquire();
  });
  auto breaks = eventsOf<Kind::netpollBreak>(t, [](auto e) { return !e.deduped(); });
  REQUIRE(!breaks.empty());
  // The spinner's break: its 5 ms timer is the last one armed (the sleeper's came first).
  const uint64_t brk = breaks.back().event().seq;
  auto drains = eventsOf<Kind::breakConsume>(t, [&](auto e) { return e.drained() && e.event().seq > brk; });
  REQUIRE(!drains.empty());
  const uint64_t drain = drains[0].event().seq;
  // The poller was asleep for the sleeper's timer (~160 ms out) when the break came:
  // it woke before that poll's delay ran out, and re-polled with a shorter delay.
  // (Not a fixed bound: under load the 5 ms timer may fire before the re-poll.)
  auto asleep = eventsOf<Kind::pollEnter>(
      t, [&](auto e) { return e.caller() == trace::PollSite::findRunnableBlock && e.event().seq < brk; });
  REQUIRE(!asleep.empty());
  const auto& slept = asleep.back();
  CHECK(slept.delayNs() > 100 * kMs);
  CHECK(drains[0].event().ts < slept.event().ts + slept.delayNs());
  auto blocks = eventsOf<Kind::pollEnter>(
      t, [&](auto e) { return e.caller() == trace::PollSite::findRunnableBlock && e.event().seq > drain; });
  REQUIRE(!blocks.empty());
  CHECK(blocks[0].delayNs() < slept.delayNs());
  CHECK(lintReport(t).empty());
}

TEST_CASE("many connections under GOMAXPROCS=2 echo correctly and lint clean", "[sched][engine][mp]") {
  constexpr int kConns = 12, kRounds = 20;
  int ok = 0;
  std::mutex mu;
  auto t = runTraced(Run{2}, [&] {
    std::unique_ptr<net::Listener> ln;
    REQUIRE(!net::listen({"tcp", "127.0.0.1:0"}, &ln));
    rt::Sema done;
    rt::go(
        [&] {
          for (int i = 0; i < kConns; ++i) {
            std::unique_ptr<net::Conn> c;
            REQUIRE(!ln->accept(&c));
            std::shared_ptr<net::Conn> conn(std::move(c));
            rt::go(
                [conn] {
                  char buf[256];
                  for (;;) {
                    size_t n, w;
                    if (conn->read(buf, sizeof buf, &n)) break;
                    if (conn->write(buf, n, &w)) break;
                  }
                  conn->close();
                },
                "echo");
          }
        },
        "acceptor");
    for (int i = 0; i < kConns; ++i) {
      rt::go(
          [&, i] {
            std::unique_ptr<net::Conn> c;
            REQUIRE(!net::dial(ln->addr(), &c));
            bool good = true;
            for (int r = 0; r < kRounds; ++r) {
              std::string msg = "c" + std::to_string(i) + "r" + std::to_string(r);
              size_t n;
              good = good && !c->write(msg.data(), msg.size(), &n);
              std::string got;
              while (good && got.size() < msg.size()) {
                char buf[64];
                good = !c->read(buf, msg.size() - got.size(), &n);
                got.append(buf, n);
              }
              good = good && got == msg;
            }
            c->close();
            std::lock_guard lk(mu);
            ok += good;
            done.release();
          },
          "client");
    }
    for (int i = 0; i < kConns; ++i) done.acquire();
    ln->close();
  });
  CHECK(ok == kConns);
  std::set<int16_t> ms;
  for (const auto& e : t.events)
    if (e.m >= 0) ms.insert(e.m);
  CHECK(ms.size() >= 2);
  CHECK(lintReport(t).empty());
}

TEST_CASE("sysmon polls the network when nobody has for 10 ms", "[sched][sysmon][engine]") {
  std::string got;
  auto t = runTraced(Run{1, false, true}, [&] {
    std::unique_ptr<net::Listener> ln;
    REQUIRE(!net::listen({"tcp", "127.0.0.1:0"}, &ln));
    std::unique_ptr<net::Conn> c, s;
    REQUIRE(!net::dial(ln->addr(), &c));
    REQUIRE(!ln->accept(&s));
    rt::go(
        [&] {
          char buf[8];
          size_t n;
          REQUIRE(!s->read(buf, sizeof buf, &n));
          got.assign(buf, n);
        },
        "reader");
    rt::go(
        [&] {
          size_t n;
          c->write("busy", 4, &n);
          // Keep the only P busy for 60 ms: findRunnable never runs, so only sysmon can poll.
          auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(60);
          while (std::chrono::steady_clock::now() < until) {
          }
        },
        "cpu");
    rt::sleep(100 * kMs);
    c->close();
    s->close();
    ln->close();
  });
  CHECK(got == "busy");
  auto sysmonPolls = eventsOf<Kind::pollEnter>(t, [](auto e) { return e.caller() == trace::PollSite::sysmon; });
  CHECK(!sysmonPolls.empty());
  CHECK(lintReport(t).empty());
}

#if defined(__x86_64__)
// The switch loads MXCSR and the x87 control word only when the resumed goroutine's
// differ from the running one's (ldmxcsr/fldcw are slow): when they do differ, each
// goroutine must still see its own rounding mode after every switch.
TEST_CASE("each goroutine keeps its own floating-point control words across switches", "[sched][engine]") {
  auto rounding = [] {
    return std::pair{std::fegetround(), static_cast<int>(_mm_getcsr() & 0x6000)};  // x87 CW, MXCSR.RC
  };
  const auto nearest = rounding();
  std::pair<int, int> mainSaw{-1, -1}, upwardKept{-1, -1};
  rt::Runtime runtime;
  runtime.run([&] {
    rt::Sema set, done;
    rt::go([&] {
      std::fesetround(FE_UPWARD);  // sets both the x87 control word and MXCSR
      set.release();               // readies main (runnext)
      rt::gosched();               // main runs now, on this M, after this goroutine
      upwardKept = rounding();
      std::fesetround(FE_TONEAREST);
      done.release();
    });
    set.acquire();
    mainSaw = rounding();
    done.acquire();
  });
  CHECK(nearest.first == FE_TONEAREST);
  CHECK(mainSaw == nearest);
  CHECK(upwardKept == std::pair{FE_UPWARD, 0x4000});
  CHECK(upwardKept != nearest);
}
#endif

TEST_CASE("a reused dead G keeps its stack, as Go's gfput does", "[sched][engine]") {
  // The lowest words of a stack are never reached by a goroutine's frames; the first
  // goroutine leaves a mark there. A stack mapped afresh (as before) would be zeros.
  constexpr uint64_t kMark = 0x5ca1ab1e0ddba11ULL;
  const void* firstStack = nullptr;
  const void* secondStack = nullptr;
  uint64_t secondFound = 0;
  rt::Runtime runtime;
  runtime.run([&] {
    rt::Sema done;
    rt::go([&] {
      const rt::Stack& s = *rt::getg()->stack;
      firstStack = s.bottom();
      *static_cast<volatile uint64_t*>(s.bottom()) = kMark;
      done.release();  // readies main; with one P this goroutine exits before main runs
    });
    done.acquire();
    rt::go([&] {
      const rt::Stack& s = *rt::getg()->stack;
      secondStack = s.bottom();
      secondFound = *static_cast<volatile uint64_t*>(s.bottom());
      done.release();
    });
    done.acquire();
  });
  REQUIRE(firstStack != nullptr);
  CHECK(secondStack == firstStack);
  CHECK(secondFound == kMark);
}
