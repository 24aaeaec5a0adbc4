// The platform layer (core/platform/) and Go's own syscalls: which calls this build
// makes for the jobs that differ per OS, and the socket options and address reads
// Go's net package makes on every socket. The normal Linux build takes Linux's
// atomic calls (accept4, SOCK_NONBLOCK|SOCK_CLOEXEC, eventfd); the portable build
// (POLLSCOPE_PORTABLE, `make test-portable`) takes the macOS/BSD fallbacks, and
// these tests check from the recorded trace, and from the kernel (fcntl,
// getsockopt), that it really does.
//
// Sections: 1. helpers  2. socket creation  3. wakeup  4. Unix names  5. Go's
// syscalls (socket options, getsockname, epoll_pwait)  6. names and tagged pointers
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <catch2/catch.hpp>
#include <set>

#include "net/net.hpp"
#include "netpoll/backend.hpp"  // white-box: a blocking poll on demand
#include "platform/platform.hpp"
#include "support/engine_harness.hpp"
#include "trace/kqueue_names.hpp"

using namespace pollscope;
using namespace pstest;
using trace::SysOp;
using trace::View;

// ---- 1. helpers --------------------------------------------------------------------
namespace {
std::multiset<SysOp> sysOps(const TraceModel& t) {
  std::multiset<SysOp> ops;
  for (const auto& v : eventsOf<Kind::sys>(t)) ops.insert(v.op());
  return ops;
}

// Successful sys events of `op` on `fd` (with `arg`, when given).
size_t sysOn(const TraceModel& t, SysOp op, int64_t fd, std::optional<int64_t> arg = {}) {
  return eventsOf<Kind::sys>(t,
                             [&](View<Kind::sys> v) {
                               return v.op() == op && v.fd() == fd && (!arg || v.arg() == *arg) && v.ret() >= 0;
                             })
      .size();
}

int sockoptInt(int fd, int level, int opt) {
  int v = -1;
  socklen_t len = sizeof v;
  REQUIRE(::getsockopt(fd, level, opt, &v, &len) == 0);
  return v;
}

// Index in t.events of the first event matching `pred`, or -1.
template <class Pred>
int64_t firstIndex(const TraceModel& t, Pred pred) {
  for (size_t i = 0; i < t.events.size(); ++i)
    if (pred(t.events[i])) return static_cast<int64_t>(i);
  return -1;
}
int64_t firstSys(const TraceModel& t, SysOp op, int64_t fd) {
  return firstIndex(t, [&](const Event& e) {
    auto v = trace::as<Kind::sys>(e);
    return v && v->op() == op && v->fd() == fd;
  });
}
}  // namespace

