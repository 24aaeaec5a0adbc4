// The viewer's views; each draws into the current ImGui window. Views read the
// Viewer (model/) and change it only through its methods; app/ calls drawViewer.
#pragma once

#include "model/timeline.hpp"
#include "model/ui_text.hpp"
#include "model/viewer.hpp"

struct ImFont;

namespace pollscope::viz {

// The faces the app built into ImGui's font atlas; null: the current font.
struct ViewFonts {
  ImFont* caption = nullptr;  // 1.5x, the presenter's caption and slide titles
  ImFont* mono = nullptr;     // the code panel
};

// The viewer's own words in the language it speaks (model/ui_text.hpp).
inline const char* ui(const Viewer& v, Ui id) {
  return uiText(id, v.lang());
}

// A view's tab and View menu entry.
inline const char* viewLabel(const Viewer& v, View view) {
  constexpr Ui kLabels[] = {Ui::viewSequence, Ui::viewState, Ui::viewTimeline, Ui::viewTable};
  static_assert(std::size(kLabels) == std::size(kViews), "a label per view");
  return ui(v, kLabels[static_cast<size_t>(view)]);
}

// Draws one frame of the whole window (views/window.cpp).
void drawViewer(Viewer& v, const ViewFonts& fonts, float width, float height);

void drawMenuBar(Viewer& v);
void drawDialogs(Viewer& v);  // open file, loading progress, errors
void drawPlayerBar(Viewer& v);
void handlePlayerKeys(Viewer& v);  // space, arrows, Home/End, B [ ], F, each view's key
void drawSequenceView(Viewer& v);
void drawStateView(Viewer& v);
void drawTableView(Viewer& v);
void drawTimelineView(Viewer& v);
void drawDetailsPanel(Viewer& v);  // every field of the selected event, its narration and source
void drawWelcome(Viewer& v);       // nothing open yet: how to start
// Classroom (views/classroom.cpp).
void drawCaption(Viewer& v, ImFont* caption);      // the current step, big, with the scenario's own line above it
void drawPhaseStrip(Viewer& v);                    // user code -> poll.FD -> ... -> run, the current phase lit
void drawCodePanel(Viewer& v, ImFont* mono);       // the engine's C++ function behind the current event
void drawLessonPanel(Viewer& v, ImFont* caption);  // the lesson's current slide (H folds it to its title)
float lessonPanelHeight(const Viewer& v, ImFont* caption, float width);  // what the slide's text needs
void drawQuestionsPage(Viewer& v, ImFont* caption);  // after the last slide: the whole area, answers one by one
void drawOffSlideBanner(Viewer& v);                  // the cursor left the slide's event: Backspace goes back
void handleClassroomKeys(Viewer& v);
// Runs side by side (views/compare_view.cpp).
void drawCompareBar(Viewer& v);                           // step together, the alignment, the view
void drawCompareView(Viewer& v, const ViewFonts& fonts);  // a column per run

// A timeline lane's colour for a state (views/timeline_view.cpp).
unsigned laneColour(const Lane& l, int state);

// ImGui 1.86 (before the 1.87 key API) indexes keys by the backend's codes: GLFW's.
inline constexpr int kKeyF5 = 294, kKeyF11 = 300, kKeyKeypadMinus = 333, kKeyKeypadPlus = 334;

// Colours shared by the views (one palette, readable on a projector).
struct Palette {
  static constexpr unsigned kUserBox = 0x40F2E6D9;  // ABGR
  static constexpr unsigned kRuntimeBox = 0x40E5F4FF;
  static constexpr unsigned kKernelBox = 0x40EEEEEE;
  static constexpr unsigned kThreadBox = 0x40D0E0C8;
  static constexpr unsigned kLit = 0xFF28AAFF;       // the current event: state, edge, row, cursor (orange)
  static constexpr unsigned kLitBand = 0x6028AAFF;   // the current event's row, behind its text
  static constexpr unsigned kNote = 0xC070E0F0;      // scenario narration notes (pale yellow)
  static constexpr unsigned kFailed = 0xFF0060D5;    // a CAS that failed (vermillion, Okabe-Ito)
  static constexpr unsigned kParked = 0xC0A0A0FF;    // parked span (soft red)
  static constexpr unsigned kSelected = 0xFFFFC850;  // the selected goroutine / pollDesc (sky blue)
  static constexpr unsigned kBookmark = 0xFF50E0FF;  // bookmark ticks (yellow)
  static constexpr unsigned kWake = 0xC0F0B070;      // netpoll wake-up -> resume links (soft blue)
};

}  // namespace pollscope::viz
