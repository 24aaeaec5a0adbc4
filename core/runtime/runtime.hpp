// The Go-like runtime: goroutines (G), OS threads (M), processors (P), the
// scheduler, timers and the network poller, owned by one Runtime object.
//
// This is the public face used by poll, net, scenarios and tests (runtime/internal.hpp
// is for runtime/ and netpoll/ only). Inside a goroutine, code
// calls the free functions below (go, sleep, gosched) exactly as Go code would.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "trace/recorder.hpp"

namespace pollscope::netpoll {
class Netpoll;
}

namespace pollscope::rt {

class Runtime;
struct Engine;  // internal state, runtime/internal.hpp

struct Options {
  int gomaxprocs = 1;                   // 1 makes runs reproducible
  bool sysmon = false;                  // start the sysmon thread (its 10 ms netpoll rule)
  bool sysmonOnDemand = false;          // start sysmon dormant: it ticks only while sysmonRequest asks
  size_t stackSize = 256 * 1024;        // per goroutine, plus a guard page
  trace::Recorder* recorder = nullptr;  // nullptr: record nothing
  bool throwsAsExceptions = false;      // tests: runtime throws become RuntimeThrow on the G
};

// A runtime throw (Go's fatal `throw`) surfaced as an exception (tests only).
struct RuntimeThrow : std::exception {
  int64_t code;
  explicit RuntimeThrow(int64_t c) : code(c) {}
  const char* what() const noexcept override;
};

class Runtime {
 public:
  explicit Runtime(Options opt = {});
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Runs `mainFn` as the main goroutine on the calling thread (M0) and returns
  // when it returns, like a Go program's main. Rethrows a fatal error (a runtime
  // throw in exception mode, an uncaught exception in a goroutine, a deadlock).
  void run(std::function<void()> mainFn);

  Engine& engine() { return *engine_; }
  const Options& options() const;

 private:
  std::unique_ptr<Engine> engine_;
};

// ---- inside goroutines -----------------------------------------------------
int64_t go(std::function<void()> fn, std::string name = {});  // returns the new goroutine id
void sleep(int64_t ns);
void gosched();
int64_t currentGoroutineId();
int64_t nanotime();  // monotonic ns
// Goroutine names recorded so far (id -> name), for trace headers.
std::string goroutineName(Engine& e, int64_t id);
// Options::sysmonOnDemand: while at least one request is on, sysmon ticks as Go's
// does (its real 10 ms netpoll rule); scenarios use it to stage a race.
void sysmonRequest(Engine& e, bool on);
// Whether an M is asleep in netpoll now (Go's sched.lastpoll == 0): a scenario's
// spin waits for it before it arms the timer that must break that sleep.
bool pollerAsleep(Engine& e);
// The engine's network poller (for poll's FD and scenarios' injection points).
netpoll::Netpoll& netpollOf(Engine& e);

// ---- recording from engine code ----------------------------------------------
// The Engine running on this thread (nullptr outside the runtime). Not inlined:
// the caller may be a goroutine that has moved to another thread since its last call.
Engine* currentEngine();

// Records one event with the current M, P and G; `fields` are the bytes of a
// trace::Args<kind>. Called only through emit<K>, which checks them.
void emitFields(Engine* e, trace::Kind kind, const trace::Site* site, const void* fields, size_t bytes);
template <trace::Kind K>
void emit(Engine* e, const trace::Site* site, const trace::Args<K>& args) {
  emitFields(e, K, site, &args, sizeof(args));
}

// How many engines in this process record (have a recorder). While none does,
// PS_EMIT costs one relaxed load and a branch: it neither looks up the engine nor
// computes its fields (a served run with --no-trace). Kept by Engine (EngineRecording).
inline std::atomic<int> enginesRecording{0};
inline bool anyEngineRecording() {
  return enginesRecording.load(std::memory_order_relaxed) != 0;
}

// Records an event with the current M, P and G. `gofunc` names the Go function
// mirrored; the arguments are kind's fields in table order (trace/kinds.hpp), or
// designated (.pd = ...), checked for count and type by trace::Args<kind>. The
// arguments are evaluated only when some engine records: they must have no effects.
#define PS_EMIT(engine, kind, gofunc, ...)                                                           \
  do {                                                                                               \
    static const ::pollscope::trace::Site ps_site_{PS_SOURCE_FILE, __LINE__, gofunc, __func__};      \
    if (::pollscope::rt::anyEngineRecording())                                                       \
      ::pollscope::rt::emit<kind>((engine), &ps_site_, ::pollscope::trace::Args<kind>{__VA_ARGS__}); \
  } while (0)

#ifndef PS_SOURCE_FILE
#define PS_SOURCE_FILE __FILE__
#endif

}  // namespace pollscope::rt