// ---- 2. socket creation ------------------------------------------------------------
TEST_CASE("sockets are created and accepted non-blocking and close-on-exec the way this OS can", "[platform][engine]") {
  int listenFd = -1, clientFd = -1, serverFd = -1;
  auto t = runTraced([&] {
    std::unique_ptr<net::Listener> ln;
    std::unique_ptr<net::Conn> client, server;
    std::string detail;
    REQUIRE(!net::listen({"tcp", "127.0.0.1:0"}, &ln, &detail));
    REQUIRE(!net::dial(ln->addr(), &client, &detail));
    REQUIRE(!ln->accept(&server));
    listenFd = ln->fd();
    clientFd = client->fd();
    serverFd = server->fd();
    // Real non-blocking, close-on-exec fds, whichever way they got there.
    for (int fd : {listenFd, clientFd, serverFd}) {
      CHECK((::fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
      CHECK((::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
    }
    client->close();
    server->close();
    ln->close();
  });
  auto ops = sysOps(t);
  if constexpr (platform::kPortable) {
    CHECK(ops.count(SysOp::accept) == 0);
    CHECK(ops.count(SysOp::accept_plain) >= 1);
    for (int fd : {listenFd, clientFd, serverFd}) {
      INFO("fd " << fd);
      CHECK(sysOn(t, SysOp::fcntl, fd, F_SETFD) == 1);
      CHECK(sysOn(t, SysOp::fcntl, fd, F_SETFL) == 1);
    }
  } else {
    CHECK(ops.count(SysOp::accept) >= 1);
    CHECK(ops.count(SysOp::accept_plain) == 0);
    CHECK(ops.count(SysOp::fcntl) == 0);
  }
  CHECK(lintReport(t).empty());
}

// ---- 3. wakeup ---------------------------------------------------------------------
TEST_CASE("netpollBreak wakes the poller through this OS's wakeup, every syscall recorded", "[platform][engine]") {
  auto t = runTraced([&] {
    std::unique_ptr<net::Listener> ln;  // the first pollOpen initialises netpoll
    std::string detail;
    REQUIRE(!net::listen({"tcp", "127.0.0.1:0"}, &ln, &detail));
    rt::currentEngine()->netpoll->breakPoll(trace::BreakCaller::wakeNetPoller);
    // A blocking poll (delay != 0) consumes the wakeup and drains it.
    rt::currentEngine()->netpoll->poll(1'000'000, trace::PollSite::findRunnableBlock);
    ln->close();
  });
  auto ops = sysOps(t);
  if constexpr (platform::kPortable) {
    CHECK(ops.count(SysOp::pipe) == 1);
    CHECK(ops.count(SysOp::pipe_write) >= 1);
    CHECK(ops.count(SysOp::pipe_read) >= 1);
    CHECK(ops.count(SysOp::eventfd_write) == 0);
    CHECK(ops.count(SysOp::eventfd_read) == 0);
  } else {
    CHECK(ops.count(SysOp::pipe) == 0);
    CHECK(ops.count(SysOp::eventfd_write) >= 1);
    CHECK(ops.count(SysOp::eventfd_read) >= 1);
  }
  CHECK(eventsOf<Kind::pollEvent>(t, [](auto v) { return v.action() == trace::PollAction::wakeup; }).size() >= 1);
  // Drained by the blocking poll.
  CHECK(eventsOf<Kind::breakConsume>(t, [](auto v) { return v.blocking() && v.drained(); }).size() >= 1);
}

// ---- 4. Unix names -----------------------------------------------------------------
TEST_CASE("unix sockets get a fresh name this OS supports", "[platform][engine]") {
  std::string name;
  auto t = runTraced([&] {
    std::unique_ptr<net::Listener> ln;
    std::string detail;
#if defined(PS_HAVE_ABSTRACT_UNIX)
    std::string want = "@pollscope-platform-test";
#else
    std::string want = std::string(platform::privateTempDir()) + "/platform-test";
    REQUIRE(std::string(platform::privateTempDir()).size() > 0);
#endif
    REQUIRE(!net::listen({"unix", want}, &ln, &detail));
    std::unique_ptr<net::Conn> client, server;
    REQUIRE(!net::dial(ln->addr(), &client, &detail));
    REQUIRE(!ln->accept(&server));
    name = ln->addr().address;
    client->close();
    server->close();
    ln->close();
  });
#if defined(PS_HAVE_ABSTRACT_UNIX)
  CHECK(name.rfind("@", 0) == 0);
#else
  CHECK(name.rfind("/", 0) == 0);
#endif
  CHECK(lintReport(t).empty());
}

// ---- 5. Go's syscalls --------------------------------------------------------------
// What strace shows for a Go program (net.Listen, Dial, Accept; Go 1.23+ on Linux):
// SO_REUSEADDR on every stream listener, TCP_NODELAY and the keep-alive defaults on
// every TCP connection, getsockname after listen, accept and connect, and the
// poller waiting in epoll_pwait. Checked on the kernel's sockets, not only in the
// trace, so a recorded-but-not-made call fails too.
TEST_CASE("TCP connections get Go's default socket options, checked on the kernel's sockets", "[platform][engine]") {
  int listenFd = -1, clientFd = -1, serverFd = -1;
  auto t = runTraced([&] {
    std::unique_ptr<net::Listener> ln;
    std::unique_ptr<net::Conn> client, server;
    std::string detail;
    REQUIRE(!net::listen({"tcp", "127.0.0.1:0"}, &ln, &detail));
    REQUIRE(!net::dial(ln->addr(), &client, &detail));
    REQUIRE(!ln->accept(&server));
    listenFd = ln->fd();
    clientFd = client->fd();
    serverFd = server->fd();
    CHECK(sockoptInt(listenFd, SOL_SOCKET, SO_REUSEADDR) != 0);
    for (int fd : {clientFd, serverFd}) {
      INFO("fd " << fd);
      CHECK(sockoptInt(fd, IPPROTO_TCP, TCP_NODELAY) != 0);
      CHECK(sockoptInt(fd, SOL_SOCKET, SO_KEEPALIVE) != 0);
      CHECK(sockoptInt(fd, IPPROTO_TCP, TCP_KEEPIDLE) == 15);
      CHECK(sockoptInt(fd, IPPROTO_TCP, TCP_KEEPINTVL) == 15);
      CHECK(sockoptInt(fd, IPPROTO_TCP, TCP_KEEPCNT) == 9);
    }
    client->close();
    server->close();
    ln->close();
  });
  // The same calls, recorded where they were made.
  CHECK(sysOn(t, SysOp::setsockopt, listenFd, SO_REUSEADDR) == 1);
  for (int fd : {clientFd, serverFd}) {
    INFO("fd " << fd);
    CHECK(sysOn(t, SysOp::setsockopt, fd, TCP_NODELAY) == 1);
    CHECK(sysOn(t, SysOp::setsockopt, fd, SO_KEEPALIVE) == 1);
    CHECK(sysOn(t, SysOp::setsockopt, fd, TCP_KEEPIDLE) == 1);
    CHECK(sysOn(t, SysOp::setsockopt, fd, TCP_KEEPINTVL) == 1);
    CHECK(sysOn(t, SysOp::setsockopt, fd, TCP_KEEPCNT) == 1);
    CHECK(sysOn(t, SysOp::getsockname, fd) == 1);
  }
  CHECK(sysOn(t, SysOp::getsockname, listenFd) == 1);
  // netFD.dial: getsockname after connect; getpeername because connect returned
  // at once or by EINPROGRESS (then its SO_ERROR check asked first), either way.
  CHECK(firstSys(t, SysOp::getsockname, clientFd) > firstSys(t, SysOp::connect, clientFd));
  CHECK(sysOn(t, SysOp::getpeername, clientFd) >= 1);
  // netFD.accept: getsockname after the new fd's pollOpen (netfd.init).
  int64_t serverOpen = firstIndex(t, [&](const Event& e) {
    auto v = trace::as<Kind::pollCtl>(e);
    return v && v->fd() == serverFd && v->op() == trace::CtlOp::add;
  });
  CHECK(serverOpen >= 0);
  CHECK(firstSys(t, SysOp::getsockname, serverFd) > serverOpen);
  // Setting TCP_NODELAY before the address read would be out of Go's order.
  CHECK(firstSys(t, SysOp::getsockname, serverFd) < firstSys(t, SysOp::setsockopt, serverFd));
  CHECK(lintReport(t).empty());
}

TEST_CASE("Unix stream listeners get SO_REUSEADDR as in Go; Unix connections no TCP options", "[platform][engine]") {
  int listenFd = -1, clientFd = -1, serverFd = -1;
  auto t = runTraced([&] {
    std::unique_ptr<net::Listener> ln;
    std::unique_ptr<net::Conn> client, server;
    std::string detail;
#if defined(PS_HAVE_ABSTRACT_UNIX)
    std::string name = "@pollscope-go-sockopts";
#else
    std::string name = std::string(platform::privateTempDir()) + "/go-sockopts";
#endif
    REQUIRE(!net::listen({"unix", name}, &ln, &detail));
    REQUIRE(!net::dial(ln->addr(), &client, &detail));
    REQUIRE(!ln->accept(&server));
    listenFd = ln->fd();
    clientFd = client->fd();
    serverFd = server->fd();
    CHECK(sockoptInt(listenFd, SOL_SOCKET, SO_REUSEADDR) != 0);
    client->close();
    server->close();
    ln->close();
  });
  CHECK(sysOn(t, SysOp::setsockopt, listenFd, SO_REUSEADDR) == 1);
  for (int fd : {clientFd, serverFd}) {
    INFO("fd " << fd);
    CHECK(sysOn(t, SysOp::setsockopt, fd) == 0);
    CHECK(sysOn(t, SysOp::getsockname, fd) == 1);
  }
}

TEST_CASE("the poller waits as Go's does: epoll_pwait on Linux, kevent elsewhere", "[platform][engine]") {
  auto t = runTraced([&] {
    std::unique_ptr<net::Listener> ln;
    std::string detail;
    REQUIRE(!net::listen({"tcp", "127.0.0.1:0"}, &ln, &detail));
    rt::currentEngine()->netpoll->poll(1'000'000, trace::PollSite::findRunnableBlock);  // 1 ms, nothing ready
    ln->close();
  });
  auto ops = sysOps(t);
  CHECK(ops.count(SysOp::epoll_wait) == 0);
  CHECK(ops.count(SysOp::epoll_pwait) >= 1);
  auto waits = eventsOf<Kind::sys>(t, [](auto v) { return v.op() == SysOp::epoll_pwait; });
  REQUIRE(!waits.empty());
  CHECK(waits.back().arg() == 1);  // the timeout in ms
  CHECK(waits.back().ret() == 0);  // nothing was ready
}

// ---- 6. names and tagged pointers --------------------------------------------------
TEST_CASE("kevents are named in kqueue's words, never epoll's", "[platform][names]") {
  namespace kq = trace::kq;
  auto name = [](int64_t m) { return trace::formatValue(trace::FieldType::EpollMask, m); };
  CHECK(name(kq::kMarker | kq::kFilterRead | kq::kFilterWrite | kq::kAdd | kq::kClear) ==
        "EVFILT_READ|EVFILT_WRITE|EV_ADD|EV_CLEAR");
  CHECK(name(kq::kMarker | kq::kFilterRead | kq::kClear | kq::kEof) == "EVFILT_READ|EV_CLEAR|EV_EOF");
  CHECK(name(kq::kMarker | kq::kFilterUser | kq::kNoteTrigger) == "EVFILT_USER|NOTE_TRIGGER");
  CHECK(name(kq::kMarker | kq::kFilterWrite | kq::kError) == "EVFILT_WRITE|EV_ERROR");
  // Linux masks keep their names.
  CHECK(name(0x001 | 0x004 | 0x2000 | (int64_t{1} << 31)) == "EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET");
}

TEST_CASE("tagged pointers round-trip at the top of the 48-bit address space", "[platform][engine]") {
  auto* pd = reinterpret_cast<netpoll::PollDesc*>(uintptr_t{0x7fff'ffff'fe00});
  uintptr_t tag = netpoll::kTagMask;
  uint64_t tp = netpoll::taggedPointerPack(pd, tag);
  CHECK(netpoll::taggedPointerPointer(tp) == pd);
  CHECK(netpoll::taggedPointerTag(tp) == tag);
  CHECK(netpoll::kTagBits == 25);  // amd64 and arm64, on every OS (tagptr_64bit.go)
}
