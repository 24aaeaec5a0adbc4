// Op handlers that make, name and close sockets: listen, accept, dial, close,
// close_write, set_option, close_during_poll.
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>

#include "platform/platform.hpp"
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
  if (!out.err) {
    if (r.world().announce) std::fprintf(stderr, "pollscope: listening on %s\n", ln->addr().toString().c_str());
    r.world().addListener(s.as, std::move(ln));
  }
  return true;
}

bool opAccept(StepRunner& r, const Step& s, OpOutcome& out) {
  auto ln = r.needListener(s, s.target);
  if (!ln) return false;
  std::unique_ptr<net::Conn> c;
  out.err = ln->accept(&c);
  if (!out.err) r.world().addConn(s.as, std::move(c));
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
  auto done = std::make_shared<Latch>();
  std::shared_ptr<net::Conn> writer;
  if (!s.peer.empty()) writer = r.conn(s.peer);
  {
    std::lock_guard lk(r.world().hookMu);
    r.world().reuse = World::ReuseArm{c, s.as, done};
  }
  if (writer) {
    size_t n;
    out.err = writer->write(s.data.data(), s.data.size(), &n);
  }
  done->wait();  // the next netpoll that returns events does the close and reuse
  return true;
}

}  // namespace pollscope::scenario::runner
