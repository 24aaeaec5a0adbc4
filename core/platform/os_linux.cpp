// Linux: the calling thread's stack bounds (glibc's pthread_getattr_np).
#include "platform/platform.hpp"
#if defined(PS_OS_LINUX)
#include <pthread.h>

namespace pollscope::platform {

StackBounds currentThreadStack() {
  StackBounds b;
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstack(&attr, &b.bottom, &b.size);
    pthread_attr_destroy(&attr);
  }
  return b;
}

}  // namespace pollscope::platform
#endif
