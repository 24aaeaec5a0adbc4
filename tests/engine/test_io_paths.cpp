// Integration tests: real loopback sockets through net/poll/netpoll/epoll, each
// asserting the transitions Go's runtime makes on that path (reference section 10).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "net/net.hpp"
#include "netpoll/netpoll.hpp"
#include "support/engine_harness.hpp"

using namespace pollscope;
using namespace pstest;

namespace {
constexpr int64_t kMs = 1'000'000;

struct Pair {
  std::unique_ptr<net::Listener> ln;
  std::unique_ptr<net::Conn> server;
  std::unique_ptr<net::Conn> client;
};

// Listen + dial + accept on `network`/`addr`, from inside a goroutine.
Pair connectPair(const std::string& network = "tcp", const std::string& addr = "127.0.0.1:0") {
  Pair p;
  std::string detail;
  REQUIRE(!net::listen({network, addr}, &p.ln, &detail));
  REQUIRE(!net::dial(p.ln->addr(), &p.client, &detail));
  REQUIRE(!p.ln->accept(&p.server));
  return p;
}

std::string readAll(net::Conn& c) {
  std::string out;
  char buf[65536];
  for (;;) {
    size_t n = 0;
    auto err = c.read(buf, sizeof buf, &n);
    out.append(buf, n);
    if (err) break;
  }
  return out;
}
}  // namespace

TEST_CASE("read before data: pdNil -> pdWait -> G -> pdReady -> pdNil", "[io][engine]") {
  int serverFd = -1;
  std::string got;
  auto t = runTraced([&] {
    Pair p = connectPair();
    serverFd = p.server->fd();
    rt::Sema done;
    rt::go(
        [&] {
          char buf[64];
          size_t n = 0;
          REQUIRE(!p.server->read(buf, sizeof buf, &n));
          got.assign(buf, n);
          done.release();
        },
        "reader");
    rt::sleep(5 * kMs);  // the reader parks first
    size_t w;
    REQUIRE(!p.client->write("ping", 4, &w));
    done.acquire();
    p.client->close();
    p.server->close();
    p.ln->close();
  });
  CHECK(got == "ping");
  auto path = semPath(t, pdOfFd(t, serverFd), 'r');
  INFO(join(path));
  CHECK(subsequence(path, {"pdNil->pdNil:pollReset", "pdNil->pdWait:block.prepare", "pdWait->G:blockcommit",
                           "G->pdReady:unblock.io", "pdReady->pdNil:block.swap"}));
  // netpollWaiters went up at the commit and down after the wakeup.
  auto w = eventsOf<Kind::waiters>(t);
  REQUIRE(w.size() >= 2);
  CHECK(w.front().delta() == 1);
  CHECK(lintReport(t).empty());
}

TEST_CASE("accept waits on the listener's rg and registers the new fd", "[io][engine]") {
  int lnFd = -1, acceptedFd = -1;
  auto t = runTraced([&] {
    std::unique_ptr<net::Listener> ln;
    REQUIRE(!net::listen({"tcp", "127.0.0.1:0"}, &ln));
    lnFd = ln->fd();
    std::unique_ptr<net::Conn> server, client;
    rt::Sema done;
    rt::go([&] {
      REQUIRE(!ln->accept(&server));
      acceptedFd = server->fd();
      done.release();
    });
    rt::sleep(5 * kMs);
    REQUIRE(!net::dial(ln->addr(), &client));
    done.acquire();
    client->close();
    server->close();
    ln->close();
  });
  auto path = semPath(t, pdOfFd(t, lnFd), 'r');
  CHECK(subsequence(path, {"pdNil->pdWait:block.prepare", "pdWait->G:blockcommit", "G->pdReady:unblock.io"}));
  CHECK(!eventsOf<Kind::pdOpen>(t, [&](auto e) { return e.fd() == acceptedFd; }).empty());
  CHECK(
      !eventsOf<Kind::pollCtl>(t, [&](auto e) { return e.fd() == acceptedFd && e.op() == trace::CtlOp::add; }).empty());
  CHECK(lintReport(t).empty());
}

