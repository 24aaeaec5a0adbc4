// The Viewer's methods that, on the desktop, open scenarios and drive live runs
// (model/viewer_live.cpp). A browser has no engine (its threads, epoll and real
// sockets do not exist there), so here a scenario is replaced by its golden trace
// (what the engine recorded for it), traces load on the calling thread (the page
// is built without threads) and nothing runs live: the engine-side hooks of the
// player and lesson slides (model/viewer_play.cpp) say so. Everything else the
// Viewer does is shared with the desktop.
//
// Sections: 1. golden traces for scenarios  2. opening files  3. the engine's hooks
#include <algorithm>
#include <filesystem>

#include "model/compare_run.hpp"
#include "model/file_kind.hpp"
#include "model/viewer.hpp"
#include "traceio/json.hpp"

namespace pollscope::viz {
namespace fs = std::filesystem;

// No LiveRun is ever made in a browser: `live` stays empty. This is the whole
// class in the web program (the desktop's is model/live_run.hpp).
class LiveRun {};

namespace {
// ---- 1. golden traces for scenarios -----------------------------------------------------
// traces/NAME.trace.json is what the engine recorded running scenarios/NAME.json.
std::string goldenTraceFor(const std::string& scenarioPath, const std::string& traceDir) {
  std::string stem = fs::path(scenarioPath).filename().string();
  if (stem.ends_with(".json")) stem.resize(stem.size() - 5);
  return (fs::path(traceDir) / (stem + ".trace.json")).string();
}
}  // namespace

Viewer::Viewer() = default;
Viewer::~Viewer() = default;

// ---- 2. opening files ---------------------------------------------------------------------
void Viewer::openRun(const std::string& file) {
  std::string toRead = file;
  if (isScenarioFile(file)) {
    toRead = goldenTraceFor(file, scenarioDir);
    std::error_code ec;
    if (!fs::is_regular_file(toRead, ec)) {
      errorMessage = file + ": a scenario; " + noLiveRuns + " This page has no golden trace for it.";
      return;
    }
    status = file + " is a scenario: " + noLiveRuns + " Replaying its golden trace.";
  }
  // On the calling thread: done when it returns, adopted by update() as on the desktop.
  loader = std::make_unique<TraceLoader>(toRead, TraceLoader::On::callingThread);
}

bool Viewer::loadNow(const std::string& file, std::string* error) {
  path = file;
  if (isLessonFile(file)) return openLesson(file, error);
  // A scenario, or a lesson slide's scenario named by a path that is not in the
  // page (scenarioPathFor() looks in scenarioDir): its golden trace.
  std::error_code ec;
  std::string golden = goldenTraceFor(file, scenarioDir);
  bool scenario = isScenarioFile(file) || (!fs::exists(file, ec) && fs::is_regular_file(golden, ec));
  std::string toRead = scenario ? golden : file;
  auto t = std::make_unique<traceio::TraceModel>();
  if (!traceio::readTraceFile(toRead, t.get(), error)) return false;
  adopt(std::move(t), toRead);
  return true;
}

// The golden traces, under the names of the scenarios that recorded them.
const std::vector<ScenarioEntry>& Viewer::scenarioList() {
  if (!scenarios.empty() || scenarioDir.empty()) return scenarios;
  std::error_code ec;
  for (const auto& de : fs::directory_iterator(scenarioDir, ec)) {
    std::string name = de.path().filename().string();
    if (!name.ends_with(".trace.json")) continue;
    traceio::TraceModel t;
    std::string err;
    if (!traceio::readTraceFile(de.path().string(), &t, &err)) continue;
    scenarios.push_back({de.path().string(), name.substr(0, name.size() - 11), {t.meta.titleEn, t.meta.titleZh}});
  }
  std::sort(scenarios.begin(), scenarios.end(),
            [](const ScenarioEntry& a, const ScenarioEntry& b) { return a.name < b.name; });
  return scenarios;
}

void Viewer::setLiveFreeRun(bool on) {
  liveFreeRun_ = on;
}

const char* Viewer::liveState(analysis::Lang l) const {
  return uiText(Ui::liveNone, l);
}

// File > Compare: the three outcomes' golden traces, side by side.
void Viewer::openCompareOfOutcomes() {
  std::vector<std::string> files;
  for (const char* name : {"read-before-data", "data-before-park", "event-while-wait"})
    files.push_back((fs::path(scenarioDir) / (std::string(name) + ".trace.json")).string());
  std::string err;
  if (!openComparison(*this, files, kAlignRules[0].name, &err)) errorMessage = err;
}

// ---- 3. the engine's hooks: nothing runs here -------------------------------------------------
// No Go program either: it is made from a scenario, and the page bundles traces.
void Viewer::attachGoProgram(const scenario::Scenario*) {
  goProgram.reset();
  goProgramFresh_ = false;
}

void Viewer::followLive() {}

bool Viewer::engineGivesNext() {
  return false;
}

bool Viewer::stepEngine() {
  return false;
}

bool Viewer::loadSlideRun(const std::string& file, std::string* error) {
  return loadNow(file, error);  // a scenario's slide shows its golden trace
}

bool Viewer::runsAgain(const std::string&) {
  return false;  // a golden trace is the same every time
}

}  // namespace pollscope::viz
