// macOS and the BSDs: the calling thread's stack bounds.
//
// darwin reports the stack's top (it grows down) and size; FreeBSD and DragonFly
// have pthread_attr_get_np; NetBSD and OpenBSD are left unknown ({nullptr, 0}),
// which only makes ASan's fiber bookkeeping less precise there.
#include "platform/platform.hpp"
#if defined(PS_OS_KQUEUE)
#include <pthread.h>
#if defined(__FreeBSD__) || defined(__DragonFly__)
#include <pthread_np.h>
#endif

namespace pollscope::platform {

StackBounds currentThreadStack() {
  StackBounds b;
#if defined(PS_OS_DARWIN)
  pthread_t self = pthread_self();
  size_t size = pthread_get_stacksize_np(self);
  auto* top = static_cast<char*>(pthread_get_stackaddr_np(self));
  b.bottom = top - size;
  b.size = size;
#elif defined(__FreeBSD__) || defined(__DragonFly__)
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  if (pthread_attr_get_np(pthread_self(), &attr) == 0) pthread_attr_getstack(&attr, &b.bottom, &b.size);
  pthread_attr_destroy(&attr);
#endif
  return b;
}

}  // namespace pollscope::platform
#endif
