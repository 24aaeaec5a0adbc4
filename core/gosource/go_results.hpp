// What each call of a scenario returned: read from a pollscope trace, or from the
// lines a generated Go program prints (report() in go_helpers.cpp), and compared.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "traceio/trace_model.hpp"

namespace pollscope::gosource {

struct CallResult {
  int64_t step = 0;       // the scenario step id
  std::string goroutine;  // the scenario goroutine's name
  std::string op;         // the step's op: read, write, dial, ...
  int64_t n = 0;          // bytes moved (reads, writes, read_all, echo); 0 for the others
  std::string err;        // ok, eof, closed, timeout, refused, reset, broken_pipe, ...
};

// One result per executed step that makes a network call or sets a deadline, in
// the order the steps finished. Steps of other ops (sleep, wait_*, go, loop, spin,
// set_option) have none.
std::vector<CallResult> traceResults(const traceio::TraceModel& t);

// The report lines of a generated Go program's standard output ("step 5 server
// read: n=5 err=ok data=\"hello\""); other lines and other ops are skipped.
std::vector<CallResult> parseGoOutput(const std::string& stdoutText);

// One line per step whose results differ (compared per step id, in order: a step
// in a loop has one result per turn). Empty: the same results.
std::vector<std::string> compareResults(const std::vector<CallResult>& engine, const std::vector<CallResult>& go);

std::string formatResult(const CallResult& r);  // "step 5 server read: n=5 err=ok"

}  // namespace pollscope::gosource
