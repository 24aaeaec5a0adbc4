// The order in which goroutines block in the network and return from it: from a
// pollscope trace (a G going _Gwaiting for "IO wait", and back to _Grunnable), and
// from Go's execution trace (`go tool trace -d`: GoBlockNet, and the GoUnblock of
// a G blocked so). Goroutines are named by the scenario (the Go program logs each
// goroutine's name with runtime/trace).
#pragma once

#include <string>
#include <vector>

#include "traceio/trace_model.hpp"

namespace pollscope::gosource {

std::vector<std::string> engineBlockingOrder(const traceio::TraceModel& t);  // "server blocks", "server returns"
// One Go blocking event and what Go's trace says about how it happened, when that
// names a cause the engine does not have: "sysmon" (a netpoll by a thread without
// a P: with one P that is sysmon's 10 ms poll, the event carries a sequence number
// because it was written outside any P's buffer) or "gc" (inside a GC cycle, whose
// stop-the-world phases restart the world with a netpoll), "preempt" (Go preempted
// a running goroutine since the previous blocking event) or "retake" (a thread
// blocked in a syscall and sysmon handed its P to another thread).
struct GoBlockEvent {
  std::string text;   // "server blocks", "client returns"
  std::string cause;  // "", "sysmon", "gc", "preempt", "retake"
};
std::vector<GoBlockEvent> goBlockingOrder(const std::string& goToolTraceDump);

// Two sequences laid side by side: the longest common subsequence in order, with
// what only one side has between. Each row is (index in a or -1, index in b or -1).
std::vector<std::pair<int, int>> align(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace pollscope::gosource
