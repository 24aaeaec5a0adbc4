// The Viewer's player and lesson slides, the same on the desktop and in the
// browser. Where they meet the engine (a live run to follow, a scenario to run
// again) they call the engine-side hooks declared in viewer.hpp: viewer_live.cpp
// defines them on the desktop, viz/web/viewer_web.cpp in the page, which has no
// engine.
//
// Sections: 0. opening a file  1. each frame: a finished load, a live run, play
//           2. stepping forward  3. lesson slides
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "model/compare_run.hpp"
#include "model/file_kind.hpp"
#include "model/viewer.hpp"

namespace pollscope::viz {

// ---- 0. opening a file ------------------------------------------------------------------------
void Viewer::open(const std::string& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    errorMessage = file + ": " + (std::filesystem::exists(file, ec) ? "not a regular file" : "no such file");
    return;
  }
  path = file;
  recent.add(file);
  if (isLessonFile(file)) {
    std::string err;
    if (!openLesson(file, &err)) errorMessage = err;
    return;
  }
  status.clear();  // update() says "opened ..." unless opening says more
  openRun(file);
}

// ---- 1. each frame: a finished load, a live run, play --------------------------------------
void Viewer::update(double dt) {
  takeFinishedLoad();
  followLive();
  play(dt);
}

void Viewer::takeFinishedLoad() {
  if (!loader || !loader->done()) return;
  if (loader->error().empty()) {
    adopt(loader->takeDocument(), loader->path());
    replay->seek(0);
    // open() may have said more already (the page: "a scenario: replaying its golden trace").
    // A killed streamed run's file: loaded up to its last complete event, and said so.
    if (status.empty())
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

void Viewer::play(double dt) {
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
    // A live run's next events are still to come: wait for them, without saving up time.
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
      continue;
    }
    if (!engineGivesNext()) playing = false;  // the end of a finished document
    break;
  }
}

// ---- 2. stepping forward ------------------------------------------------------------------------
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
  } else if (stepEngine()) {
    status = uiText(Ui::statusOneStep, lang_);
  }
}

// ---- 3. lesson slides ------------------------------------------------------------------------
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
    if (isLessonFile(file)) {
      errorMessage = "lesson slide " + std::to_string(index + 1) + ": " + file +
                     " is a lesson; a slide's \"scenario\" must be a scenario or a trace";
      return;
    }
    if (!loadSlideRun(file, &err)) {
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
  for (int again = 0; !at && again < 4 && runsAgain(file); ++again) {
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
