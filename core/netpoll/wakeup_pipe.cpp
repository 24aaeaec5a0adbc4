#include "netpoll/wakeup_pipe.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "netpoll/backend.hpp"
#include "netpoll/syscalls.hpp"

namespace pollscope::netpoll {
using trace::Kind;
using trace::SysOp;

void WakeupPipe::open() {
  int p[2] = {-1, -1};
  auto r = sys::pipe(p);
  PS_EMIT(e_, Kind::sys, "runtime.nonblockingPipe", SysOp::pipe, -1, r.ret, r.err, 0);
  if (r.ret < 0) throwRuntime(e_, trace::ThrowCode::pipeFailed);
  for (int fd : p) {
    auto c = sys::closeOnExec(fd);
    PS_EMIT(e_, Kind::sys, "runtime.nonblockingPipe", SysOp::fcntl, fd, c.ret, c.err, F_SETFD);
    auto n = sys::setNonblock(fd);
    PS_EMIT(e_, Kind::sys, "runtime.nonblockingPipe", SysOp::fcntl, fd, n.ret, n.err, F_SETFL);
    if (c.ret < 0 || n.ret < 0) throwRuntime(e_, trace::ThrowCode::pipeFailed);
  }
  readFd_ = p[0];
  writeFd_ = p[1];
}

void WakeupPipe::trigger() {
  for (;;) {
    char b = 0;
    auto r = sys::pipeWrite(writeFd_, &b, 1);
    PS_EMIT(e_, Kind::sys, "runtime.wakeNetpoll", SysOp::pipe_write, writeFd_, r.ret, r.err, 1);
    if (r.ret == 1 || r.err == EAGAIN) return;
    if (r.err == EINTR) continue;
    throwRuntime(e_, trace::ThrowCode::breakWriteFailed);
  }
}

void WakeupPipe::drain() {
  char buf[16];
  auto r = sys::pipeRead(readFd_, buf, sizeof buf);
  PS_EMIT(e_, Kind::sys, "runtime.drainWakeupEvent", SysOp::pipe_read, readFd_, r.ret, r.err, sizeof buf);
}

void WakeupPipe::close() {
  if (readFd_ >= 0) ::close(readFd_);
  if (writeFd_ >= 0) ::close(writeFd_);
  readFd_ = writeFd_ = -1;
}

}  // namespace pollscope::netpoll
