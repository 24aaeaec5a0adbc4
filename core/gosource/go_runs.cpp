// Weighing one blocking-order difference against every Go run (go_runs.hpp).
#include "gosource/go_runs.hpp"

#include <algorithm>

namespace pollscope::gosource {

AcrossRuns acrossRuns(const std::string& difference, const std::vector<std::vector<std::string>>& unexplained) {
  AcrossRuns a;
  for (size_t k = 0; k < unexplained.size(); ++k) {
    const auto& diffs = unexplained[k];
    if (diffs.empty() && a.matchingRun == 0) a.matchingRun = static_cast<int>(k + 1);
    if (std::find(diffs.begin(), diffs.end(), difference) != diffs.end())
      a.runsWithIt.push_back(static_cast<int>(k + 1));
  }
  if (a.matchingRun != 0)
    a.kind = AcrossRuns::Kind::matchesRun;
  else if (a.runsWithIt.size() < unexplained.size())
    a.kind = AcrossRuns::Kind::varies;
  return a;
}

std::string describe(const AcrossRuns& a, size_t runs) {
  std::string of = " of " + std::to_string(runs);
  switch (a.kind) {
    case AcrossRuns::Kind::matchesRun: return "matches Go run " + std::to_string(a.matchingRun) + of;
    case AcrossRuns::Kind::varies: {
      std::string list;
      for (int k : a.runsWithIt) list += (list.empty() ? "" : ", ") + std::to_string(k);
      return "Go varies here (run" + std::string(a.runsWithIt.size() == 1 ? " " : "s ") + list + of + " show" +
             (a.runsWithIt.size() == 1 ? "s" : "") + " it)";
    }
    case AcrossRuns::Kind::gap: break;
  }
  return runs == 1 ? "in the one Go run" : "in all " + std::to_string(runs) + " Go runs";
}

}  // namespace pollscope::gosource
