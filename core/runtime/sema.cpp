#include "runtime/sema.hpp"

#include "runtime/internal.hpp"

namespace pollscope::rt {
namespace {
// Runs on g0 after the G is _Gwaiting (Go's parkunlock): only now may a releaser see it.
bool unlockCommit(G*, void* arg) {
  static_cast<SpinLock*>(arg)->unlock();
  return true;
}
}  // namespace

void Sema::acquire() {
  mu_.lock();
  if (count_ > 0) {
    --count_;
    mu_.unlock();
    return;
  }
  waiters_.push_back(getg());
  gopark(unlockCommit, &mu_, WaitReason::semacquire);
}

void Sema::release() {
  G* gp = nullptr;
  {
    std::lock_guard lk(mu_);
    if (waiters_.empty()) {
      ++count_;
      return;
    }
    gp = waiters_.front();
    waiters_.pop_front();
  }
  goready(gp, trace::ReadyBy::sema);
}

}  // namespace pollscope::rt
