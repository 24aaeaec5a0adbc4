// The viewer's document and player logic; drawing is in views/.
//
// Sections: 1. opening files and live runs  2. each frame: loads, live events, play
//           3. stepping and selection  4. classroom (language, fonts' texts, lessons)
#include "app/viewer.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "analysis/phase.hpp"
#include "scenario/scenario.hpp"
#include "trace/fields.hpp"
#include "traceio/json.hpp"

namespace pollscope::viz {
namespace fs = std::filesystem;

namespace {
// Scenario and lesson files say so in their first bytes ("format": "pollscope-scenario").
bool looksLike(const std::string& path, const char* format) {
  std::ifstream in(path, std::ios::binary);
  std::string head(512, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
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
  live = std::make_unique<LiveRun>(std::move(s), /*paused=*/true);
  if (liveFreeRun) live->gate().resume();
  adopt(live->startModel(), name);
  playing = true;  // the engine advances at the player's speed
  status = "live: the engine stops after every event; the player lets it go on";
}

void Viewer::adopt(std::unique_ptr<traceio::TraceModel> t, std::string name) {
  Document d;
  d.trace = std::move(t);
  d = prepareDocument(std::move(d.trace));
  adopt(std::move(d), std::move(name));
}

void Viewer::adopt(Document d, std::string name) {
  trace = std::move(d.trace);
  replay = std::move(d.replay);
  sequence = std::move(d.sequence);
  title = trace->meta.titleEn.empty() ? name : trace->meta.titleEn;
  if (chinese()) {
    if (!trace->meta.titleZh.empty()) title = trace->meta.titleZh;
    sequence = std::make_unique<SequenceLayout>(*trace, true);  // scenario notes in Chinese
    fontsDirty = true;                                          // this trace's Chinese glyphs
  }
  timeline.reset();
  bookmarks.clear();
  selection = {};
  selectDefaults();
}

void Viewer::rebuildDerived(bool followNewest) {
  size_t cursor = replay ? replay->cursor() : 0;
  bool atEnd = followNewest;
  replay = std::make_unique<Replay>(*trace);
  sequence = std::make_unique<SequenceLayout>(*trace, chinese());
  timeline.reset();
  replay->seek(atEnd ? replay->size() : cursor);  // at the newest event: stay with the newest
  if (!selection.pd) selectDefaults();
}

// ---- 2. each frame: loads, live events, play ---------------------------------------------
void Viewer::update(double dt) {
  if (loader && loader->done()) {
    if (loader->error().empty()) {
      adopt(loader->takeDocument(), loader->path());
      replay->seek(0);
      status = "opened " + loader->path();
    } else if (loader->error() != "cancelled") {
      errorMessage = loader->error();
    } else {
      status = "cancelled opening " + loader->path();
    }
    loader.reset();
  }
  if (live && trace) {
    // Measured before copying: at the newest event, the view moves on with the engine.
    bool atNewest = replay->cursor() == trace->events.size();
    if (live->refresh(*trace)) rebuildDerived(atNewest);
    if (live->finished()) {
      // The whole run: real goroutine names and the scenario's own checks.
      auto& r = live->result();
      size_t cursor = replay->cursor();
      bool atEnd = cursor == replay->size();
      std::string name = live->scenario().name;
      auto finalTrace = std::make_unique<traceio::TraceModel>(std::move(r.trace));
      status = r.ok ? "live run finished: every check of the scenario passed"
                    : "live run finished with " + std::to_string(r.failures.size()) +
                          " failed check(s): " + r.failures.front();
      Selection keep = selection;
      live.reset();
      adopt(std::move(finalTrace), name);
      selection = keep;
      replay->seek(atEnd ? replay->size() : cursor);
    }
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
        status = "stopped at a breakpoint";
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
        status = "stopped at a breakpoint: " + std::to_string(replay->cursor());
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

// ---- 3. stepping and selection ------------------------------------------------------------
void Viewer::stepForward() {
  if (!replay) return;
  if (replay->cursor() < replay->size()) {
    replay->stepForward();
  } else if (live && live->gate().step()) {
    status = "live: the engine took one step";
  }
}

void Viewer::stepBack() {
  if (replay) replay->stepBack();
}

void Viewer::seek(size_t cursor) {
  if (replay) replay->seek(cursor);
}

void Viewer::selectDefaults() {
  for (const auto& e : trace->events)
    if (auto s = trace::as<trace::Kind::sem>(e); s && s->by() == trace::SemBy::blockCommit) {
      selection.pd = s->pd();
      selection.mode = static_cast<char>(s->mode());
      selection.goroutine = s->toG();
      return;
    }
}

void Viewer::selectEvent(size_t index) {
  if (!trace || index >= trace->events.size()) return;
  const trace::Event& e = trace->events[index];
  seek(index + 1);
  selection.event = index;
  if (auto pd = trace::fieldValue(e, "pd"); pd && *pd) selection.pd = *pd;
  if (auto mode = trace::fieldValue(e, "mode"); mode && (*mode == 'r' || *mode == 'w'))
    selection.mode = static_cast<char>(*mode);
  if (e.g) selection.goroutine = e.g;
}

const std::vector<ScenarioEntry>& Viewer::scenarioList() {
  if (!scenarios.empty() || scenarioDir.empty()) return scenarios;
  std::error_code ec;
  for (const auto& de : fs::directory_iterator(scenarioDir, ec)) {
    if (de.path().extension() != ".json") continue;
    scenario::Scenario s;
    std::string err;
    if (!scenario::loadScenarioFile(de.path().string(), &s, &err) || s.serve) continue;
    scenarios.push_back({de.path().string(), s.name, s.title.en});
  }
  std::sort(scenarios.begin(), scenarios.end(),
            [](const ScenarioEntry& a, const ScenarioEntry& b) { return a.name < b.name; });
  return scenarios;
}

}  // namespace pollscope::viz

// ---- 4. classroom --------------------------------------------------------------------------
namespace pollscope::viz {

void Viewer::setLanguage(analysis::Lang l) {
  if (l == lang) return;
  lang = l;
  if (trace) {
    sequence = std::make_unique<SequenceLayout>(*trace, chinese());
    title = chinese() && !trace->meta.titleZh.empty() ? trace->meta.titleZh : trace->meta.titleEn;
  }
  fontsDirty = true;
}

std::vector<std::string> Viewer::chineseTexts() const {
  std::vector<std::string> out;
  if (!chinese()) return out;
  out.push_back(title);
  for (int p = 0; p < analysis::kPhaseCount; ++p)
    out.emplace_back(analysis::phaseName(static_cast<analysis::Phase>(p), true));
  out.emplace_back(kChineseUiText);
  if (trace) {
    out.push_back(trace->meta.descriptionZh);
    for (const auto& st : trace->steps) out.push_back(st.sayZh);
    // One narration per distinct wording: events that differ only in their
    // numbers (fds, counts, times) are told with the same characters.
    std::set<std::vector<int64_t>> told;
    for (const auto& e : trace->events) {
      std::vector<int64_t> key{static_cast<int64_t>(e.kind)};
      for (trace::FieldValue f : trace::fieldsOf(e))
        if (trace::isEnumType(f.spec.type) || f.spec.type == trace::FieldType::Bool) key.push_back(f.raw);
      if (auto s = trace::as<trace::Kind::step>(e)) key.push_back(s->step());  // each step has its own line
      if (told.insert(std::move(key)).second) out.push_back(analysis::narrate(*trace, e, analysis::Lang::zh, true));
    }
  }
  if (lesson) {
    out.push_back(lesson->title.zh);
    out.push_back(lesson->summary.zh);
    for (const auto& s : lesson->slides) {
      out.push_back(s.title.zh);
      out.push_back(s.text.zh);
    }
    for (const auto& q : lesson->questions) {
      out.push_back(q.q.zh);
      out.push_back(q.a.zh);
    }
  }
  return out;
}

bool Viewer::openLesson(const std::string& file, std::string* error) {
  auto l = std::make_unique<Lesson>();
  if (!loadLesson(file, l.get(), error)) return false;
  lesson = std::move(l);
  slide = SIZE_MAX;
  currentLessonScenario.clear();
  goToSlide(0);
  fontsDirty = true;
  return true;
}

const std::vector<ScenarioEntry>& Viewer::lessonList() {
  if (!lessons.empty() || lessonDir.empty()) return lessons;
  std::error_code ec;
  for (const auto& de : fs::directory_iterator(lessonDir, ec)) {
    if (de.path().string().find(".lesson.json") == std::string::npos) continue;
    Lesson l;
    std::string err;
    std::string name = de.path().filename().string();
    name = name.substr(0, name.find(".lesson.json"));
    if (loadLesson(de.path().string(), &l, &err)) lessons.push_back({de.path().string(), name, l.title.en});
  }
  std::sort(lessons.begin(), lessons.end(),
            [](const ScenarioEntry& a, const ScenarioEntry& b) { return a.path < b.path; });
  return lessons;
}

void Viewer::goToSlide(size_t index) {
  if (!lesson) return;
  // One past the last slide: the questions.
  index = std::min(index, lesson->slides.size());
  slide = index;
  if (index == lesson->slides.size()) return;
  const Slide& s = lesson->slides[index];
  std::string file = scenarioPathFor(*lesson, s, scenarioDir);
  if (file != currentLessonScenario) {
    std::string err;
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
  if (!at) {
    status = "slide " + std::to_string(index + 1) + ": " + err;
    at = 0;
  }
  playing = false;
  if (*at > 0)
    selectEvent(*at - 1);
  else
    seek(0);
  requestedView = s.view == "state"      ? View::state
                  : s.view == "timeline" ? View::timeline
                  : s.view == "table"    ? View::table
                                         : View::sequence;
}

}  // namespace pollscope::viz
