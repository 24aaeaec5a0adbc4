// The timer heap (Go's time.go, simplified to one heap) and time.Sleep.
#include "netpoll/netpoll.hpp"
#include "runtime/internal.hpp"

namespace pollscope::rt {
using trace::Kind;

namespace {
void emitTimer(Engine* e, const Timer& t, trace::TimerOp op, int64_t now) {
  PS_EMIT(e, Kind::timer, "runtime.timer", op, t.owner, t.pd, t.goid, t.when - now, static_cast<int64_t>(t.seq));
}
}  // namespace

void TimerHeap::up(size_t i) {
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (heap_[parent]->when <= heap_[i]->when) break;
    std::swap(heap_[parent], heap_[i]);
    heap_[parent]->heapIndex = static_cast<int>(parent);
    heap_[i]->heapIndex = static_cast<int>(i);
    i = parent;
  }
}

void TimerHeap::down(size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < heap_.size() && heap_[l]->when < heap_[m]->when) m = l;
    if (r < heap_.size() && heap_[r]->when < heap_[m]->when) m = r;
    if (m == i) return;
    std::swap(heap_[m], heap_[i]);
    heap_[m]->heapIndex = static_cast<int>(m);
    heap_[i]->heapIndex = static_cast<int>(i);
    i = m;
  }
}

void TimerHeap::publishFirst() {
  first_.store(heap_.empty() ? 0 : heap_.front()->when, std::memory_order_release);
}

void TimerHeap::removeAt(size_t i) {
  heap_[i]->heapIndex = -1;
  Timer* last = heap_.back();
  heap_.pop_back();
  if (i < heap_.size()) {
    heap_[i] = last;
    last->heapIndex = static_cast<int>(i);
    down(i);
    up(i);
  }
  publishFirst();
}

bool TimerHeap::modify(Timer* t, int64_t when, void (*f)(void*, uintptr_t, int64_t), void* arg, uintptr_t seq) {
  e_.netpoll->genericInit();  // doaddtimer: the poller is what sleeps until the timer
  bool pending;
  bool earliest;
  {
    std::lock_guard lk(mu_);
    int64_t oldFirst = heap_.empty() ? 0 : heap_.front()->when;
    pending = t->heapIndex >= 0;
    if (pending) removeAt(static_cast<size_t>(t->heapIndex));
    t->when = when;
    t->f = f;
    t->arg = arg;
    t->seq = seq;
    heap_.push_back(t);
    t->heapIndex = static_cast<int>(heap_.size() - 1);
    up(heap_.size() - 1);
    publishFirst();
    earliest = oldFirst == 0 || when < oldFirst;
    // Under the heap lock: no M can fire t before its add is recorded.
    emitTimer(&e_, *t, pending ? trace::TimerOp::modify : trace::TimerOp::add, nanotime());
  }
  // Outside the heap lock: the poller may need to wake up for the new earliest timer.
  if (earliest) wakeNetPoller(&e_, when);
  return pending;
}

bool TimerHeap::stop(Timer* t) {
  std::lock_guard lk(mu_);
  if (t->heapIndex < 0) return false;
  removeAt(static_cast<size_t>(t->heapIndex));
  emitTimer(&e_, *t, trace::TimerOp::stop, nanotime());
  return true;
}

int64_t TimerHeap::runDue(int64_t now) {
  for (;;) {
    Timer fired;
    {
      std::lock_guard lk(mu_);
      if (heap_.empty()) return 0;
      Timer* t = heap_.front();
      if (t->when > now) return t->when;
      // Copy the callback under the lock: once unlocked, the owner may re-arm t.
      fired = *t;
      removeAt(0);
      emitTimer(&e_, fired, trace::TimerOp::fire, now);
    }
    fired.f(fired.arg, fired.seq, now - fired.when);
  }
}

int64_t TimerHeap::checkTimers(int64_t* now) {
  // A timer added after this load is seen by the next findRunnable: modify wakes
  // the poller (wakeNetPoller) when it becomes the earliest, as in Go.
  int64_t first = first_.load(std::memory_order_acquire);
  if (first == 0) return 0;
  *now = nanotime();
  if (first > *now) return first;
  return runDue(*now);
}

int64_t TimerHeap::next() {
  std::lock_guard lk(mu_);
  return heap_.empty() ? 0 : heap_.front()->when;
}

bool TimerHeap::empty() {
  std::lock_guard lk(mu_);
  return heap_.empty();
}

namespace {
struct SleepState {
  Timer timer;
  int64_t when;
};

void sleepWake(void* arg, uintptr_t, int64_t) {
  goready(static_cast<G*>(arg), trace::ReadyBy::sleep);
}

// Go arms the sleep timer in gopark's unlockf (resetForSleep), on g0 after the G
// is _Gwaiting, so the timer can never fire on a G that is still running.
bool sleepCommit(G* gp, void* arg) {
  auto* s = static_cast<SleepState*>(arg);
  gp->engine->timers.modify(&s->timer, s->when, sleepWake, gp, 0);
  return true;
}
}  // namespace

void sleep(int64_t ns) {
  if (ns <= 0) {
    gosched();
    return;
  }
  SleepState s;
  s.when = nanotime() + ns;
  s.timer.owner = trace::TimerOwner::sleep;
  s.timer.goid = currentGoroutineId();
  gopark(sleepCommit, &s, WaitReason::sleep);
}

}  // namespace pollscope::rt
