// Execution contexts: goroutine stacks (with a guard page) and the switch between
// them, annotated for ASan and TSan so sanitizers follow stacks across switches.
// The switch itself saves callee-saved registers only (context_switch.cpp): no
// ucontext, no signal-mask syscall per switch.
#pragma once

#include <cstddef>

namespace pollscope::rt {

// A goroutine stack: mmap'd, with a PROT_NONE guard page below it so an overflow
// faults instead of silently corrupting the neighbouring stack.
class Stack {
 public:
  explicit Stack(size_t size);
  ~Stack();
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;
  // Makes a dead goroutine's stack ready for the next goroutine of a reused G
  // (gfget): under ASan, clears the redzones the dead one's frames left poisoned.
  void recycle();
  void* bottom() const { return usable_; }
  size_t size() const { return size_; }

 private:
  void* mapping_ = nullptr;
  size_t mappingSize_ = 0;
  void* usable_ = nullptr;
  size_t size_ = 0;
};

struct Context {
  void* sp = nullptr;                 // saved stack pointer while this context is not running
  const void* stackBottom = nullptr;  // for ASan: bounds of the stack this context runs on
  size_t stackSize = 0;
  void* asanFakeStack = nullptr;
  void* tsanFiber = nullptr;
  bool ownsTsanFiber = false;
  void (*entry)(void*) = nullptr;  // what a new goroutine context runs first
  void* entryArg = nullptr;
};

// Context of the calling OS thread (an M's g0), with its real stack bounds.
void initThreadContext(Context& ctx);
// Context that starts `entry(arg)` on `stack`.
void initGoroutineContext(Context& ctx, Stack& stack, void (*entry)(void*), void* arg);
void destroyContext(Context& ctx);

// Saves the current execution into `from` and resumes `to`. `finalSwitch` is true
// when `from` will never run again (a dead goroutine) so sanitizers free its state.
void switchContext(Context& from, Context& to, bool finalSwitch = false);
// First call on a fresh goroutine stack, before anything else runs there.
void enteredContext();

}  // namespace pollscope::rt
