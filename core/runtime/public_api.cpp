// The calls of the public runtime and netpoll headers that need the unit's
// internals (the Engine, G lists, the backend). They live here so that poll, net
// and scenarios reach them through runtime.hpp and netpoll.hpp and never include
// runtime/internal.hpp or netpoll/backend.hpp (docs/architecture.md, tests/layers).
#include "netpoll/backend.hpp"
#include "runtime/internal.hpp"

namespace pollscope::rt {

netpoll::Netpoll& netpollOf(Engine& e) {
  return *e.netpoll;
}

}  // namespace pollscope::rt

namespace pollscope::netpoll {

const char* Netpoll::backendName() const {
  return backend_->name();
}

}  // namespace pollscope::netpoll
