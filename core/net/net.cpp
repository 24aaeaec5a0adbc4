// Go's net package: socket creation (sock_posix.go), Listen, Accept and the
// non-blocking connect dance (fd_unix.go netFD.connect), with the socket options
// and address reads Go makes on the way (sockopt_*.go, tcpsock.go newTCPConn).
#include "net/net.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

#include "netpoll/syscalls.hpp"
#include "runtime/runtime.hpp"

namespace pollscope::net {
using trace::Kind;
using trace::SysOp;
using trace::UserOp;

namespace {
void emitSys(SysOp op, int fd, const sys::Result& r, int64_t arg) {
  PS_EMIT(rt::currentEngine(), Kind::sys, "syscall.Syscall", op, fd, r.ret, r.err, arg);
}

struct UserCall {
  UserOp op;
  int fd;
  explicit UserCall(UserOp o, int f, int64_t n = 0) : op(o), fd(f) {
    PS_EMIT(rt::currentEngine(), Kind::user, "net.(*conn)", op,  // phase, fd, n, result, err
            trace::Phase::call, fd, n, trace::NetErr::ok, 0);
  }
  Error done(Error e, int64_t n = 0, int newFd = -1) {
    PS_EMIT(rt::currentEngine(), Kind::user, "net.(*conn)", op,     // phase, fd, n, result
            trace::Phase::ret, newFd >= 0 ? newFd : fd, n, e.kind,  // err
            e.errnum);
    return e;
  }
};

struct SockAddr {
  sockaddr_storage ss{};
  socklen_t len = 0;
  int family = AF_INET;
};

bool parseAddress(const Address& a, SockAddr* out, std::string* detail) {
  if (a.network == "unix") {
    auto* un = reinterpret_cast<sockaddr_un*>(&out->ss);
    if (a.address.empty() || a.address.size() >= sizeof un->sun_path) {
      if (detail) *detail = "unix socket path must be 1.." + std::to_string(sizeof un->sun_path - 1) + " bytes";
      return false;
    }
    un->sun_family = AF_UNIX;
    out->family = AF_UNIX;
    if (a.address[0] == '@') {
      // Linux abstract namespace (as Go spells it): no file, gone with the socket.
      un->sun_path[0] = '\0';
      std::memcpy(un->sun_path + 1, a.address.data() + 1, a.address.size() - 1);
      out->len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + a.address.size());
      return true;
    }
    std::memcpy(un->sun_path, a.address.c_str(), a.address.size() + 1);
    out->len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + a.address.size() + 1);
    return true;
  }
  if (a.network != "tcp" && a.network != "tcp4" && a.network != "tcp6") {
    if (detail) *detail = "unknown network \"" + a.network + "\" (use tcp, tcp4, tcp6 or unix)";
    return false;
  }
  auto colon = a.address.rfind(':');
  if (colon == std::string::npos) {
    if (detail) *detail = "address \"" + a.address + "\": missing port";
    return false;
  }
  std::string host = a.address.substr(0, colon);
  std::string portStr = a.address.substr(colon + 1);
  char* end = nullptr;
  long port = std::strtol(portStr.c_str(), &end, 10);
  if (portStr.empty() || *end != '\0' || port < 0 || port > 65535) {
    if (detail) *detail = "address \"" + a.address + "\": invalid port";
    return false;
  }
  if (!host.empty() && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = a.network == "tcp6" ? "::1" : "127.0.0.1";
  if (host == "localhost") host = a.network == "tcp6" ? "::1" : "127.0.0.1";
  auto* in4 = reinterpret_cast<sockaddr_in*>(&out->ss);
  if (inet_pton(AF_INET, host.c_str(), &in4->sin_addr) == 1 && a.network != "tcp6") {
    in4->sin_family = AF_INET;
    in4->sin_port = htons(static_cast<uint16_t>(port));
    out->len = sizeof(sockaddr_in);
    out->family = AF_INET;
    return true;
  }
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&out->ss);
  std::memset(in6, 0, sizeof *in6);
  if (inet_pton(AF_INET6, host.c_str(), &in6->sin6_addr) == 1 && a.network != "tcp4") {
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(static_cast<uint16_t>(port));
    out->len = sizeof(sockaddr_in6);
    out->family = AF_INET6;
    return true;
  }
  if (detail) *detail = "address \"" + a.address + "\": host must be a literal IP address";
  return false;
}

