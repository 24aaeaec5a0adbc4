// Scenarios: small client/server stories that run on the engine over real sockets,
// with deterministic synchronisation, injection points for Go's rare races, and
// checks on the recorded trace. The file format is docs/scenario-format.md.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "traceio/trace_model.hpp"
#include "traceio/trace_stream.hpp"

namespace pollscope::scenario {

struct Text {
  std::string en;
  std::string zh;
};

enum class Op {
  listen,
  accept,
  dial,
  read,
  write,
  close,
  closeWrite,
  sleep,
  setReadDeadline,
  setWriteDeadline,
  setDeadline,
  setOption,
  go,
  loop,
  spin,
  waitParked,
  waitStep,
  waitEvents,
  closeDuringPoll,
  readAll,
  echo,
  // A new op also gets its row in the op table (op_table.cpp), in this order.
};
inline constexpr int kOpCount = static_cast<int>(Op::echo) + 1;  // the last op above

// How deep `loop` and `go` bodies may nest (docs/scenario-format.md, "Limits"). A loop
// runs its body by recursion on the goroutine's 256 KiB stack; 64 levels use a small part
// of it even under ASan, and no story needs more than a few.
inline constexpr int kMaxStepNesting = 64;

// Forcing one of Go's races on the real engine during a read or write.
enum class Race {
  none,
  dataBeforePark,  // between EAGAIN and netpollblock: the peer writes and a netpoll(0) runs
  eventWhileWait,  // in netpollblockcommit, before its CAS: the peer writes and a netpoll(0) runs
};

struct Step {
  int id = 0;  // unique across the scenario (narration and step events)
  Op op = Op::sleep;
  std::string path;    // "goroutines[1].steps[2]" for messages
  std::string label;   // other goroutines can wait_step for it
  std::string as;      // name given to what the step creates
  std::string target;  // listener/conn the step works on ("on")
  std::string network = "tcp";
  std::string addr;
  int64_t size = 4096;
  std::string data;  // "$last" echoes the goroutine's last read
  int64_t repeat = 1;
  int64_t ms = 0;
  std::string spinUntil = "ms";  // spin: "ms", or end early: "poller_asleep", "readied" (on + mode)
  bool clearDeadline = false;
  std::optional<int64_t> moveAfterFireMs;  // deadlines: when it fires, move it this far out
  int64_t times = 1;                       // loop
  bool forever = false;                    // loop: until the run stops (serving)
  int64_t count = 0;                       // wait_events
  char mode = 'r';                         // wait_parked
  Race race = Race::none;
  std::string peer;  // race: the conn whose peer end is written; close_during_poll: conn written after arming
  int sndbuf = 0, rcvbuf = 0;
  bool linger0 = false;
  std::string goroutineName;         // go
  std::vector<std::string> capture;  // go: names the new goroutine keeps as they are now
  std::vector<Step> body;            // go, loop
  std::optional<std::string> expectData;
  std::optional<int64_t> expectBytes;  // read/write: exact byte count
  std::string expectErr = "ok";        // ok, eof, timeout, closed, refused, reset, broken_pipe, any
  Text narration;
};

struct GoroutineSpec {
  std::string name;
  std::vector<Step> steps;
};

// A condition on the recorded trace, checked after the run.
struct TraceCheck {
  std::string path;                          // "expect_trace[2]"
  std::string kind;                          // event kind name
  std::string on;                            // named conn/listener: only events on its pollDescs/fds
  std::map<std::string, std::string> where;  // field -> value name or number
  int64_t min = 1;
  int64_t max = INT64_MAX;
  std::string why;  // shown when it fails
};

struct Scenario {
  std::string name;
  Text title;
  Text description;
  std::vector<std::string> article;  // sections of the original article it reproduces ("5.3")
  int gomaxprocs = 1;
  bool sysmon = false;
  bool deterministic = true;  // the same transitions on every run at its GOMAXPROCS
  bool serve = false;         // serves real clients until stopped: needs --listen
  int64_t timeoutMs = 10000;
  std::vector<GoroutineSpec> goroutines;
  std::vector<TraceCheck> checks;
  int stepCount = 0;
};

const char* opName(Op op);  // from the op table (op_table.cpp)
// Every step in id order (nested go/loop bodies included), with its goroutine's name.
std::vector<std::pair<const Step*, std::string>> allSteps(const Scenario& s);

// Parses scenario JSON. On error returns false with one line naming the file
// position or step path and what is wrong.
bool parseScenario(const std::string& text, const std::string& source, Scenario* out, std::string* error);
bool loadScenarioFile(const std::string& path, Scenario* out, std::string* error);

// A handle on a run in progress, for a caller that must end the process before
// the run ends (a second Ctrl-C, a watchdog that cannot stop the run): the trace
// recorded so far, marked partial. snapshot() returns false before and after the run.
class RunControl {
 public:
  bool snapshot(const std::string& why, traceio::TraceModel* out);
  void set(std::function<traceio::TraceModel(const std::string&)> f);

