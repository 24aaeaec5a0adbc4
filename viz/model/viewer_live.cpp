// The Viewer's methods on the engine's side: opening scenarios (run at once or
// live), each frame's copy of a live run's events, stepping the engine, the live
// run's free run, and the hooks the player and lesson slides (viewer_play.cpp)
// call where a scenario runs. The rest of the Viewer is in viewer.cpp and
// viewer_play.cpp and links no engine.
//
// Sections: 1. opening files and live runs  2. each frame: a live run's events
//           3. stepping the engine  4. lesson slides' runs
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "model/compare_run.hpp"
#include "model/file_kind.hpp"
#include "model/live_run.hpp"
#include "model/viewer.hpp"
#include "scenario/scenario.hpp"
#include "trace/fields.hpp"
#include "traceio/json.hpp"

namespace pollscope::viz {
namespace fs = std::filesystem;

namespace {
bool loadRunnableScenario(const std::string& path, scenario::Scenario* s, std::string* error) {
  if (!scenario::loadScenarioFile(path, s, error)) return false;
  if (s->serve) {
    *error = path + ": a serving scenario needs real clients; run it with `pollscope run --listen`";
    return false;
  }
  return true;
}
}  // namespace

Viewer::Viewer() = default;
Viewer::~Viewer() = default;  // a live run still going is let go here (LiveRun's destructor)

// ---- 1. opening files and live runs -----------------------------------------------------
void Viewer::openRun(const std::string& file) {
  if (isScenarioFile(file)) {
    scenario::Scenario s;
    std::string err;
    if (!loadRunnableScenario(file, &s, &err)) {
      errorMessage = err;
      return;
    }
    startLive(std::move(s));
    return;
  }
  loader = std::make_unique<TraceLoader>(file);  // adopted by update() when done
}

bool Viewer::loadNow(const std::string& file, std::string* error) {
  path = file;
  if (isLessonFile(file)) return openLesson(file, error);
  if (isScenarioFile(file)) {
    scenario::Scenario s;
    if (!loadRunnableScenario(file, &s, error)) return false;
    auto r = scenario::runScenario(s);
    if (r.timedOut) {
      // The watchdog ended the run (it used to end the viewer): say so in the dialog.
      *error = r.failures.empty() ? "the scenario did not finish within its watchdog" : r.failures.front();
      return false;
    }
    attachGoProgram(&s);
    adopt(std::make_unique<traceio::TraceModel>(std::move(r.trace)), s.name);
    return true;
  }
  auto t = std::make_unique<traceio::TraceModel>();
  if (!traceio::readTraceFile(file, t.get(), error)) return false;
  adopt(std::move(t), file);
  return true;
}

void Viewer::startLive(scenario::Scenario s) {
  live.reset();  // a previous live run finishes first
  std::string name = s.name;
  attachGoProgram(&s);
  live = std::make_unique<LiveRun>(std::move(s), /*paused=*/true);
  if (liveFreeRun_) live->gate().resume();
  adopt(live->startModel(), name);
  // Paused on event 0: the teacher starts it (README: the right arrow steps the engine).
  playing = false;
  replay->seek(0);
  holdAtStart_ = true;
  startHint = uiText(Ui::hintLiveStart, lang_);
  status = uiText(Ui::statusLive, lang_);
}

void Viewer::setLiveFreeRun(bool on) {
  liveFreeRun_ = on;
  if (!live) return;
  if (on)
    live->gate().resume();
  else
    live->gate().pause();
}

const char* Viewer::liveState(analysis::Lang l) const {
  if (!live) return uiText(Ui::liveNone, l);
  if (live->finished()) return uiText(Ui::liveFinished, l);
  if (!live->gate().paused()) return uiText(Ui::liveFree, l);
  return uiText(live->gate().waiting() ? Ui::liveStopped : Ui::liveWorking, l);
}

void Viewer::openCompareOfOutcomes() {
  std::vector<std::string> files;
  for (const char* name : {"read-before-data", "data-before-park", "event-while-wait"})
    files.push_back((fs::path(scenarioDir) / (std::string(name) + ".json")).string());
  std::string err;
  if (!openComparison(*this, files, kAlignRules[0].name, &err)) errorMessage = err;
}

// The Go program of the scenario being shown: from the scenario itself, or for a
// trace file from the scenario it names (scenarioDir/NAME.json).
void Viewer::attachGoProgram(const scenario::Scenario* s) {
  goProgram.reset();
  scenario::Scenario found;
  if (!s && trace && !trace->meta.scenario.empty() && !scenarioDir.empty()) {
    std::string file = (fs::path(scenarioDir) / (trace->meta.scenario + ".json")).string();
    std::string err;
    if (isScenarioFile(file) && scenario::loadScenarioFile(file, &found, &err) && found.name == trace->meta.scenario)
      s = &found;
  }
  if (s) goProgram = std::make_unique<gosource::GoProgram>(gosource::goProgram(*s, s->name + ".json"));
  goProgramFresh_ = s != nullptr && s != &found;
}

// ---- 2. each frame: a live run's events ---------------------------------------------------
void Viewer::followLive() {
  if (!live || !trace) return;
  // Measured before copying: at the newest event, the view moves on with the engine.
  bool atNewest = replay->cursor() == trace->events.size() && !holdAtStart_;
  if (live->refresh(*trace)) {
    rebuildDerived(atNewest);
    if (visibleStepPending_) {
      // "Next visible step" while live: stop on the first new event a view draws, else release another.
      bool found = false;
      for (size_t i = visibleStepFrom_; i < trace->events.size() && !found; ++i)
        if (isVisibleStep(i)) {
          replay->seek(i + 1);
          found = true;
        }
      visibleStepFrom_ = trace->events.size();
      if (found) visibleStepPending_ = false;
    }
  }
  if (visibleStepPending_ && replay->cursor() == trace->events.size() && live->gate().waiting() > 0 &&
      trace->events.size() == live->recorded())
    live->gate().step();
  if (live->finished()) {
    // The whole run: real goroutine names and the scenario's own checks.
    auto& r = live->result();
    size_t cursor = replay->cursor();
    bool atEnd = cursor == replay->size();
    std::string name = live->scenario().name;
    auto finalTrace = std::make_unique<traceio::TraceModel>(std::move(r.trace));
    status =
        r.ok ? std::string(uiText(Ui::statusFinishedOk, lang_))
             : fmt::format(fmt::runtime(uiText(Ui::statusFinishedBad, lang_)), r.failures.size(), r.failures.front());
    Selection keep = selection;
    live.reset();
    adopt(std::move(finalTrace), name);
    visibleStepPending_ = false;
    selection = keep;
    replay->seek(atEnd ? replay->size() : cursor);
  }
}

// ---- 3. stepping the engine ------------------------------------------------------------------
bool Viewer::engineGivesNext() {
  if (!live) return false;
  // Running freely, events arrive by themselves; paused, the next comes from the engine itself.
  if (live->gate().paused()) {
    live->gate().step();
    playAccumulator = 0;
  }
  return true;
}

bool Viewer::stepEngine() {
  return live && live->gate().step();
}

const std::vector<ScenarioEntry>& Viewer::scenarioList() {
  if (!scenarios.empty() || scenarioDir.empty()) return scenarios;
  std::error_code ec;
  for (const auto& de : fs::directory_iterator(scenarioDir, ec)) {
    if (de.path().extension() != ".json") continue;
    scenario::Scenario s;
    std::string err;
    if (!scenario::loadScenarioFile(de.path().string(), &s, &err) || s.serve) continue;
    scenarios.push_back({de.path().string(), s.name, {s.title.en, s.title.zh}});
  }
  std::sort(scenarios.begin(), scenarios.end(),
            [](const ScenarioEntry& a, const ScenarioEntry& b) { return a.name < b.name; });
  fontsDirty = fontsDirty || (chinese() && !scenarios.empty());  // their Chinese titles join the font atlas
  return scenarios;
}

// ---- 4. lesson slides' runs -------------------------------------------------------------------
bool Viewer::loadSlideRun(const std::string& file, std::string* error) {
  live.reset();
  return loadNow(file, error);
}

bool Viewer::runsAgain(const std::string& file) {
  return isScenarioFile(file);
}

}  // namespace pollscope::viz
