// Folding repetition into loop blocks: the article draws "loop until written" once,
// a run does it sixteen times. A folded arrow keeps the seqs of every repetition.
#include <fmt/format.h>

#include <algorithm>

#include "export/story.hpp"

namespace pollscope::exporting {
namespace {
bool sameShape(const StoryStep& a, const StoryStep& b) {
  return a.type == b.type && a.from == b.from && a.to == b.to && a.generic == b.generic;
}

bool sameUnits(const std::vector<std::vector<StoryStep>>& u, size_t a, size_t b, size_t period) {
  for (size_t k = 0; k < period; ++k) {
    const auto& x = u[a + k];
    const auto& y = u[b + k];
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (!sameShape(x[i], y[i])) return false;
  }
  return true;
}

// A period must open and close its own blocks, or the loop would cut one in half.
bool balanced(const std::vector<std::vector<StoryStep>>& u, size_t from, size_t period) {
  int depth = 0;
  for (size_t k = 0; k < period; ++k)
    for (const auto& s : u[from + k]) {
      if (s.type == StoryStep::Type::loopBegin || s.type == StoryStep::Type::altBegin) ++depth;
      if (s.type == StoryStep::Type::blockEnd && --depth < 0) return false;
    }
  return depth == 0;
}
}  // namespace

std::vector<StoryStep> mergeUnits(const std::vector<std::vector<StoryStep>>& units) {
  if (units.empty()) return {};
  std::vector<StoryStep> out = units.front();
  for (size_t s = 0; s < out.size(); ++s) {
    bool allSame = true;
    for (size_t u = 1; u < units.size(); ++u) {
      const StoryStep& again = units[u][s];
      out[s].seqs.insert(out[s].seqs.end(), again.seqs.begin(), again.seqs.end());
      allSame = allSame && again.text == out[s].text;
    }
    std::sort(out[s].seqs.begin(), out[s].seqs.end());
    if (!allSame) out[s].text = out[s].generic;
  }
  return out;
}

std::vector<StoryStep> foldRepeats(const std::vector<std::vector<StoryStep>>& units, const std::string& label,
                                   size_t maxPeriod) {
  std::vector<StoryStep> out;
  size_t n = units.size();
  for (size_t i = 0; i < n;) {
    size_t bestPeriod = 0, bestReps = 1;
    for (size_t p = 1; p <= maxPeriod && i + 2 * p <= n; ++p) {
      if (!balanced(units, i, p)) continue;
      size_t r = 1;
      while (i + (r + 1) * p <= n && sameUnits(units, i, i + r * p, p)) ++r;
      // Prefer the fold that covers most; on a tie the shorter period (more repetitions).
      if (r >= 2 && r * p > bestReps * bestPeriod) bestPeriod = p, bestReps = r;
    }
    if (!bestPeriod) {
      out.insert(out.end(), units[i].begin(), units[i].end());
      ++i;
      continue;
    }
    StoryStep begin;
    begin.type = StoryStep::Type::loopBegin;
    begin.text = fmt::format("{} ×{}", label, bestReps);
    begin.generic = label;
    out.push_back(begin);
    for (size_t k = 0; k < bestPeriod; ++k)
      for (size_t s = 0; s < units[i + k].size(); ++s) {
        StoryStep merged = units[i + k][s];
        bool allSame = true;
        for (size_t r = 1; r < bestReps; ++r) {
          const StoryStep& again = units[i + r * bestPeriod + k][s];
          merged.seqs.insert(merged.seqs.end(), again.seqs.begin(), again.seqs.end());
          allSame = allSame && again.text == merged.text;
        }
        std::sort(merged.seqs.begin(), merged.seqs.end());
        // Numbers that differ between repetitions are not shown as if they were one.
        if (!allSame) merged.text = merged.generic;
        out.push_back(std::move(merged));
      }
    StoryStep end;
    end.type = StoryStep::Type::blockEnd;
    out.push_back(end);
    i += bestPeriod * bestReps;
  }
  return out;
}

}  // namespace pollscope::exporting