TEST_CASE("close while parked wakes the reader with ErrNetClosing", "[io][close][engine]") {
  poll::Error readErr;
  int fd = -1;
  auto t = runTraced([&] {
    Pair p = connectPair();
    fd = p.server->fd();
    rt::Sema done;
    rt::go(
        [&] {
          char buf[8];
          size_t n;
          readErr = p.server->read(buf, sizeof buf, &n);
          done.release();
        },
        "reader");
    rt::sleep(5 * kMs);
    REQUIRE(!p.server->close());
    done.acquire();
    p.client->close();
    p.ln->close();
  });
  CHECK(readErr.kind == trace::NetErr::closing);
  CHECK(readErr.message() == "use of closed network connection");
  int64_t pd = pdOfFd(t, fd);
  CHECK(subsequence(semPath(t, pd, 'r'), {"pdWait->G:blockcommit", "G->pdNil:unblock.close"}));
  CHECK(!eventsOf<Kind::checkErr>(t, [&](auto e) {
           return e.pd() == pd && e.code() == trace::PollErr::closing;
         }).empty());
  // destroy: EPOLL_CTL_DEL, then pollcache.free bumps fdseq, then close(2).
  CHECK(!eventsOf<Kind::pollCtl>(t, [&](auto e) { return e.fd() == fd && e.op() == trace::CtlOp::del; }).empty());
  CHECK(!eventsOf<Kind::pdFree>(t, [&](auto e) { return e.pd() == pd; }).empty());
  CHECK(lintReport(t).empty());
}

TEST_CASE("a read deadline times out with rd=-1, and it sticks", "[io][deadline][engine]") {
  poll::Error first, second;
  int fd = -1;
  size_t readsAfter = 0;
  auto t = runTraced([&] {
    Pair p = connectPair();
    fd = p.server->fd();
    p.server->setReadDeadline(20 * kMs);
    char buf[8];
    size_t n;
    first = p.server->read(buf, sizeof buf, &n);
    second = p.server->read(buf, sizeof buf, &n);  // fails in prepareRead, no syscall
    p.client->close();
    p.server->close();
    p.ln->close();
  });
  CHECK(first.kind == trace::NetErr::timeout);
  CHECK(first.message() == "i/o timeout");
  CHECK(second.kind == trace::NetErr::timeout);
  int64_t pd = pdOfFd(t, fd);
  CHECK(subsequence(semPath(t, pd, 'r'),
                    {"pdWait->G:blockcommit", "G->pdNil:unblock.timeout", "pdNil->pdNil:block.swap"}));
  auto fires = eventsOf<Kind::deadlineFire>(t, [&](auto e) { return e.pd() == pd; });
  REQUIRE(fires.size() == 1);
  CHECK(!fires[0].stale());
  // Only one read(2) happened: the one that returned EAGAIN.
  readsAfter = eventsOf<Kind::sys>(t, [&](auto e) { return e.op() == trace::SysOp::read && e.fd() == fd; }).size();
  CHECK(readsAfter == 1);
  CHECK(lintReport(t).empty());
}

TEST_CASE("a deadline set in the past wakes a parked reader at once", "[io][deadline][engine]") {
  poll::Error err;
  int fd = -1;
  auto t = runTraced([&] {
    Pair p = connectPair();
    fd = p.server->fd();
    rt::Sema done;
    rt::go([&] {
      char buf[8];
      size_t n;
      err = p.server->read(buf, sizeof buf, &n);
      done.release();
    });
    rt::sleep(5 * kMs);
    p.server->setReadDeadline(-1);
    done.acquire();
    p.client->close();
    p.server->close();
    p.ln->close();
  });
  CHECK(err.kind == trace::NetErr::timeout);
  int64_t pd = pdOfFd(t, fd);
  CHECK(subsequence(semPath(t, pd, 'r'), {"pdWait->G:blockcommit", "G->pdNil:unblock.timeout"}));
  CHECK(eventsOf<Kind::deadlineFire>(t).empty());  // synchronous, no timer
  CHECK(lintReport(t).empty());
}

TEST_CASE("a deadline moved forward after firing makes pollWait park again", "[io][deadline][engine]") {
  poll::Error err;
  std::string got;
  int fd = -1;
  auto t = runTraced([&] {
    Pair p = connectPair();
    fd = p.server->fd();
    auto* np = rt::currentEngine()->netpoll.get();
    netpoll::PollDesc* pd = p.server->pollFD().pd();
    p.server->setReadDeadline(10 * kMs);
    // The timer fires on g0; before the woken reader runs, the deadline moves
    // into the future, so netpollcheckerr says "no error" and pollWait blocks again.
    bool once = false;
    np->hooks.beforeBlock = [&](netpoll::PollDesc* hpd, trace::Mode) {
      if (hpd != pd || once) return;
      once = true;
      rt::go([&] {
        rt::sleep(30 * kMs);  // after the first deadline has fired
        p.server->setReadDeadline(1000 * kMs);
        rt::sleep(10 * kMs);
        size_t w;
        p.client->write("late", 4, &w);
      });
    };
    char buf[8];
    size_t n = 0;
    err = p.server->read(buf, sizeof buf, &n);
    got.assign(buf, n);
    np->hooks.beforeBlock = nullptr;
    p.client->close();
    p.server->close();
    p.ln->close();
  });
  // The reader was readied by the timeout, but by the time it ran the deadline had moved:
  // depending on timing it either parked again (no error) or saw the timeout.
  int64_t pd = pdOfFd(t, fd);
  auto path = semPath(t, pd, 'r');
  INFO(join(path));
  CHECK(subsequence(path, {"G->pdNil:unblock.timeout"}));
  if (!err) {
    CHECK(got == "late");
    CHECK(subsequence(path, {"G->pdNil:unblock.timeout", "pdNil->pdNil:block.swap", "pdNil->pdWait:block.prepare",
                             "pdWait->G:blockcommit", "G->pdReady:unblock.io"}));
  }
  CHECK(lintReport(t).empty());
}

