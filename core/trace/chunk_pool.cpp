#include "trace/chunk_pool.hpp"

#include <sys/mman.h>

#include <mutex>
#include <vector>

#include "platform/platform.hpp"

namespace pollscope::trace {

namespace {
constexpr size_t kChunkBytes = kChunkEvents * sizeof(Event);

struct Pool {
  std::mutex mu;
  std::vector<Event*> free;
};
// Never destroyed: recorders with static lifetime may give chunks back during exit.
Pool& pool() {
  static Pool* p = new Pool;
  return *p;
}
}  // namespace

Event* takeChunk() {
  {
    Pool& p = pool();
    std::lock_guard lk(p.mu);
    if (!p.free.empty()) {
      Event* c = p.free.back();
      p.free.pop_back();
      return c;
    }
  }
  void* m =
      mmap(nullptr, kChunkBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | platform::kMapPopulate, -1, 0);
  return m == MAP_FAILED ? nullptr : static_cast<Event*>(m);
}

void giveChunk(Event* chunk) {
  if (!chunk) return;
  {
    Pool& p = pool();
    std::lock_guard lk(p.mu);
    if (p.free.size() < kChunkPoolMax) {
      p.free.push_back(chunk);
      return;
    }
  }
  munmap(chunk, kChunkBytes);
}

size_t pooledChunks() {
  Pool& p = pool();
  std::lock_guard lk(p.mu);
  return p.free.size();
}

}  // namespace pollscope::trace
