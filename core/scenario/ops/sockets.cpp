// Op handlers that make, name and close sockets: listen, accept, dial, close,
// close_write, set_option, close_during_poll.
#include <fmt/format.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>

#include "platform/platform.hpp"
#include "runtime/runtime.hpp"
#include "scenario/ops/ops.hpp"

namespace pollscope::scenario::runner {

bool opListen(StepRunner& r, const Step& s, OpOutcome& out) {
  std::unique_ptr<net::Listener> ln;
  net::Address addr{s.network, s.addr};
  if (s.network == "unix" && s.addr.empty()) {
    // A fresh name per run, so runs never collide: abstract on Linux, a path in a
    // private temporary directory where abstract names do not exist.
    static std::atomic<int> counter{0};
#if defined(PS_HAVE_ABSTRACT_UNIX)
    addr.address = fmt::format("@pollscope-{}-{}", ::getpid(), counter.fetch_add(1));
#else
    addr.address = fmt::format("{}/s{}", platform::privateTempDir(), counter.fetch_add(1));
#endif
  }
  out.err = net::listen(addr, &ln, &out.detail);
  World& w = r.world();
  bool served = w.serving && s.addr == w.listenAddr;
  if (out.err && served) {
    // --listen failed: the run ends now, and the CLI says why in one line.
    std::lock_guard lk(w.mu);
    if (w.listenError.empty()) w.listenError = out.detail.empty() ? out.err.message() : out.detail;
  }
  if (!out.err) {
    if (served && w.onListening) w.onListening(ln->addr().toString());
    w.addListener(s.as, std::move(ln));
  }
  return true;
}

namespace {
// Running out of descriptors (or kernel memory) is temporary for a server: Go's
// http.Server sleeps 5 ms, doubling up to 1 s, and accepts again.
bool temporaryAcceptError(const poll::Error& e) {
  return e.kind == trace::NetErr::errno_ &&
         (e.errnum == EMFILE || e.errnum == ENFILE || e.errnum == ENOBUFS || e.errnum == ENOMEM);
}
}  // namespace

bool opAccept(StepRunner& r, const Step& s, OpOutcome& out) {
  auto ln = r.needListener(s, s.target);
  if (!ln) return false;
  std::unique_ptr<net::Conn> c;
  World& w = r.world();
  for (int64_t backoffMs = 5;; backoffMs = std::min<int64_t>(backoffMs * 2, 1000)) {
    out.err = ln->accept(&c);
    if (!w.serving || !temporaryAcceptError(out.err) || w.stopping.load() || w.aborted.load()) break;
    std::fprintf(stderr, "pollscope: accept: %s; retrying in %lld ms\n", out.err.message().c_str(),
                 static_cast<long long>(backoffMs));
    rt::sleep(backoffMs * 1'000'000);
  }
  if (!out.err) w.addConn(s.as, std::move(c));
  return true;
}

bool opDial(StepRunner& r, const Step& s, OpOutcome& out) {
  net::Address addr{s.network, s.addr};
  if (!s.addr.empty() && s.addr[0] == '@') {
    auto ln = r.needListener(s, s.addr.substr(1));
    if (!ln) return false;
    addr = ln->addr();
  }
  std::unique_ptr<net::Conn> c;
  out.err = net::dial(addr, &c, &out.detail);
  if (!out.err) r.world().addConn(s.as, std::move(c));
  return true;
}

bool opClose(StepRunner& r, const Step& s, OpOutcome& out) {
  if (auto c = r.capturedConn(s.target)) {
    out.err = c->close();
    return true;
  }
  World& w = r.world();
  w.await(s.target);
  if (auto c = w.conn(s.target))
    out.err = c->close();
  else if (auto ln = w.listener(s.target))
    out.err = ln->close();
  else
    return r.notA(s, s.target, "connection or listener");
  return true;
}

bool opCloseWrite(StepRunner& r, const Step& s, OpOutcome& out) {
  auto c = r.needConn(s, s.target);
  if (!c) return false;
  out.err = c->closeWrite();
  return true;
}

bool opSetOption(StepRunner& r, const Step& s, OpOutcome& out) {
  auto c = r.needConn(s, s.target);
  if (!c) return false;
  if (s.sndbuf || s.rcvbuf) out.err = c->setBuffers(s.sndbuf, s.rcvbuf);
  if (!out.err && s.linger0) out.err = c->setLingerZero();
  return true;
}

bool opCloseDuringPoll(StepRunner& r, const Step& s, OpOutcome& out) {
  auto c = r.needConn(s, s.target);
  if (!c) return false;
  World& w = r.world();
  // Armed before the write: with two Ps an M blocked in netpoll may collect the
  // write's edge at once, and that is the poll to hold.
  auto arm = std::make_shared<ReuseArm>();
  arm->pd = c->pollFD().pd();
  {
    std::lock_guard lk(w.hookMu);
    w.reuse = arm;
  }
  std::shared_ptr<net::Conn> writer;
  if (!s.peer.empty()) writer = r.conn(s.peer);
  if (writer) {
    size_t n;
    out.err = writer->write(s.data.data(), s.data.size(), &n);
  }
  // The next netpoll that returns events (sysmon's, or a poller blocked in
  // findRunnable) holds them; this goroutine waits for that without parking.
  rt::Engine& engine = w.np->engine();
  rt::sysmonRequest(engine, true);
  w.holdUntil([&] { return arm->state.load() == ReuseArm::held; });
  rt::sysmonRequest(engine, false);
  if (arm->state.load() != ReuseArm::held) return true;  // the story failed meanwhile
  // Close the socket (its pollDesc is freed, fdseq+1) and open a new pair: the
  // first pollOpen takes the same pollDesc from the cache.
  c->pollFD().close();
  int sv[2];
  if (platform::socketpairNonblockCloexec(AF_UNIX, SOCK_STREAM, sv) == 0) {
    auto a = std::make_shared<net::Conn>(std::make_unique<poll::FD>(sv[0]));
    auto b = std::make_shared<net::Conn>(std::make_unique<poll::FD>(sv[1]));
    if (!a->pollFD().init() && !b->pollFD().init()) {
      w.addConn(s.as, a);
      w.addConn(s.as + ".peer", b);
    }
  }
  arm->state.store(ReuseArm::released);  // the held netpoll now processes its (stale) event
  w.holdUntil([&] { return arm->state.load() == ReuseArm::processed; });
  return true;
}

}  // namespace pollscope::scenario::runner