TEST_CASE("peer hangup: EPOLLRDHUP wakes the reader and Read returns EOF", "[io][engine]") {
  poll::Error err;
  int fd = -1;
  auto t = runTraced([&] {
    Pair p = connectPair();
    fd = p.server->fd();
    rt::Sema done;
    rt::go([&] {
      char buf[8];
      size_t n;
      err = p.server->read(buf, sizeof buf, &n);
      done.release();
    });
    rt::sleep(5 * kMs);
    p.client->closeWrite();
    done.acquire();
    p.client->close();
    p.server->close();
    p.ln->close();
  });
  CHECK(err.kind == trace::NetErr::eof);
  auto ev = eventsOf<Kind::pollEvent>(t, [&](auto e) { return e.fd() == fd && (e.mask() & 0x2000); });
  REQUIRE(!ev.empty());
  CHECK((ev[0].mode() == trace::Mode::r || ev[0].mode() == trace::Mode::rw));
  CHECK(lintReport(t).empty());
}

TEST_CASE("reset by peer: SO_LINGER 0 close gives ECONNRESET", "[io][engine]") {
  poll::Error err;
  auto t = runTraced([&] {
    Pair p = connectPair();
    rt::Sema done;
    rt::go([&] {
      char buf[8];
      size_t n;
      err = p.server->read(buf, sizeof buf, &n);
      done.release();
    });
    rt::sleep(5 * kMs);
    REQUIRE(!p.client->setLingerZero());
    p.client->close();
    done.acquire();
    p.server->close();
    p.ln->close();
  });
  CHECK(err.kindName() == "reset");
  // HUP/ERR wake both directions.
  CHECK(!eventsOf<Kind::pollEvent>(t, [](auto e) { return (e.mask() & 0x18) && e.mode() == trace::Mode::rw; }).empty());
  CHECK(lintReport(t).empty());
}

TEST_CASE("connect in progress waits for EPOLLOUT and checks SO_ERROR and getpeername", "[io][connect][engine]") {
  int clientFd = -1;
  auto t = runTraced([&] {
    Pair p = connectPair();
    clientFd = p.client->fd();
    p.client->close();
    p.server->close();
    p.ln->close();
  });
  auto connects = eventsOf<Kind::sys>(t, [&](auto e) { return e.op() == trace::SysOp::connect && e.fd() == clientFd; });
  REQUIRE(connects.size() == 1);
  if (connects[0].err() == EINPROGRESS) {
    auto path = semPath(t, pdOfFd(t, clientFd), 'w');
    CHECK(subsequence(path, {"pdNil->pdWait:block.prepare"}));
    CHECK(!eventsOf<Kind::sys>(t, [&](auto e) {
             return e.op() == trace::SysOp::getsockopt && e.fd() == clientFd && e.ret() == 0;
           }).empty());
    CHECK(!eventsOf<Kind::sys>(t, [&](auto e) {
             return e.op() == trace::SysOp::getpeername && e.fd() == clientFd;
           }).empty());
  }
  CHECK(lintReport(t).empty());
}

TEST_CASE("connection refused arrives through SO_ERROR and eventErr stays clear", "[io][connect][engine]") {
  poll::Error err;
  auto t = runTraced([&] {
    std::unique_ptr<net::Listener> ln;
    REQUIRE(!net::listen({"tcp", "127.0.0.1:0"}, &ln));
    net::Address dead = ln->addr();
    ln->close();  // nobody listens there any more
    std::unique_ptr<net::Conn> c;
    err = net::dial(dead, &c);
  });
  CHECK(err.kindName() == "refused");
  // The usual refused mask carries HUP/ERR with other bits, so setEventErr(false).
  for (const auto& e : eventsOf<Kind::setEventErr>(t)) CHECK(!e.value());
  CHECK(lintReport(t).empty());
}

