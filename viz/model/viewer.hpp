// The viewer's state: the open document (a trace file, or a scenario running
// live), its replay and layouts, the selection shared by every view, the player
// (speed, breakpoints, bookmarks), the classroom's toggles and the window's
// requests. No ImGui, no GL: views/ draw it and change it through its methods;
// app/ owns the window, the fonts and the pictures.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analysis/explain.hpp"
#include "gosource/go_program.hpp"
#include "model/breakpoints.hpp"
#include "model/drawn_facts.hpp"
#include "model/language_table.hpp"
#include "model/lesson.hpp"
#include "model/recent_files.hpp"
#include "model/replay.hpp"
#include "model/sequence_layout.hpp"
#include "model/story_line.hpp"
#include "model/theme_table.hpp"
#include "model/thread_lanes.hpp"
#include "model/timeline.hpp"
#include "model/trace_loader.hpp"
#include "model/ui_text.hpp"
#include "model/view_table.hpp"
#include "traceio/trace_model.hpp"

namespace pollscope::scenario {
struct Scenario;
}

namespace pollscope::viz {

class LiveRun;      // model/live_run.hpp: it runs the engine, so only viewer_live.cpp sees it
struct Comparison;  // model/compare_run.hpp: runs side by side, each pane a Viewer

// What is selected; every view shows it and every view can change it.
struct Selection {
  int64_t pd = 0;  // 0: none
  char mode = 'r';
  int64_t goroutine = 0;        // 0: none
  std::optional<size_t> event;  // an event picked in a view (details panel); none: the current one
};

struct ScenarioEntry {
  std::string path, name;
  LessonText title;  // English and Chinese
};

// Its methods are in viewer.cpp and viewer_play.cpp (the player and lesson
// slides), except those that open scenarios or drive a live run (the engine's
// side): viewer_live.cpp on the desktop, viz/web/viewer_web.cpp in the browser.
struct Viewer {
  Viewer();
  ~Viewer();
  Viewer(const Viewer&) = delete;
  Viewer& operator=(const Viewer&) = delete;

  // ---- the document
  std::string title, path;
  std::unique_ptr<traceio::TraceModel> trace;
  std::unique_ptr<Replay> replay;
  std::unique_ptr<SequenceLayout> sequence;
  std::unique_ptr<std::vector<Lane>> timeline;  // built the first time the view is shown: timelineLanes()
  std::unique_ptr<ThreadLanesModel> threads;    // M lanes, rebuilt when the trace grows: threadLanesModel()
  std::unique_ptr<LiveRun> live;                // a scenario running now
  std::unique_ptr<TraceLoader> loader;          // a trace being read in the background
  // The Go program behind the document's scenario (the code panel's Go tab); none
  // when the trace names no scenario the viewer can find (viewer_live.cpp).
  std::unique_ptr<gosource::GoProgram> goProgram;
  std::unique_ptr<Comparison> compare;  // 2 or 3 runs side by side (--compare), drawn instead of the trace
  StoryIndex story;                     // the scenario's step notes by event (the presenter's caption)

  // ---- views and selection
  Selection selection;
  View view = View::sequence;
  std::optional<View> requestedView;  // select this tab on the next frame
  float zoom = 1.f;                   // sequence view
  std::set<int> collapsedGroups;      // analysis::SeqGroup values folded to one column
  std::string tableFilter;            // event table search text
  DrawnFacts drawn;                   // what the views put on screen this frame (--screenshot prints it)

  // ---- player
  bool playing = false;
  float speed = 4.f;      // events per second, or trace milliseconds per second in real time
  bool realTime = false;  // pace by the trace's own clock
  double playAccumulator = 0;
  std::vector<Breakpoint> breakpoints;
  Bookmarks bookmarks;

  // ---- classroom (the toggles are private below: each changes through its method)
  bool fontsDirty = true;          // the app rebuilds the font atlas before the next frame
  bool themeDirty = true;          // the app applies theme()'s colours before the next frame
  bool fullscreenToggle = false;   // the app switches the window to or from full screen
  bool ttfFonts = false;           // the app's fonts are TTF faces (not ImGui's built-in bitmap font)
  bool cjkFonts = false;           // the fonts have the Chinese glyphs of the texts on screen
  std::string fontNote;            // a missing font, said once in the status line
  std::unique_ptr<Lesson> lesson;  // a lesson being followed
  size_t slide = 0;
  std::string currentLessonScenario;      // the scenario file the current trace ran
  std::string lessonDir;                  // where the lesson menu looks
  std::vector<ScenarioEntry> lessons;     // filled the first time the menu opens
  std::optional<std::string> pngRequest;  // the app saves a PNG at presentation size ("" names it itself)
  std::optional<std::string> gifRequest;  // the app saves an animated GIF of the lesson or the run ("" names it)
  bool drawingHandout = false;            // this frame is a picture: diagrams, caption and phase strip, no controls