 private:
  std::mutex mu_;
  std::function<traceio::TraceModel(const std::string&)> snapshot_;
};

struct RunOptions {
  std::optional<int> gomaxprocs;  // overrides the scenario
  size_t ringCapacity = 0;        // flight-recorder mode when > 0
  // Streaming: the trace goes to this stream while the run goes on (header, events,
  // then the tables when it ends), so memory stays bounded; the result's trace then
  // has no events. Ignores ringCapacity; expect_trace is not checked.
  traceio::TraceStream* stream = nullptr;
  std::string listenAddr;   // serve: the first listen step binds here
  int stopFd = -1;          // serve: readable end of a pipe; a byte on it stops the run
  bool traceChecks = true;  // check expect_trace (stories written for their own GOMAXPROCS)
  // false: the engine runs without a recorder and the trace has no events (serving
  // with --no-trace). A scenario with a wait_events step records all the same.
  bool record = true;
  // Live viewing: record into this recorder (the caller collects from it while
  // the run goes on, and may give it a step gate). Ignores ringCapacity.
  trace::Recorder* recorder = nullptr;
  bool watchdog = true;  // false: a paused live run may take as long as its user likes
  // Serve: called once the --listen address is bound, with the real address.
  std::function<void(const std::string& bound)> onListening;
  RunControl* control = nullptr;  // filled while the run goes on
  // The watchdog could not end the run: the trace so far (marked partial) is handed
  // here just before the process exits with status 3. Unset: nothing is written.
  std::function<void(const traceio::TraceModel&)> onStuck;
};

// One socket a scenario name stood for: its pollDesc and fd, and how many events
// had been recorded right after it was created (to find its pd_open).
struct ObjectUse {
  int64_t pd = 0;
  int64_t fd = -1;
  uint64_t createdBy = 0;
};
using ObjectMap = std::map<std::string, std::vector<ObjectUse>>;

struct RunResult {
  bool ok = true;
  std::vector<std::string> failures;  // "goroutines[0].steps[3] (server read): expected ..."
  traceio::TraceModel trace;
  ObjectMap objects;           // name -> the sockets it stood for
  std::string listenError;     // serve: --listen could not bind (why); nothing ran
  uint64_t handlerErrors = 0;  // serve: handlers that ended with an error (each logged)
  bool timedOut = false;       // the watchdog ended the run (the trace is marked partial)
};

RunResult runScenario(const Scenario& s, const RunOptions& opt = {});

// The trace's step table (`step` events refer to it by id), known before the run.
std::vector<traceio::StepInfo> stepTable(const Scenario& s);

// Checks `s.checks` against a trace; returns one message per failed check.
std::vector<std::string> checkTrace(const Scenario& s, const traceio::TraceModel& t, const ObjectMap& objects);

// The transitions that must not change between runs (times, fds, M/P stripped),
// one line per event, for golden-trace and reproducibility comparisons.
std::vector<std::string> normalizedTransitions(const traceio::TraceModel& t);

}  // namespace pollscope::scenario
