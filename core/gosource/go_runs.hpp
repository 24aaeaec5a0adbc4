// Go's own run-to-run variation. Go's blocking order is not fixed: sysmon, preemption,
// a P retaken from a thread in a syscall and the kernel's timing (is a connection
// already pending when Accept runs?) change it from one run of the same program to
// the next. compare-go therefore runs the Go program several times and weighs each
// blocking-order difference of the first run against all of them: a difference the
// engine shares with no Go run is a fidelity gap; one that some Go run does not
// show is Go varying.
#pragma once

#include <string>
#include <vector>

namespace pollscope::gosource {

struct AcrossRuns {
  enum class Kind {
    gap,         // every Go run shows this difference
    matchesRun,  // a Go run's order has no unexplained difference from the engine's
    varies,      // no run matches as a whole, but some runs do not show this difference
  };
  Kind kind = Kind::gap;
  int matchingRun = 0;          // 1-based, for matchesRun
  std::vector<int> runsWithIt;  // 1-based: the runs that show this difference
};

// `unexplained[k]`: the unexplained differences of Go run k+1 against the engine,
// each named by its row ("ENGINE-ROW | GO-ROW", "-" for an empty side).
AcrossRuns acrossRuns(const std::string& difference, const std::vector<std::vector<std::string>>& unexplained);

// "matches Go run 2 of 2", "Go varies here (runs 1, 3 of 3 show it)", "in all 3 Go runs".
std::string describe(const AcrossRuns& a, size_t runs);

}  // namespace pollscope::gosource