  // ---- window
  std::string status;        // the last action's message
  std::string errorMessage;  // non-empty: the error dialog shows it
  std::string slideWarning;  // non-empty: the current slide's event is not in its run
  RecentFiles recent{RecentFiles::defaultStorePath()};
  std::string scenarioDir;               // where the scenario picker looks
  std::vector<ScenarioEntry> scenarios;  // filled the first time the picker opens
  bool openDialog = false;               // File > Open requested
  // --open-menu: this menu is drawn open, as a click would open it, so a screenshot
  // shows its items ("view", "file/run": a submenu opens its parents too).
  std::string openMenu;
  // Non-empty where the engine is not compiled in (the web page): why nothing runs
  // live there. scenarioList() then lists the scenarios' golden traces to replay.
  std::string noLiveRuns;
  bool saveDialog = false;  // Save view requested

  // Opens a file the way a user asked for it: a trace loads in the background,
  // a scenario starts running live. Errors go to the error dialog.
  void open(const std::string& file);
  // Loads at once (tests, screenshots): a trace, or a scenario run to its end.
  bool loadNow(const std::string& file, std::string* error);
  void startLive(scenario::Scenario s);
  // File > Compare: read-before-data, data-before-park and event-while-wait from
  // the scenario folder side by side, aligned on the read's first EAGAIN.
  void openCompareOfOutcomes();
  void adopt(std::unique_ptr<traceio::TraceModel> t, std::string name);
  void adopt(Document d, std::string name);

  // Once per frame: takes a finished background load, copies live events, plays.
  void update(double dt);
  void togglePlaying() {
    playing = !playing;
    holdAtStart_ = false;
  }
  void stepForward();  // one event; live and at the newest event: lets the engine take one step
  void stepBack();
  // The next event a view draws (a message, a note, an rg/wg transition, a park),
  // skipping bookkeeping (gstatus, fdMutex, checkerr, waiters, step markers...);
  // single steps still reach those. Live, at the newest event, the engine is
  // released until it records one.
  void stepVisible();
  void stepVisibleBack();
  bool isVisibleStep(size_t index) const;
  void seek(size_t cursor);
  void selectDefaults();           // first pollDesc a goroutine parks on
  void selectEvent(size_t index);  // an event clicked in a view: seek there, select its G and pd
  void selectPollDesc(int64_t pd) { selection.pd = pd; }
  void selectMode(char mode) { selection.mode = mode; }  // 'r' (rg) or 'w' (wg)
  void selectGoroutine(int64_t g) { selection.goroutine = g; }

  // The views' own settings.
  void showingView(View shown);              // the tab bar's report of the view on screen; meets a request for it
  const std::vector<Lane>& timelineLanes();  // built the first time the timeline is shown
  const ThreadLanesModel& threadLanesModel();
  void setZoom(float z);  // clamped to [kMinZoom, kMaxZoom]
  static constexpr float kMinZoom = 0.25f, kMaxZoom = 2.f;
  void toggleGroup(int group);  // folds or unfolds an analysis::SeqGroup's lifelines
  void setTableFilter(std::string text) { tableFilter = std::move(text); }

  // The player's settings.
  void setSpeed(float s) { speed = s; }
  void setRealTime(bool on);  // what is owed to the player is in events or in ns: it starts from nothing
  void addBreakpoint(const Breakpoint& b) { breakpoints.push_back(b); }
  void removeBreakpoint(size_t i);
  void setBreakpointEnabled(size_t i, bool on);
  void toggleBookmark(size_t cursor, const std::string& label) { bookmarks.toggle(cursor, label); }

  // The window's dialogs.
  bool takeOpenDialogRequest();  // true once per requestOpenDialog()
  bool takeSaveDialogRequest();  // true once per requestSaveDialog()
  void dismissError() { errorMessage.clear(); }
  void setStatus(std::string message) { status = std::move(message); }
  const std::vector<ScenarioEntry>& scenarioList();

  // Live runs: the engine stops after every event, or runs freely. The choice
  // outlasts a run (the next one starts the same way); only this changes it.
  void setLiveFreeRun(bool on);
  bool liveFreeRun() const { return liveFreeRun_; }
  // For the menu bar: finished, running freely, stopped at an event, working.
  const char* liveState(analysis::Lang l = analysis::Lang::en) const;

  // Window requests, carried out by the app before the next frame.
  void requestView(View view) { requestedView = view; }
  void requestOpenDialog() { openDialog = true; }
  void requestSaveDialog() { saveDialog = true; }
  void requestFullscreenToggle() { fullscreenToggle = true; }
  void requestPicture(std::string file = "") { pngRequest = std::move(file); }
  void requestGif(std::string file = "") { gifRequest = std::move(file); }

