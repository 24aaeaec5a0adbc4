// The viewer's document and player logic; drawing is in views/, and the methods
// that open scenarios or drive a live run (the engine's side) in viewer_live.cpp.
//
// Sections: 1. adopting a document  2. stepping, selection, the views' and player's
//           settings  3. classroom (toggles, fonts' texts, lessons)
#include "model/viewer.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "analysis/phase.hpp"
#include "analysis/sequence.hpp"
#include "gosource/go_lines.hpp"
#include "model/compare_run.hpp"
#include "trace/fields.hpp"
#include "trace/vocabulary.hpp"

namespace pollscope::viz {
namespace fs = std::filesystem;

// ---- 1. adopting a document ---------------------------------------------------------------
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
  threads.reset();
  story.clear();
  bookmarks.clear();
  selection = {};
  selectDefaults();
  if (!goProgramFresh_) attachGoProgram(nullptr);  // a scenario just opened has attached its own
  goProgramFresh_ = false;
}

int Viewer::currentGoLine() const {
  if (!goProgram || !trace || !replay || replay->cursor() == 0) return 0;
  size_t index = replay->cursor() - 1;
  if (selection.event && *selection.event + 1 == replay->cursor()) index = *selection.event;
  return gosource::goLineAt(*goProgram, *trace, index);
}

void Viewer::rebuildDerived(bool followNewest) {
  size_t cursor = replay ? replay->cursor() : 0;
  bool atEnd = followNewest;
  replay = std::make_unique<Replay>(*trace);
  sequence = std::make_unique<SequenceLayout>(*trace, chinese());
  timeline.reset();
  threads.reset();
  replay->seek(atEnd ? replay->size() : cursor);  // at the newest event: stay with the newest
  if (!selection.pd) selectDefaults();
}

// ---- 2. stepping, selection, settings ------------------------------------------------------------

void Viewer::stepBack() {
  holdAtStart_ = false;
  if (compare)
    compare->step(-1);
  else if (replay)
    replay->stepBack();
}

bool Viewer::isVisibleStep(size_t index) const {
  if (!trace || index >= trace->events.size()) return false;
  const trace::Event& e = trace->events[index];
  // An rg/wg transition or a park result is drawn by the state view even when the
  // sequence view folds it into another message (pollReset, the commit).
  if (e.kind == trace::Kind::sem || e.kind == trace::Kind::park) return true;
  if (!sequence) return false;
  for (size_t r = sequence->rowOfEvent(index); r < sequence->rowCount() && sequence->row(r).event == index; ++r) {
    auto type = sequence->row(r).type();
    if (type == analysis::SeqItem::Type::message || type == analysis::SeqItem::Type::reply ||
        type == analysis::SeqItem::Type::note)
      return true;
  }
  return false;
}

void Viewer::stepVisible() {
  if (!replay) return;
  startHint.clear();
  holdAtStart_ = false;
  while (replay->cursor() < replay->size()) {
    replay->stepForward();
    if (isVisibleStep(replay->cursor() - 1)) {
      visibleStepPending_ = false;
      return;
    }
  }
  // At the newest event of a live run: the engine goes on until it records one
  // (update() keeps releasing it).
  if (live && !liveFreeRun_) {
    visibleStepPending_ = true;
    visibleStepFrom_ = replay->size();
    stepForward();
  }
}

void Viewer::stepVisibleBack() {
  if (!replay) return;
  while (replay->cursor() > 0) {
    replay->stepBack();
    if (replay->cursor() == 0 || isVisibleStep(replay->cursor() - 1)) return;
  }
}

void Viewer::seek(size_t cursor) {
  holdAtStart_ = false;
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
  if (auto gs = trace::as<trace::Kind::gStatus>(e)) selection.goroutine = gs->goid();  // the G it is about
  if (!e.g && e.kind == trace::Kind::park)  // park_m runs on g0: the G is the one that just went _Gwaiting
    for (size_t i = index; i-- > 0 && index - i < 256;)
      if (auto g = trace::as<trace::Kind::gStatus>(trace->events[i]); g && g->to() == trace::GStatus::Gwaiting) {
        selection.goroutine = g->goid();
        break;
      }
}

void Viewer::showingView(View shown) {
  view = shown;
  if (requestedView == shown) requestedView.reset();
}

const ThreadLanesModel& Viewer::threadLanesModel() {
  if (!threads || threads->events != trace->events.size())
    threads = std::make_unique<ThreadLanesModel>(buildThreadLanes(*trace));
  return *threads;
}