std::string formatAddress(const Address& like, const sockaddr_storage& ss) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET) {
    auto* in4 = reinterpret_cast<const sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &in4->sin_addr, buf, sizeof buf);
    return std::string(buf) + ":" + std::to_string(ntohs(in4->sin_port));
  }
  if (ss.ss_family == AF_INET6) {
    auto* in6 = reinterpret_cast<const sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf);
    return "[" + std::string(buf) + "]:" + std::to_string(ntohs(in6->sin6_port));
  }
  return like.address;
}

void closeRaw(int fd) {
  auto r = sys::close(fd);
  emitSys(SysOp::close, fd, r, 0);
}

// fd.pfd.SetsockoptInt: recorded with the option's number as arg. Go ignores the
// result where it sets defaults (newTCPConn), and so do the callers here.
sys::Result setsockoptInt(int fd, int level, int opt, int value) {
  auto r = sys::setsockopt(fd, level, opt, &value, sizeof value);
  emitSys(SysOp::setsockopt, fd, r, opt);
  return r;
}

// syscall.Getsockname, where netFD.listenStream, netFD.accept and netFD.dial read
// the local address (setAddr).
sys::Result getsockname(int fd, sockaddr_storage* ss) {
  socklen_t len = sizeof *ss;
  auto r = sys::getsockname(fd, reinterpret_cast<sockaddr*>(ss), &len);
  emitSys(SysOp::getsockname, fd, r, 0);
  return r;
}

// newTCPConn (net/tcpsock.go): every TCP connection, dialled or accepted, gets
// TCP_NODELAY, then SetKeepAliveConfig with the defaults (Go 1.23+): SO_KEEPALIVE
// on, idle 15 s, interval 15 s, 9 probes. macOS calls the idle option TCP_KEEPALIVE.
void newTCPConn(int fd) {
  setsockoptInt(fd, IPPROTO_TCP, TCP_NODELAY, 1);
  setsockoptInt(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
#if defined(TCP_KEEPIDLE)
  setsockoptInt(fd, IPPROTO_TCP, TCP_KEEPIDLE, 15);
#elif defined(TCP_KEEPALIVE)
  setsockoptInt(fd, IPPROTO_TCP, TCP_KEEPALIVE, 15);
#endif
#if defined(TCP_KEEPINTVL)
  setsockoptInt(fd, IPPROTO_TCP, TCP_KEEPINTVL, 15);
#endif
#if defined(TCP_KEEPCNT)
  setsockoptInt(fd, IPPROTO_TCP, TCP_KEEPCNT, 9);
#endif
}

// sysSocket: non-blocking and close-on-exec from the start where the OS can
// (Linux's SOCK_NONBLOCK|SOCK_CLOEXEC); otherwise Go's fallback (sock_cloexec.go's
// other half): socket, then CloseOnExec, then SetNonblock, closing on failure.
Error sysSocket(int family, int* fd) {
#if defined(PS_HAVE_ATOMIC_NONBLOCK_CLOEXEC)
  auto r = sys::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
#else
  auto r = sys::socket(family, SOCK_STREAM, 0);
#endif
  emitSys(SysOp::socket, -1, r, family);
  if (r.ret < 0) return Error::fromErrno(r.err);
  *fd = static_cast<int>(r.ret);
  if (Error e = poll::finishNonblockCloexec(*fd)) {
    closeRaw(*fd);
    return e;
  }
  return Error::ok();
}
}  // namespace

