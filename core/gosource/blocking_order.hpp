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
std::vector<std::string> goBlockingOrder(const std::string& goToolTraceDump);

// Two sequences laid side by side: the longest common subsequence in order, with
// what only one side has between. Each row is (index in a or -1, index in b or -1).
std::vector<std::pair<int, int>> align(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace pollscope::gosource
