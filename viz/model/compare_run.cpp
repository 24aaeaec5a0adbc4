#include "model/compare_run.hpp"

#include <algorithm>

#include "trace/fields.hpp"

namespace pollscope::viz {

namespace {
// Each pane shows the aligned event's goroutine and the pollDesc of its fd (the
// first event from there on that names both), not the run's first parked one.
void selectAligned(Viewer& p, size_t anchor) {
  const auto& events = p.trace->events;
  const trace::Event& e = events[anchor - 1];
  if (e.g) p.selectGoroutine(e.g);
  auto fd = trace::fieldValue(e, "fd");
  for (size_t i = anchor - 1; i < events.size(); ++i) {
    auto pd = trace::fieldValue(events[i], "pd");
    if (pd && *pd && (!fd || trace::fieldValue(events[i], "fd") == fd)) {
      p.selectPollDesc(*pd);
      if (auto m = trace::fieldValue(events[i], "mode"); m && (*m == 'r' || *m == 'w'))
        p.selectMode(static_cast<char>(*m));
      return;
    }
  }
}
}  // namespace

long Comparison::minOffset() const {
  long lo = 0;
  for (const auto& p : panes) lo = std::min(lo, -static_cast<long>(p.anchor));
  return lo;
}

long Comparison::maxOffset() const {
  long hi = 0;
  for (const auto& p : panes) hi = std::max(hi, static_cast<long>(p.viewer->replay->size() - p.anchor));
  return hi;
}

void Comparison::seekOffset(long to) {
  offset = std::clamp(to, minOffset(), maxOffset());
  for (auto& p : panes) {
    long c = std::clamp(static_cast<long>(p.anchor) + offset, 0L, static_cast<long>(p.viewer->replay->size()));
    p.viewer->seek(static_cast<size_t>(c));
  }
}

bool Comparison::realign(const std::string& ruleName, std::string* error) {
  const AlignRule* r = alignRuleNamed(ruleName);
  if (!r) {
    *error = "no alignment \"" + ruleName + "\" (" + alignRuleNamesInWords() + ")";
    return false;
  }
  std::vector<size_t> anchors;
  for (const auto& p : panes) {
    auto a = alignCursor(*p.viewer->trace, *r);
    if (!a) {
      *error =
          p.viewer->trace->meta.scenario + " has no event for the alignment \"" + ruleName + "\" (" + r->describe + ")";
      return false;
    }
    anchors.push_back(*a);
  }
  for (size_t i = 0; i < panes.size(); ++i) {
    panes[i].anchor = anchors[i];
    selectAligned(*panes[i].viewer, anchors[i]);
  }
  rule = ruleName;
  seekOffset(0);
  return true;
}

bool openComparison(Viewer& v, const std::vector<std::string>& files, const std::string& ruleName, std::string* error) {
  if (files.size() < Comparison::kMinPanes || files.size() > Comparison::kMaxPanes) {
    *error = "--compare takes 2 or 3 traces or scenarios, got " + std::to_string(files.size());
    return false;
  }
  auto c = std::make_unique<Comparison>();
  for (const auto& f : files) {
    ComparePane p;
    p.viewer = std::make_unique<Viewer>();
    p.viewer->scenarioDir = v.scenarioDir;
    p.viewer->setLanguage(v.lang());
    std::string err;
    if (!p.viewer->loadNow(f, &err)) {
      *error = f + ": " + err;
      return false;
    }
    if (!p.viewer->trace || p.viewer->lesson) {
      *error = f + ": not a trace or a scenario";
      return false;
    }
    c->panes.push_back(std::move(p));
  }
  if (!c->realign(ruleName, error)) return false;
  v.compare = std::move(c);
  v.playing = false;
  v.fontsDirty = true;  // the panes' Chinese texts
  return true;
}

}  // namespace pollscope::viz
