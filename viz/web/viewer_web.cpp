// The Viewer's methods that, on the desktop, open scenarios and drive live runs
// (model/viewer_live.cpp). A browser has no engine (its threads, epoll and real
// sockets do not exist there), so here a scenario is replaced by its golden trace
// (what the engine recorded for it), traces load on the calling thread (the page
// is built without threads) and nothing runs live. Everything else the Viewer
// does is viewer.cpp, shared with the desktop.
//
// Sections: 1. golden traces for scenarios  2. opening files  3. each frame
//           4. lesson slides
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "model/compare_run.hpp"
#include "model/viewer.hpp"
#include "trace/regular_file.hpp"
#include "traceio/json.hpp"

namespace pollscope::viz {
namespace fs = std::filesystem;

// No LiveRun is ever made in a browser: `live` stays empty. This is the whole
// class in the web program (the desktop's is model/live_run.hpp).
class LiveRun {};

namespace {
// Scenario and lesson files say so in their first bytes ("format": "pollscope-scenario").
bool looksLike(const std::string& path, const char* format) {
  std::string err;
  size_t size = 0;
  int fd = trace::openRegularFile(path, &size, &err);
  if (fd < 0) return false;
  std::string head(std::min<size_t>(size, 512), '\0');
  ssize_t n = ::pread(fd, head.data(), head.size(), 0);
  ::close(fd);
  head.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return head.find(format) != std::string::npos;
}

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
void Viewer::open(const std::string& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    errorMessage = file + ": " + (fs::exists(file, ec) ? "not a regular file" : "no such file");
    return;
  }
  path = file;
  if (looksLike(file, "pollscope-lesson")) {
    std::string err;
    if (!openLesson(file, &err)) errorMessage = err;
    return;
  }
  std::string toRead = file;
  status.clear();  // update() says "opened ..." unless this says more
  if (looksLike(file, "pollscope-scenario")) {
    toRead = goldenTraceFor(file, scenarioDir);
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
  if (looksLike(file, "pollscope-lesson")) return openLesson(file, error);
  // A scenario, or a lesson slide's scenario named by a path that is not in the
  // page (scenarioPathFor() looks in scenarioDir): its golden trace.
  std::error_code ec;
  std::string golden = goldenTraceFor(file, scenarioDir);
  bool scenario = looksLike(file, "pollscope-scenario") || (!fs::exists(file, ec) && fs::is_regular_file(golden, ec));
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

// ---- 3. each frame: a finished load, play ---------------------------------------------------
// As viewer_live.cpp's update() with no live run to follow.
void Viewer::update(double dt) {
  if (loader && loader->done()) {
    if (loader->error().empty()) {
      adopt(loader->takeDocument(), loader->path());
      replay->seek(0);
      if (status.empty())
        status = trace->meta.cut.empty()
                     ? fmt::format(fmt::runtime(uiText(Ui::statusOpened, lang_)), loader->path())
                     : fmt::format(fmt::runtime(uiText(Ui::statusOpenedCut, lang_)), loader->path(), trace->meta.cut);
    } else if (loader->error() != "cancelled") {
      errorMessage = loader->error();
    }
    loader.reset();
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
    playAccumulator += dt * speed * 1e6;
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
    if (replay->cursor() == replay->size()) playing = false;
    return;
  }
  playAccumulator += dt * speed;
  while (playAccumulator >= 1.0) {
    playAccumulator -= 1.0;
    if (replay->cursor() == replay->size()) {
      playing = false;
      break;
    }
    replay->stepForward();
    if (hitsAny(breakpoints, *replay->current())) {
      playing = false;
      status = fmt::format(fmt::runtime(uiText(Ui::statusBreakpointAt, lang_)), replay->cursor());
      return;
    }
  }
}

void Viewer::stepForward() {
  if (compare) {
    compare->step(1);
    return;
  }
  startHint.clear();
  holdAtStart_ = false;
  if (replay && replay->cursor() < replay->size()) replay->stepForward();
}

// ---- 4. lesson slides ------------------------------------------------------------------------
// As viewer_live.cpp's goToSlide(); loadNow() gives a slide's scenario as its golden trace.
void Viewer::goToSlide(size_t index) {
  if (!lesson) return;
  index = std::min(index, lesson->slides.size());  // one past the last slide: the questions
  slide = index;
  if (index == lesson->slides.size()) {
    compare.reset();  // the questions page
    return;
  }
  const Slide& s = lesson->slides[index];
  if (!s.compare.empty()) {
    // Runs side by side (model/compare_run.hpp), each from its golden trace.
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
    if (looksLike(file, "pollscope-lesson")) {  // a lesson inside a lesson would recurse
      errorMessage = "lesson slide " + std::to_string(index + 1) + ": " + file +
                     " is a lesson; a slide's \"scenario\" must be a scenario or a trace";
      return;
    }
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
  if (!at) {
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
}

}  // namespace pollscope::viz
