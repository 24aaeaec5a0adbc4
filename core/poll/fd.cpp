// internal/poll fd_unix.go + fd_poll_runtime.go.
#include "poll/fd.hpp"

#include <fcntl.h>

#include <cerrno>

#include "netpoll/syscalls.hpp"

namespace pollscope::poll {
using trace::Kind;
using trace::Mode;
using trace::SysOp;

namespace {
constexpr size_t kMaxRW = 1 << 30;  // Go caps a single read/write at 1 GiB

void emitSys(SysOp op, int fd, const sys::Result& r, int64_t arg) {
  PS_EMIT(rt::currentEngine(), Kind::sys, "syscall.Syscall", op, fd, r.ret, r.err, arg);
}
}  // namespace

Error finishNonblockCloexec([[maybe_unused]] int fd) {
#if !defined(PS_HAVE_ATOMIC_NONBLOCK_CLOEXEC)
  auto c = sys::closeOnExec(fd);
  emitSys(SysOp::fcntl, fd, c, F_SETFD);
  if (c.ret < 0) return Error::fromErrno(c.err);
  auto n = sys::setNonblock(fd);
  emitSys(SysOp::fcntl, fd, n, F_SETFL);
  if (n.ret < 0) return Error::fromErrno(n.err);
#endif
#if defined(PS_HAVE_SO_NOSIGPIPE)
  // macOS has no MSG_NOSIGNAL: a write to a dead peer must give EPIPE, not SIGPIPE.
  int one = 1;
  auto s = sys::setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
  emitSys(SysOp::setsockopt, fd, s, SO_NOSIGPIPE);
  if (s.ret < 0) return Error::fromErrno(s.err);
#endif
  return Error::ok();
}

FD::~FD() = default;

netpoll::Netpoll& FD::np() {
  return rt::netpollOf(*rt::currentEngine());
}

Error FD::init() {
  int err = 0;
  pd_ = np().pollOpen(sysfd_, &err);
  if (!pd_) return Error::fromErrno(err);
  return Error::ok();
}

Error FD::prepare(Mode mode) {
  if (!pd_) return Error::ok();
  return convertErr(np().pollReset(pd_, mode));
}

Error FD::wait(Mode mode) {
  if (!pd_) return Error::fromErrno(EINVAL);
  return convertErr(np().pollWait(pd_, mode));
}

Error FD::waitWrite() {
  return wait(Mode::w);
}

Error FD::readLock() {
  return mu_.rwlock(true) ? Error::ok() : Error{trace::NetErr::closing, 0};
}
void FD::readUnlock() {
  if (mu_.rwunlock(true)) destroy();
}
Error FD::writeLock() {
  return mu_.rwlock(false) ? Error::ok() : Error{trace::NetErr::closing, 0};
}
void FD::writeUnlock() {
  if (mu_.rwunlock(false)) destroy();
}

Error FD::decref() {
  if (mu_.decref()) return destroy();
  return Error::ok();
}

// The last user is gone: unregister from the poller before close(2), then let Close return.
Error FD::destroy() {
  PS_EMIT(rt::currentEngine(), Kind::fdmu, "internal/poll.(*FD).destroy", sysfd_, trace::FdMuOp::destroy, 0, 0, 0, 1, 0,
          0);
  if (pd_) np().pollClose(pd_);
  pd_ = nullptr;
  auto r = sys::close(sysfd_);
  emitSys(SysOp::close, sysfd_, r, 0);
  sysfd_ = -1;
  closed_ = true;
  csema_.release();
  return r.ret < 0 ? Error::fromErrno(r.err) : Error::ok();
}

Error FD::read(void* buf, size_t n, size_t* got) {
  *got = 0;
  if (Error e = readLock()) return e;
  struct Unlock {
    FD* fd;
    ~Unlock() { fd->readUnlock(); }
  } unlock{this};
  if (n == 0) return Error::ok();
  if (Error e = prepare(Mode::r)) return e;
  if (n > kMaxRW) n = kMaxRW;
  for (;;) {
    auto r = sys::read(sysfd_, buf, n);
    emitSys(SysOp::read, sysfd_, r, static_cast<int64_t>(n));
    if (r.ret < 0) {
      if (r.err == EINTR) continue;
      if (r.err == EAGAIN && pd_) {
        if (Error e = wait(Mode::r); !e)
          continue;
        else
          return e;
      }
      return Error::fromErrno(r.err);
    }
    *got = static_cast<size_t>(r.ret);
    if (r.ret == 0) return {trace::NetErr::eof, 0};  // eofError: 0 bytes on a stream
    return Error::ok();
  }
}

Error FD::write(const void* buf, size_t n, size_t* wrote) {
  *wrote = 0;
  if (Error e = writeLock()) return e;
  struct Unlock {
    FD* fd;
    ~Unlock() { fd->writeUnlock(); }
  } unlock{this};
  if (Error e = prepare(Mode::w)) return e;
  size_t nn = 0;
  const char* p = static_cast<const char*>(buf);
  for (;;) {
    size_t max = n;
    if (max - nn > kMaxRW) max = nn + kMaxRW;
    auto r = sys::write(sysfd_, p + nn, max - nn);
    emitSys(SysOp::write, sysfd_, r, static_cast<int64_t>(max - nn));
    if (r.ret > 0) nn += static_cast<size_t>(r.ret);
    *wrote = nn;
    if (nn == n) return r.ret < 0 ? Error::fromErrno(r.err) : Error::ok();
    if (r.ret < 0 && r.err == EINTR) continue;
    if (r.ret < 0 && r.err == EAGAIN && pd_) {
      if (Error e = wait(Mode::w); !e)
        continue;
      else
        return e;
    }
    if (r.ret < 0) return Error::fromErrno(r.err);
    if (r.ret == 0) return {trace::NetErr::unexpectedEof, 0};
  }
}

Error FD::accept(int* out, sockaddr_storage* sa, socklen_t* salen) {
  *out = -1;
  if (Error e = readLock()) return e;
  struct Unlock {
    FD* fd;
    ~Unlock() { fd->readUnlock(); }
  } unlock{this};
  if (Error e = prepare(Mode::r)) return e;
  for (;;) {
    *salen = sizeof *sa;
#if defined(PS_HAVE_ATOMIC_NONBLOCK_CLOEXEC)
    auto r = sys::accept4(sysfd_, reinterpret_cast<sockaddr*>(sa), salen, SOCK_NONBLOCK | SOCK_CLOEXEC);
    emitSys(SysOp::accept, sysfd_, r, 0);
#else
    // Go's accept fallback (internal/poll/sys_cloexec.go): accept, then
    // CloseOnExec and SetNonblock on the new fd.
    auto r = sys::accept(sysfd_, reinterpret_cast<sockaddr*>(sa), salen);
    emitSys(SysOp::accept_plain, sysfd_, r, 0);
#endif
    if (r.ret >= 0) {
      int nfd = static_cast<int>(r.ret);
      if (Error e = finishNonblockCloexec(nfd)) {
        auto c = sys::close(nfd);
        emitSys(SysOp::close, nfd, c, 0);
        return e;
      }
      *out = nfd;
      return Error::ok();
    }
    if (r.err == EINTR || r.err == ECONNABORTED) continue;
    if (r.err == EAGAIN && pd_) {
      if (Error e = wait(Mode::r); !e)
        continue;
      else
        return e;
    }
    return Error::fromErrno(r.err);
  }
}

Error FD::close() {
  if (!mu_.increfAndClose()) return {trace::NetErr::closing, 0};
  // Unblock any I/O. Once it all unblocks and returns, the final decref closes the fd.
  if (pd_) np().pollUnblock(pd_);  // pd.evict()
  Error err = decref();
  // Wait until the descriptor is really closed (the last reader/writer's unlock
  // may be the one that runs destroy).
  csema_.acquire();
  return err;
}

Error FD::shutdown(int how) {
  if (!mu_.incref()) return {trace::NetErr::closing, 0};
  auto r = sys::shutdown(sysfd_, how);
  emitSys(SysOp::shutdown, sysfd_, r, how);
  decref();
  return r.ret < 0 ? Error::fromErrno(r.err) : Error::ok();
}

Error FD::setDeadline(Mode mode, std::optional<int64_t> relNs) {
  int64_t d = 0;
  if (relNs) {
    d = *relNs;
    if (d == 0) d = -1;
  }
  if (!mu_.incref()) return {trace::NetErr::closing, 0};
  if (pd_) np().pollSetDeadline(pd_, d, mode);
  decref();
  return Error::ok();
}

}  // namespace pollscope::poll