// ---- Listener ----------------------------------------------------------------
Error listen(const Address& addr, std::unique_ptr<Listener>* out, std::string* detail) {
  UserCall call(UserOp::listen, -1);
  SockAddr sa;
  if (!parseAddress(addr, &sa, detail)) return call.done(Error::fromErrno(EINVAL));
  int fd;
  if (Error e = sysSocket(sa.family, &fd)) return call.done(e);
  // setDefaultSockopts: an IPv6 socket says whether it takes IPv4 too.
  if (sa.family == AF_INET6) setsockoptInt(fd, IPPROTO_IPV6, IPV6_V6ONLY, addr.network == "tcp6");
  // setDefaultListenerSockopts (netFD.listenStream): every stream listener, Unix
  // ones included; its failure fails the Listen.
  if (auto r = setsockoptInt(fd, SOL_SOCKET, SO_REUSEADDR, 1); r.ret < 0) {
    closeRaw(fd);
    return call.done(Error::fromErrno(r.err));
  }
  auto b = sys::bind(fd, reinterpret_cast<sockaddr*>(&sa.ss), sa.len);
  emitSys(SysOp::bind, fd, b, 0);
  if (b.ret < 0) {
    if (detail) *detail = "bind " + addr.address + ": " + std::strerror(static_cast<int>(b.err));
    closeRaw(fd);
    return call.done(Error::fromErrno(b.err));
  }
  auto l = sys::listen(fd, 4096);
  emitSys(SysOp::listen, fd, l, 4096);
  if (l.ret < 0) {
    closeRaw(fd);
    return call.done(Error::fromErrno(l.err));
  }
  auto pfd = std::make_unique<poll::FD>(fd);
  if (Error e = pfd->init()) {
    closeRaw(fd);
    return call.done(e);
  }
  Address real = addr;
  sockaddr_storage bound{};
  if (getsockname(fd, &bound).ret == 0) real.address = formatAddress(addr, bound);
  *out = std::make_unique<Listener>(std::move(pfd), real);
  return call.done(Error::ok(), 0, fd);
}

int Listener::fd() const {
  return fd_->sysfd();
}

Error Listener::accept(std::unique_ptr<Conn>* out) {
  UserCall call(UserOp::accept, fd_->sysfd());
  int nfd;
  sockaddr_storage sa;
  socklen_t salen;
  if (Error e = fd_->accept(&nfd, &sa, &salen)) return call.done(e);
  auto pfd = std::make_unique<poll::FD>(nfd);
  if (Error e = pfd->init()) {  // netfd.init: pollOpen -> EPOLL_CTL_ADD
    closeRaw(nfd);
    return call.done(e);
  }
  sockaddr_storage local{};
  getsockname(nfd, &local);  // netFD.accept: setAddr(local, remote)
  if (addr_.network != "unix") newTCPConn(nfd);
  *out = std::make_unique<Conn>(std::move(pfd));
  return call.done(Error::ok(), 0, nfd);
}

Error Listener::close() {
  UserCall call(UserOp::close, fd_->sysfd());
  return call.done(fd_->close());
}

// ---- Dial ----------------------------------------------------------------------
Error dial(const Address& addr, std::unique_ptr<Conn>* out, std::string* detail) {
  UserCall call(UserOp::dial, -1);
  SockAddr sa;
  if (!parseAddress(addr, &sa, detail)) return call.done(Error::fromErrno(EINVAL));
  int fd;
  if (Error e = sysSocket(sa.family, &fd)) return call.done(e);
  if (sa.family == AF_INET6) setsockoptInt(fd, IPPROTO_IPV6, IPV6_V6ONLY, addr.network == "tcp6");
  auto pfd = std::make_unique<poll::FD>(fd);
  bool peerKnown = false;  // connect's getpeername succeeded (Go's crsa != nil)
  auto c = sys::connect(fd, reinterpret_cast<sockaddr*>(&sa.ss), sa.len);
  emitSys(SysOp::connect, fd, c, 0);
  if (c.ret == 0 || c.err == EISCONN) {
    if (Error e = pfd->init()) {
      closeRaw(fd);
      return call.done(e);
    }
  } else if (c.err == EINPROGRESS || c.err == EALREADY || c.err == EINTR) {
    if (Error e = pfd->init()) {
      closeRaw(fd);
      return call.done(e);
    }
    for (;;) {
      // Performing multiple connect system calls on a non-blocking socket under
      // Unix variants does not necessarily result in earlier errors being
      // returned; wait for writability and ask SO_ERROR instead.
      if (Error e = pfd->waitWrite()) {
        pfd->close();
        return call.done(e);
      }
      int soerr = 0;
      auto g = sys::getsockoptInt(fd, SOL_SOCKET, SO_ERROR, &soerr);
      emitSys(SysOp::getsockopt, fd, {g.ret < 0 ? g.ret : soerr, g.err}, SO_ERROR);
      if (g.ret < 0) {
        pfd->close();
        return call.done(Error::fromErrno(g.err));
      }
      if (soerr == EINPROGRESS || soerr == EALREADY || soerr == EINTR) continue;
      if (soerr == EISCONN) break;
      if (soerr == 0) {
        // SO_ERROR 0 can be a spurious wakeup (#14548/#19289): make sure we are connected.
        sockaddr_storage peer{};
        socklen_t plen = sizeof peer;
        auto p = sys::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &plen);
        emitSys(SysOp::getpeername, fd, p, 0);
        if (p.ret == 0) {
          peerKnown = true;
          break;
        }
        continue;
      }
      if (detail) *detail = "connect " + addr.address + ": " + std::strerror(soerr);
      pfd->close();
      return call.done(Error::fromErrno(soerr));
    }
  } else {
    if (detail) *detail = "connect " + addr.address + ": " + std::strerror(static_cast<int>(c.err));
    closeRaw(fd);
    return call.done(Error::fromErrno(c.err));
  }
  // netFD.dial: the local address, and the peer's unless connect learned it.
  sockaddr_storage local{};
  getsockname(fd, &local);
  if (!peerKnown) {
    sockaddr_storage peer{};
    socklen_t plen = sizeof peer;
    auto p = sys::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &plen);
    emitSys(SysOp::getpeername, fd, p, 0);
  }
  if (sa.family != AF_UNIX) newTCPConn(fd);
  *out = std::make_unique<Conn>(std::move(pfd));
  return call.done(Error::ok(), 0, fd);
}

