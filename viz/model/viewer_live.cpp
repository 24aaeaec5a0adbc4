// The Viewer's methods on the engine's side: opening scenarios (run at once or
// live), each frame's copy of a live run's events, stepping the engine, the
// live run's free run, and lesson slides (which run their scenarios). The rest
// of the Viewer is in viewer.cpp and links no engine.
//
// Sections: 1. opening files and live runs  2. each frame: loads, live events, play
//           3. stepping  4. lesson slides
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "model/compare_run.hpp"
#include "model/live_run.hpp"
#include "model/viewer.hpp"
#include "scenario/scenario.hpp"
#include "trace/fields.hpp"
#include "trace/regular_file.hpp"
#include "traceio/json.hpp"

namespace pollscope::viz {
namespace fs = std::filesystem;

namespace {
// Scenario and lesson files say so in their first bytes ("format": "pollscope-scenario").
// Only regular files are sniffed: reading a FIFO here would block the window (the
// loader that opens the file next reports what it really is).
bool looksLike(const std::string& path, const char* format) {
  size_t size = 0;
  int fd = trace::openRegularFile(path, &size, nullptr);
  if (fd < 0) return false;
  std::string head(std::min<size_t>(size, 512), '\0');
  ssize_t n = ::pread(fd, head.data(), head.size(), 0);
  ::close(fd);
  head.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return head.find(format) != std::string::npos;
}
bool looksLikeScenario(const std::string& path) {
  return looksLike(path, "pollscope-scenario");
}

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
void Viewer::open(const std::string& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    errorMessage = file + ": " + (fs::exists(file, ec) ? "not a regular file" : "no such file");
    return;
  }
  path = file;
  recent.add(file);
  if (looksLike(file, "pollscope-lesson")) {
    std::string err;
    if (!openLesson(file, &err)) errorMessage = err;
    return;
  }
  if (looksLikeScenario(file)) {
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
  if (looksLike(file, "pollscope-lesson")) return openLesson(file, error);
  if (looksLikeScenario(file)) {
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
    if (looksLikeScenario(file) && scenario::loadScenarioFile(file, &found, &err) && found.name == trace->meta.scenario)
      s = &found;
  }
  if (s) goProgram = std::make_unique<gosource::GoProgram>(gosource::goProgram(*s, s->name + ".json"));
  goProgramFresh_ = s != nullptr && s != &found;
}

// ---- 2. each frame: loads, live events, play ---------------------------------------------
void Viewer::update(double dt) {
  if (loader && loader->done()) {
    if (loader->error().empty()) {
      adopt(loader->takeDocument(), loader->path());
      replay->seek(0);
      // A killed streamed run's file: loaded up to its last complete event, and said so.
      status = trace->meta.cut.empty()
                   ? fmt::format(fmt::runtime(uiText(Ui::statusOpened, lang_)), loader->path())
                   : fmt::format(fmt::runtime(uiText(Ui::statusOpenedCut, lang_)), loader->path(), trace->meta.cut);
    } else if (loader->error() != "cancelled") {
      errorMessage = loader->error();
    } else {
      status = fmt::format(fmt::runtime(uiText(Ui::statusCancelled, lang_)), loader->path());
    }
    loader.reset();
  }
  if (live && trace) {
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
  if (compare && playing) {
    // Side by side: the panes move together, one event each per tick.
    compare->playAccumulator += dt * speed;
    while (compare->playAccumulator >= 1.0) {
      compare->playAccumulator -= 1.0;
      if (compare->offset >= compare->maxOffset()) {
        playing = false;
        break;
      }
      compare->step(1);
    }
    return;
  }
  if (!playing || !replay) return;
  if (realTime) {
    // Trace time runs at `speed` milliseconds per second of wall time.
    playAccumulator += dt * speed * 1e6;  // ns of trace time now due
    while (replay->cursor() < replay->size()) {
      const auto& next = trace->events[replay->cursor()];
      int64_t prevTs = replay->cursor() ? trace->events[replay->cursor() - 1].ts : next.ts;
      double gap = static_cast<double>(next.ts - prevTs);
      if (playAccumulator < gap) break;
      playAccumulator -= gap;
      replay->stepForward();
      if (hitsAny(breakpoints, next)) {
        playing = false;
        status = uiText(Ui::statusBreakpoint, lang_);
        return;
      }
    }
    if (replay->cursor() == replay->size() && !live) playing = false;
    if (live) playAccumulator = std::min(playAccumulator, 1e9);
    return;
  }
  playAccumulator += dt * speed;
  while (playAccumulator >= 1.0) {
    playAccumulator -= 1.0;
    if (replay->cursor() < replay->size()) {
      replay->stepForward();
      if (hitsAny(breakpoints, *replay->current())) {
        playing = false;
        status = fmt::format(fmt::runtime(uiText(Ui::statusBreakpointAt, lang_)), replay->cursor());
        return;
      }
    } else if (live && !live->gate().paused()) {
      break;  // running freely: events arrive by themselves
    } else if (live) {
      live->gate().step();  // the next event comes from the engine itself
      playAccumulator = 0;
      break;
    } else {
      playing = false;
      break;
    }
  }
}

// ---- 3. stepping ----------------------------------------------------------------------------
void Viewer::stepForward() {
  if (compare) {
    compare->step(1);
    return;
  }
  if (!replay) return;
  startHint.clear();
  holdAtStart_ = false;
  if (replay->cursor() < replay->size()) {
    replay->stepForward();
  } else if (live && live->gate().step()) {
    status = uiText(Ui::statusOneStep, lang_);
  }
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

// ---- 4. lesson slides ------------------------------------------------------------------------
void Viewer::goToSlide(size_t index) {
  if (!lesson) return;
  // One past the last slide: the questions.
  index = std::min(index, lesson->slides.size());
  slide = index;
  if (index == lesson->slides.size()) {
    compare.reset();  // the questions page
    return;
  }
  const Slide& s = lesson->slides[index];
  if (!s.compare.empty()) {
    // Runs side by side, aligned and stepped together (model/compare_run.hpp).
    std::vector<std::string> files;
    for (const auto& name : s.compare) files.push_back(scenarioPathFor(*lesson, name, scenarioDir));
    std::string err;
    if (!openComparison(*this, files, s.align, &err)) {
      errorMessage = "lesson slide " + std::to_string(index + 1) + ": " + err;
      return;
    }
    compare->seekOffset(s.alignOffset);
    requestedView = viewNamed(s.view).value_or(View::state);
    return;
  }
  compare.reset();
  std::string file = scenarioPathFor(*lesson, s, scenarioDir);
  slideWarning.clear();
  if (file != currentLessonScenario) {
    std::string err;
    // A slide runs a scenario or shows a trace. A lesson here would open a lesson from
    // inside this one (itself, or A -> B -> A) and recurse without end, replacing the
    // lesson this slide belongs to on the way.
    if (looksLike(file, "pollscope-lesson")) {
      errorMessage = "lesson slide " + std::to_string(index + 1) + ": " + file +
                     " is a lesson; a slide's \"scenario\" must be a scenario or a trace";
      return;
    }
    live.reset();
    if (!loadNow(file, &err)) {
      errorMessage = "lesson slide " + std::to_string(index + 1) + ": " + err;
      return;
    }
    currentLessonScenario = file;
    // Every slide on this run becomes a bookmark: the scrubber shows where the lesson stops.
    for (size_t i = 0; i < lesson->slides.size(); ++i) {
      const Slide& other = lesson->slides[i];
      if (scenarioPathFor(*lesson, other, scenarioDir) != file) continue;
      if (auto c = resolveAnchor(*trace, other.at, nullptr))
        bookmarks.toggle(*c, "slide " + std::to_string(i + 1) + ": " + other.title.in(chinese()));
    }
  }
  std::string err;
  auto at = resolveAnchor(*trace, s.at, &err);
  // A real run is timed by the kernel: a race the slide shows may not have happened
  // in this one. Run the scenario again (a few milliseconds), as a teacher would.
  for (int again = 0; !at && again < 4 && looksLikeScenario(file); ++again) {
    std::string loadErr;
    if (!loadNow(file, &loadErr)) break;
    at = resolveAnchor(*trace, s.at, &err);
  }
  if (!at) {
    // The lesson promises an event the run does not have: show the start, and say so
    // where a teacher checking lessons will see it (the app prints it, and exits
    // non-zero when it takes pictures).
    slideWarning = "lesson slide " + std::to_string(index + 1) + ": " + err + "; showing the start of the run";
    status = slideWarning;
    at = 0;
  }
  playing = false;
  if (*at > 0)
    selectEvent(*at - 1);
  else
    seek(0);
  slideCursor = *at;
  if (s.threads) setThreadLanes(*s.threads);
  requestedView = viewNamed(s.view).value_or(View::sequence);  // loadLesson checked the name
  if (!s.code.empty()) {  // the slide shows the engine's C++ or the scenario's Go program
    setShowCode(true);
    setShowGo(s.code == "go");
  }
}

}  // namespace pollscope::viz
