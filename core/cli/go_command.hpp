// pollscope go and pollscope compare-go: the Go program behind a scenario, and a
// side-by-side run of it on Go's own runtime against the engine (docs/go-programs.md).
#pragma once

#include <string>

namespace pollscope::cli {

struct GoArgs {
  std::string scenario;  // a scenario file
  std::string out;       // -o: write the program here ("" or "-": standard output)
  bool list = false;     // --list: every scenario's translation fidelity
  std::string argv0;
};
int cmdGo(const GoArgs& a);

struct CompareGoArgs {
  std::string scenario;
  std::string workDir;  // where the program, its build cache and the straces go ("" = a temp dir)
  bool json = false;
  bool keep = false;  // keep the work directory
  int goRuns = 3;     // --go-runs: run the Go program (with runtime/trace) up to this many times
  std::string argv0;
};
int cmdCompareGo(const CompareGoArgs& a);

}  // namespace pollscope::cli