  // Toggles, each keeping what depends on it consistent (fonts, theme, layouts).
  bool presenter() const { return presenter_; }  // big fonts, caption, phase strip, no clutter
  void setPresenter(bool on);
  void togglePresenter() { setPresenter(!presenter_); }
  Theme theme() const { return theme_; }
  void setTheme(Theme t);
  void toggleTheme() { setTheme(nextTheme(theme_)); }
  analysis::Lang lang() const { return lang_; }
  bool chinese() const { return lang_ == analysis::Lang::zh; }
  void setLanguage(analysis::Lang l);  // titles and the sequence notes in that language, its glyphs in the fonts
  void toggleLanguage() { setLanguage(nextLanguage(lang_)); }
  float fontScale() const { return fontScale_; }  // Ctrl +/-
  void setFontScale(float scale);                 // clamped to [kMinFontScale, kMaxFontScale]
  void largerText() { setFontScale(fontScale_ * 1.15f); }
  void smallerText() { setFontScale(fontScale_ / 1.15f); }
  static constexpr float kMinFontScale = 0.5f, kMaxFontScale = 4.f;
  bool showCode() const { return showCode_; }  // the engine's C++ behind the current event
  void setShowCode(bool on) { showCode_ = on; }
  void toggleCode() { showCode_ = !showCode_; }
  bool showGo() const { return showGo_; }  // the code panel shows the Go program's tab
  void setShowGo(bool on) { showGo_ = on; }
  // The line of the Go program the current event belongs to (1-based; 0: none).
  int currentGoLine() const;
  bool showAnswers() const { return showAnswers_; }  // the teacher's view of the questions
  void setShowAnswers(bool on) { showAnswers_ = on; }
  void toggleAnswers() { showAnswers_ = !showAnswers_; }
  bool fitToScreen() const { return fitToScreen_; }  // the sequence diagram scaled to its window (presenter default)
  void setFitToScreen(bool on) { fitToScreen_ = on; }
  void toggleFitToScreen() { fitToScreen_ = !fitToScreen_; }
  bool threadLanes() const { return threadLanes_; }  // M lanes beside the sequence diagram
  void setThreadLanes(bool on) { threadLanes_ = on; }
  void toggleThreadLanes() { threadLanes_ = !threadLanes_; }
  bool slidePanelOpen() const { return slidePanelOpen_; }  // the lesson's text above the views
  void toggleSlidePanel() { slidePanelOpen_ = !slidePanelOpen_; }
  size_t answersShown() const { return answersShown_; }  // questions page: answers revealed one by one
  void revealNextAnswer();
  void hideAnswers() { answersShown_ = 0; }
  bool followCursor() const { return followCursor_; }  // views scroll to the current event
  void setFollowCursor(bool on) { followCursor_ = on; }
  void toggleFollowCursor() { followCursor_ = !followCursor_; }

  // Classroom.
  // The texts whose Chinese glyphs the fonts need (narrations, titles, lesson).
  std::vector<std::string> chineseTexts() const;
  bool openLesson(const std::string& file, std::string* error);
  const std::vector<ScenarioEntry>& lessonList();
  void goToSlide(size_t index);
  // The slide's own event is not the one shown (a click or a key moved the cursor).
  bool offSlide() const;
  void backToSlide();
  std::optional<size_t> slideCursor;  // where the current slide stops
  // A live run opened paused: how to start, shown until the first step.
  std::string startHint;

 private:
  void rebuildDerived(bool followNewest);
  void takeFinishedLoad();  // a background load that has finished becomes the document
  void play(double dt);     // playing: the events due after dt seconds

  // The engine's side (viewer_live.cpp; the page's viewer_web.cpp has no engine).
  void attachGoProgram(const scenario::Scenario* s);  // from s, or the trace's scenario file
  // open()'s scenario or trace: a scenario runs live (the page replays its golden
  // trace), a trace loads in the background (the page's on the calling thread).
  void openRun(const std::string& file);
  void followLive();  // each frame: a live run's new events, its end
  // Playing has shown the newest event: true when more will come (a live run running
  // freely, or one just let take a step), false at the end of a finished document.
  bool engineGivesNext();
  bool stepEngine();  // a step at the newest event: lets a live engine take one (true)
  // A lesson slide's run: a scenario runs (any live run ends first), a trace loads.
  bool loadSlideRun(const std::string& file, std::string* error);
  bool runsAgain(const std::string& file);  // a scenario the engine can run again

  bool liveFreeRun_ = false;  // live: let the engine run without stopping
  bool presenter_ = false;
  Theme theme_ = Theme::dark;
  analysis::Lang lang_ = analysis::Lang::en;
  float fontScale_ = 1.f;
  bool showCode_ = false;
  bool showGo_ = false;
  bool goProgramFresh_ = false;  // attachGoProgram(scenario) ran for the document being adopted
  bool showAnswers_ = false;
  bool followCursor_ = true;
  bool fitToScreen_ = false;
  bool threadLanes_ = false;
  bool slidePanelOpen_ = true;
  size_t answersShown_ = 0;
  bool holdAtStart_ = false;         // a live run just opened: stay on event 0 while the engine records its first
  bool visibleStepPending_ = false;  // live: released the engine, waiting for a visible event
  size_t visibleStepFrom_ = 0;
};

}  // namespace pollscope::viz
