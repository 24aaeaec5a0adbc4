#include "runtime/context.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "platform/platform.hpp"
#include "runtime/context_switch.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define PS_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define PS_TSAN 1
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PS_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define PS_TSAN 1
#endif
#endif

#if defined(PS_ASAN)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#if defined(PS_TSAN)
#include <sanitizer/tsan_interface.h>
#endif

namespace pollscope::rt {

Stack::Stack(size_t size) {
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_ = (size + page - 1) / page * page;
  mappingSize_ = size_ + page;
  mapping_ =
      mmap(nullptr, mappingSize_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | platform::kMapStack, -1, 0);
  if (mapping_ == MAP_FAILED) {
    perror("pollscope: mmap goroutine stack");
    std::abort();
  }
  // Stacks grow down: the guard page is the lowest page of the mapping.
  if (mprotect(mapping_, page, PROT_NONE) != 0) {
    perror("pollscope: mprotect guard page");
    std::abort();
  }
  usable_ = static_cast<char*>(mapping_) + page;
}

Stack::~Stack() {
#if defined(PS_ASAN)
  // A goroutine that never returns (parked at exit) leaves its frames' redzones
  // poisoned; a later stack mapped at the same address would inherit them as false
  // stack-buffer errors.
  if (usable_) __asan_unpoison_memory_region(usable_, size_);
#endif
  if (mapping_) munmap(mapping_, mappingSize_);
}

void Stack::recycle() {
#if defined(PS_ASAN)
  // A goroutine ends with its last switch, not by returning through its frames: their
  // redzones stay poisoned and would be false stack-buffer errors for the next one.
  __asan_unpoison_memory_region(usable_, size_);
#endif
}

void initThreadContext(Context& ctx) {
  platform::StackBounds b = platform::currentThreadStack();
  ctx.stackBottom = b.bottom;
  ctx.stackSize = b.size;
#if defined(PS_TSAN)
  ctx.tsanFiber = __tsan_get_current_fiber();
  ctx.ownsTsanFiber = false;
#endif
}

namespace {
void trampoline(void* p) {
  auto* ctx = static_cast<Context*>(p);
  ctx->entry(ctx->entryArg);
}
}  // namespace

void initGoroutineContext(Context& ctx, Stack& stack, void (*entry)(void*), void* arg) {
  ctx.entry = entry;
  ctx.entryArg = arg;
  ctx.sp = prepareStack(static_cast<char*>(stack.bottom()) + stack.size(), &trampoline, &ctx);
  ctx.stackBottom = stack.bottom();
  ctx.stackSize = stack.size();
#if defined(PS_TSAN)
  ctx.tsanFiber = __tsan_create_fiber(0);
  ctx.ownsTsanFiber = true;
#endif
}

void destroyContext(Context& ctx) {
#if defined(PS_TSAN)
  if (ctx.ownsTsanFiber && ctx.tsanFiber) __tsan_destroy_fiber(ctx.tsanFiber);
#endif
  ctx.tsanFiber = nullptr;
  ctx.ownsTsanFiber = false;
}

void switchContext(Context& from, Context& to, bool finalSwitch) {
#if defined(PS_ASAN)
  __sanitizer_start_switch_fiber(finalSwitch ? nullptr : &from.asanFakeStack, to.stackBottom, to.stackSize);
#else
  (void)finalSwitch;
#endif
#if defined(PS_TSAN)
  __tsan_switch_to_fiber(to.tsanFiber, 0);
#endif
  ps_switch_context(&from.sp, to.sp);
#if defined(PS_ASAN)
  __sanitizer_finish_switch_fiber(from.asanFakeStack, nullptr, nullptr);
#endif
}

void enteredContext() {
#if defined(PS_ASAN)
  __sanitizer_finish_switch_fiber(nullptr, nullptr, nullptr);
#endif
}

}  // namespace pollscope::rt
