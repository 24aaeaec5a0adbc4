// The Go program behind a scenario: the runnable, standard-library-only Go source a
// student would write to make the same story happen on Go's own runtime
// (`pollscope go`, the viewer's Go tab, `pollscope compare-go`).
//
// It reads the scenario *model* (scenario/scenario.hpp, a plain struct) and traces
// (traceio); it never touches the engine. docs/go-programs.md describes the
// translation, each op's Go statement and why some scenarios have no exact Go twin.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace pollscope::scenario {
struct Scenario;
}

namespace pollscope::gosource {

// How faithfully Go can tell a scenario's story.
enum class Fidelity {
  exact,        // same goroutines, calls, results and blocking order are expected
  approximate,  // same calls and results; Go's scheduler may order the blocking differently
  none,         // needs an injection point (or runs until stopped): no Go program can force it
};
const char* fidelityName(Fidelity f);

struct GoProgram {
  std::string text;  // the whole prog.go
  Fidelity fidelity = Fidelity::exact;
  std::vector<std::string> why;     // one reason per thing that is not exact (empty when exact)
  std::map<int64_t, int> stepLine;  // scenario step id -> 1-based line of its Go statement
};

// The translation. Always produces a program, even for Fidelity::none (that one
// says at the top what it cannot do, and is not meant to be run as a comparison).
GoProgram goProgram(const scenario::Scenario& s, const std::string& sourceName);

// Just the classification (what `pollscope go --list` prints).
Fidelity classify(const scenario::Scenario& s, std::vector<std::string>* why);

}  // namespace pollscope::gosource