TEST_CASE("write backpressure: partial write, EAGAIN, park on wg, EPOLLOUT continues", "[io][write][engine]") {
  size_t received = 0, wrote = 0;
  int fd = -1;
  const size_t total = 2 << 20;
  auto t = runTraced([&] {
    Pair p = connectPair();
    fd = p.client->fd();
    REQUIRE(!p.client->setBuffers(16384, 0));
    rt::Sema done;
    rt::go(
        [&] {
          std::string big(total, 'x');
          REQUIRE(!p.client->write(big.data(), big.size(), &wrote));
          p.client->closeWrite();
          done.release();
        },
        "writer");
    rt::sleep(10 * kMs);  // let the writer fill the socket buffers and park
    received = readAll(*p.server).size();
    done.acquire();
    p.client->close();
    p.server->close();
    p.ln->close();
  });
  CHECK(wrote == total);
  CHECK(received == total);
  auto writes = eventsOf<Kind::sys>(t, [&](auto e) { return e.op() == trace::SysOp::write && e.fd() == fd; });
  bool partial = false, eagain = false;
  for (const auto& w : writes) {
    if (w.ret() > 0 && w.ret() < w.arg()) partial = true;
    if (w.err() == EAGAIN) eagain = true;
  }
  CHECK(partial);
  CHECK(eagain);
  CHECK(subsequence(semPath(t, pdOfFd(t, fd), 'w'),
                    {"pdNil->pdWait:block.prepare", "pdWait->G:blockcommit", "G->pdReady:unblock.io"}));
  CHECK(lintReport(t).empty());
}

TEST_CASE("SetDeadline with rd == wd uses one combined timer for both sides", "[io][deadline][engine]") {
  poll::Error rerr, werr;
  int fd = -1;
  auto t = runTraced([&] {
    Pair p = connectPair();
    fd = p.client->fd();
    REQUIRE(!p.client->setBuffers(16384, 0));
    p.client->setDeadline(30 * kMs);
    rt::Sema done;
    rt::go([&] {
      char buf[8];
      size_t n;
      rerr = p.client->read(buf, sizeof buf, &n);
      done.release();
    });
    rt::go([&] {
      std::string big(8 << 20, 'x');
      size_t n;
      werr = p.client->write(big.data(), big.size(), &n);
      done.release();
    });
    done.acquire();
    done.acquire();
    p.client->close();
    p.server->close();
    p.ln->close();
  });
  CHECK(rerr.kind == trace::NetErr::timeout);
  CHECK(werr.kind == trace::NetErr::timeout);
  int64_t pd = pdOfFd(t, fd);
  auto sets = eventsOf<Kind::deadlineSet>(t, [&](auto e) { return e.pd() == pd; });
  REQUIRE(!sets.empty());
  CHECK(sets[0].combo());  // combo
  auto fires = eventsOf<Kind::deadlineFire>(t, [&](auto e) { return e.pd() == pd; });
  REQUIRE(fires.size() == 1);
  CHECK(fires[0].r());
  CHECK(fires[0].w());
  CHECK(lintReport(t).empty());
}

TEST_CASE("IPv6 loopback and Unix sockets carry data through the same poller", "[io][engine]") {
  std::string got6, gotUnix;
  std::string path = "/tmp/pollscope-test-" + std::to_string(::getpid()) + ".sock";
  ::unlink(path.c_str());
  auto t = runTraced([&] {
    for (auto [network, addr, out] :
         {std::tuple{"tcp6", "[::1]:0", &got6}, std::tuple{"unix", path.c_str(), &gotUnix}}) {
      std::unique_ptr<net::Listener> ln;
      std::string detail;
      if (net::listen({network, addr}, &ln, &detail)) {
        WARN("skipping " << network << ": " << detail);
        continue;
      }
      std::unique_ptr<net::Conn> c, s;
      REQUIRE(!net::dial(ln->addr(), &c));
      REQUIRE(!ln->accept(&s));
      size_t n;
      REQUIRE(!c->write("hi", 2, &n));
      char buf[4];
      REQUIRE(!s->read(buf, sizeof buf, &n));
      out->assign(buf, n);
      c->close();
      s->close();
      ln->close();
    }
  });
  ::unlink(path.c_str());
  CHECK(gotUnix == "hi");
  if (!got6.empty()) CHECK(got6 == "hi");
  CHECK(lintReport(t).empty());
}

TEST_CASE("a peer that vanished gives EPIPE, never SIGPIPE", "[io][engine]") {
  poll::Error err;
  runTraced([&] {
    Pair p = connectPair();
    p.server->close();
    rt::sleep(5 * kMs);
    std::string big(1 << 20, 'x');
    size_t n;
    for (int i = 0; i < 20 && !err; ++i) err = p.client->write(big.data(), big.size(), &n);
    p.client->close();
    p.ln->close();
  });
  CHECK((err.kindName() == "broken_pipe" || err.kindName() == "reset"));
}