// ---- Conn ------------------------------------------------------------------------
int Conn::fd() const {
  return fd_->sysfd() >= 0 ? fd_->sysfd() : sysfd_cache_;
}

Error Conn::read(void* buf, size_t n, size_t* got) {
  UserCall call(UserOp::read, fd_->sysfd(), static_cast<int64_t>(n));
  Error e = fd_->read(buf, n, got);
  return call.done(e, static_cast<int64_t>(*got));
}

Error Conn::write(const void* buf, size_t n, size_t* wrote) {
  UserCall call(UserOp::write, fd_->sysfd(), static_cast<int64_t>(n));
  Error e = fd_->write(buf, n, wrote);
  return call.done(e, static_cast<int64_t>(*wrote));
}

Error Conn::close() {
  sysfd_cache_ = fd_->sysfd();
  UserCall call(UserOp::close, sysfd_cache_);
  return call.done(fd_->close());
}

Error Conn::closeWrite() {
  UserCall call(UserOp::closeWrite, fd_->sysfd());
  return call.done(fd_->shutdown(SHUT_WR));
}

Error Conn::setReadDeadline(std::optional<int64_t> relNs) {
  UserCall call(UserOp::setReadDeadline, fd_->sysfd(), relNs.value_or(0));
  return call.done(fd_->setDeadline(trace::Mode::r, relNs));
}
Error Conn::setWriteDeadline(std::optional<int64_t> relNs) {
  UserCall call(UserOp::setWriteDeadline, fd_->sysfd(), relNs.value_or(0));
  return call.done(fd_->setDeadline(trace::Mode::w, relNs));
}
Error Conn::setDeadline(std::optional<int64_t> relNs) {
  UserCall call(UserOp::setDeadline, fd_->sysfd(), relNs.value_or(0));
  return call.done(fd_->setDeadline(trace::Mode::rw, relNs));
}

Error Conn::setLingerZero() {
  linger l{1, 0};
  auto r = sys::setsockopt(fd_->sysfd(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
  emitSys(SysOp::setsockopt, fd_->sysfd(), r, SO_LINGER);
  return r.ret < 0 ? Error::fromErrno(r.err) : Error::ok();
}

Error Conn::setBuffers(int sndbuf, int rcvbuf) {
  if (sndbuf > 0) {
    auto r = sys::setsockopt(fd_->sysfd(), SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    emitSys(SysOp::setsockopt, fd_->sysfd(), r, SO_SNDBUF);
    if (r.ret < 0) return Error::fromErrno(r.err);
  }
  if (rcvbuf > 0) {
    auto r = sys::setsockopt(fd_->sysfd(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    emitSys(SysOp::setsockopt, fd_->sysfd(), r, SO_RCVBUF);
    if (r.ret < 0) return Error::fromErrno(r.err);
  }
  return Error::ok();
}

}  // namespace pollscope::net
