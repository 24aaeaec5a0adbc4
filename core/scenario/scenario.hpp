// Scenarios: small client/server stories that run on the engine over real sockets.
// The file format is described in docs/scenario-format.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "traceio/trace_model.hpp"

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
};

struct Step {
  Op op = Op::sleep;
  std::string path;    // "goroutines[1].steps[2]" for messages
  std::string as;      // name given to the listener/conn this step creates
  std::string target;  // listener/conn the step works on
  std::string network = "tcp";
  std::string addr;    // listen address, or "@name" of a listener for dial
  int64_t size = 0;    // read buffer size
  std::string data;    // write payload; "$last" echoes the goroutine's last read
  int64_t repeat = 1;  // write the payload this many times in one call (backpressure)
  int64_t ms = 0;      // sleep / deadline (negative: in the past; absent deadline clears)
  bool clearDeadline = false;
  std::optional<std::string> expectData;
  std::string expectErr = "ok";  // ok, eof, timeout, closed, refused, reset, any
  Text narration;
};

struct GoroutineSpec {
  std::string name;
  std::vector<Step> steps;
};

struct Scenario {
  std::string name;
  Text title;
  Text description;
  int gomaxprocs = 1;
  bool sysmon = false;
  int64_t timeoutMs = 10000;
  std::vector<GoroutineSpec> goroutines;
};

const char* opName(Op op);

// Parses scenario JSON. On error returns false with one line naming the file
// position or step path and what is wrong.
bool parseScenario(const std::string& text, const std::string& source, Scenario* out, std::string* error);
bool loadScenarioFile(const std::string& path, Scenario* out, std::string* error);

struct RunOptions {
  std::optional<int> gomaxprocs;  // overrides the scenario
  size_t ringCapacity = 0;        // flight-recorder mode when > 0
};

struct RunResult {
  bool ok = true;
  std::vector<std::string> failures;  // "goroutines[0].steps[3] (server read): expected ..."
  traceio::TraceModel trace;
};

RunResult runScenario(const Scenario& s, const RunOptions& opt = {});

}  // namespace pollscope::scenario