const std::vector<Lane>& Viewer::timelineLanes() {
  if (!timeline) timeline = std::make_unique<std::vector<Lane>>(buildTimeline(*trace));
  return *timeline;
}

void Viewer::setZoom(float z) {
  zoom = std::clamp(z, kMinZoom, kMaxZoom);
}

void Viewer::toggleGroup(int group) {
  if (!collapsedGroups.erase(group)) collapsedGroups.insert(group);
}

void Viewer::setRealTime(bool on) {
  if (on == realTime) return;
  realTime = on;
  playAccumulator = 0;
}

void Viewer::removeBreakpoint(size_t i) {
  if (i < breakpoints.size()) breakpoints.erase(breakpoints.begin() + static_cast<std::ptrdiff_t>(i));
}

void Viewer::setBreakpointEnabled(size_t i, bool on) {
  if (i < breakpoints.size()) breakpoints[i].enabled = on;
}

bool Viewer::takeOpenDialogRequest() {
  bool asked = openDialog;
  openDialog = false;
  return asked;
}

bool Viewer::takeSaveDialogRequest() {
  bool asked = saveDialog;
  saveDialog = false;
  return asked;
}

}  // namespace pollscope::viz

// ---- 3. classroom --------------------------------------------------------------------------
namespace pollscope::viz {

void Viewer::setPresenter(bool on) {
  if (on == presenter_) return;
  presenter_ = on;
  fitToScreen_ = on;  // in front of a class every lifeline must be on screen
  fontsDirty = true;  // the presenter's fonts are 1.6x
}

void Viewer::revealNextAnswer() {
  size_t n = lesson ? lesson->questions.size() : 0;
  if (showAnswers_ || answersShown_ >= n) {
    showAnswers_ = false;  // all shown: A hides them again
    answersShown_ = 0;
  } else {
    ++answersShown_;
  }
}

bool Viewer::offSlide() const {
  return lesson && slide < lesson->slides.size() && slideCursor && replay && replay->cursor() != *slideCursor;
}

void Viewer::backToSlide() {
  if (offSlide()) goToSlide(slide);
}

void Viewer::setTheme(Theme t) {
  if (t == theme_) return;
  theme_ = t;
  themeDirty = true;
}

void Viewer::setFontScale(float scale) {
  scale = std::clamp(scale, kMinFontScale, kMaxFontScale);
  if (scale == fontScale_) return;
  fontScale_ = scale;
  fontsDirty = true;
}

void Viewer::setLanguage(analysis::Lang l) {
  if (l == lang_) return;
  lang_ = l;
  if (trace) {
    sequence = std::make_unique<SequenceLayout>(*trace, chinese());
    title = chinese() && !trace->meta.titleZh.empty() ? trace->meta.titleZh : trace->meta.titleEn;
  }
  if (compare)
    for (auto& p : compare->panes) p.viewer->setLanguage(l);
  fontsDirty = true;
}

std::vector<std::string> Viewer::chineseTexts() const {
  std::vector<std::string> out;
  if (!chinese()) return out;
  out.push_back(title);
  for (int p = 0; p < analysis::kPhaseCount; ++p)
    out.emplace_back(analysis::phaseName(static_cast<analysis::Phase>(p), true));
  // Every word of the viewer's own controls (model/ui_text.hpp).
  for (const UiText& row : kUiTexts) {
    out.emplace_back(row.zh);
    if (row.id == Ui::bpChoices)  // a combo's items, separated by NULs
      for (const char* item = row.zh; *item; item += std::strlen(item) + 1) out.emplace_back(item);
  }
  for (auto& words : analysis::sequenceChineseTexts()) out.push_back(std::move(words));  // the diagram's labels
  for (const auto& s : scenarios) out.push_back(s.title.zh);  // the scenario list, once it was opened
  for (const auto& l : lessons) out.push_back(l.title.zh);
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
  if (compare)
    for (const auto& p : compare->panes) {
      auto more = p.viewer->chineseTexts();
      out.insert(out.end(), more.begin(), more.end());
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
    if (loadLesson(de.path().string(), &l, &err)) lessons.push_back({de.path().string(), name, l.title});
  }
  std::sort(lessons.begin(), lessons.end(),
            [](const ScenarioEntry& a, const ScenarioEntry& b) { return a.path < b.path; });
  fontsDirty = fontsDirty || (chinese() && !lessons.empty());  // their Chinese titles join the font atlas
  return lessons;
}

}  // namespace pollscope::viz
