// The whole window: menu bar, player, the view tabs and the dialogs; or, with
// nothing open, a welcome page that starts a scenario or opens a file.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>

#include "views/views.hpp"

namespace pollscope::viz {

// The order a newcomer should take: the read path, then its races, then writes,
// deadlines and the scheduler. Scenarios not named here follow alphabetically.
constexpr const char* kStartHere[] = {
    "read-before-data", "data-before-park",   "event-while-wait", "write-backpressure",
    "read-deadline",    "close-while-parked", "netpoll-break",    "echo"};

void drawWelcome(Viewer& v) {
  ImGui::Spacing();
  ImGui::TextUnformatted(ui(v, Ui::welcome));
  ImGui::Spacing();
  if (v.noLiveRuns.empty()) {
    ImGui::TextDisabled("%s", ui(v, Ui::welcomeOpen));
  } else {
    ImGui::TextWrapped("%s", v.noLiveRuns.c_str());
    ImGui::TextDisabled("%s", ui(v, Ui::welcomeOpenWeb));
  }
  if (!v.lessonList().empty()) {
    ImGui::Spacing();
    ImGui::TextUnformatted(ui(v, Ui::welcomeStartHere));
    for (const auto& l : v.lessonList()) {
      if (ImGui::Button(l.name.c_str(), ImVec2(260, 0))) v.open(l.path);
      ImGui::SameLine();
      ImGui::TextUnformatted(l.title.in(v.chinese()).c_str());
    }
  }
  ImGui::Spacing();
  ImGui::TextUnformatted(ui(v, Ui::welcomeScenarios));
  std::vector<const ScenarioEntry*> ordered;
  for (const char* name : kStartHere)
    for (const auto& s : v.scenarioList())
      if (s.name == name) ordered.push_back(&s);
  for (const auto& s : v.scenarioList())
    if (std::find(ordered.begin(), ordered.end(), &s) == ordered.end()) ordered.push_back(&s);
  for (size_t i = 0; i < ordered.size(); ++i) {
    const ScenarioEntry& s = *ordered[i];
    if (i == 0) ImGui::PushStyleColor(ImGuiCol_Button, Palette::kLit);
    if (i == 0) ImGui::PushStyleColor(ImGuiCol_Text, 0xFF000000);
    if (ImGui::Button(i == 0 ? fmt::format(fmt::runtime(ui(v, Ui::startHere)), s.name).c_str() : s.name.c_str(),
                      ImVec2(260, 0)))
      v.open(s.path);
    if (i == 0) ImGui::PopStyleColor(2);
    ImGui::SameLine();
    ImGui::TextUnformatted(s.title.in(v.chinese()).c_str());
  }
  if (v.scenarioList().empty())
    ImGui::TextDisabled("%s", fmt::format(fmt::runtime(ui(v, Ui::noScenariosIn)), v.scenarioDir).c_str());
}

namespace {
void drawTabs(Viewer& v, bool presenter) {
  if (ImGui::BeginTabBar("views")) {
    for (const ViewInfo& row : kViews) {
      if (presenter && !row.inPresenter) continue;  // no clutter in front of a class
      ImGuiTabItemFlags flags = v.requestedView == row.view ? ImGuiTabItemFlags_SetSelected : 0;
      std::string label = std::string(viewLabel(v, row.view)) + "###" + row.name;  // one tab in every language
      if (ImGui::BeginTabItem(label.c_str(), nullptr, flags)) {
        v.showingView(row.view);
        ImGui::EndTabItem();
      }
    }
    ImGui::EndTabBar();
  }
}

void drawView(Viewer& v) {
  switch (v.view) {
    case View::sequence: drawSequenceView(v); break;
    case View::state: drawStateView(v); break;
    case View::timeline: drawTimelineView(v); break;
    case View::table: drawTableView(v); break;
  }
}

// The views, with the code panel beside them when it is open.
void drawMainArea(Viewer& v, const ViewFonts& fonts) {
  if (v.lesson && v.slide >= v.lesson->slides.size()) {
    drawQuestionsPage(v, fonts.caption);  // the whole area: big text, answers one by one
    return;
  }
  float codeW = v.showCode() ? ImGui::GetContentRegionAvail().x * 0.42f : 0.f;
  ImGui::BeginChild("main", ImVec2(-codeW, 0));
  drawTabs(v, v.presenter());
  drawView(v);
  ImGui::EndChild();
  if (v.showCode()) {
    ImGui::SameLine();
    ImGui::BeginChild("codepanel", ImVec2(0, 0));
    drawCodePanel(v, fonts.mono);
    ImGui::EndChild();
  }
}

// The presenter's one row: back, play, forward, where we are, language, theme, code.
void drawPresenterBar(Viewer& v) {
  Replay& r = *v.replay;
  if (ImGui::Button(" < ")) v.stepBack();
  ImGui::SameLine();
  if (ImGui::Button(ui(v, v.playing ? Ui::pause : Ui::play))) v.togglePlaying();
  ImGui::SameLine();
  if (ImGui::Button(" > ")) v.stepForward();
  ImGui::SameLine();
  ImGui::TextDisabled("%zu / %zu%s", r.cursor(), r.size(), v.live ? "  LIVE" : "");
  ImGui::SameLine();
  ImGui::TextUnformatted(v.title.c_str());
  float right = ImGui::GetWindowContentRegionMax().x;
  ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 20, right - 330 * v.fontScale()));
  if (ImGui::Button(ui(v, languageInfo(nextLanguage(v.lang())).label))) v.toggleLanguage();
  ImGui::SameLine();
  if (ImGui::Button(ui(v, themeInfo(nextTheme(v.theme())).label))) v.toggleTheme();
  ImGui::SameLine();
  if (ImGui::Button(ui(v, Ui::code))) v.toggleCode();
  ImGui::SameLine();
  if (ImGui::Button(ui(v, Ui::exitPresenter))) v.setPresenter(false);
}

// A picture for a handout (--picture, Save picture, --gif, --frames-dir): the
// slide's title, the caption, the phase strip and the diagram(s); no menus, no
// buttons, no tabs.
void drawHandout(Viewer& v, const ViewFonts& fonts) {
  if (v.lesson && v.slide < v.lesson->slides.size()) {
    ImGui::PushFont(fonts.caption);
    ImGui::TextWrapped("%s", v.lesson->slides[v.slide].title.in(v.chinese()).c_str());
    ImGui::PopFont();
  }
  if (v.compare) {
    drawCompareView(v, fonts);
    return;
  }
  if (!v.trace) return;
  drawCaption(v, fonts.caption);
  drawPhaseStrip(v);
  View shown = v.requestedView.value_or(v.view);  // no tab bar to meet a request
  v.showingView(shown);
  drawView(v);
}
}  // namespace

void drawViewer(Viewer& v, const ViewFonts& fonts, float width, float height) {
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(width, height));
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                           ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoBringToFrontOnFocus |
                           ImGuiWindowFlags_NoBackground;  // the frame is cleared to WindowBg: no second fill
  if (!v.presenter() && !v.drawingHandout) flags |= ImGuiWindowFlags_MenuBar;
  if (v.drawingHandout) flags |= ImGuiWindowFlags_NoScrollbar;  // a handout has no controls, scroll bars included
  ImGui::Begin("pollscope", nullptr, flags);
  v.drawn.reset();
  if (v.drawingHandout) {
    drawHandout(v, fonts);
    ImGui::End();
    return;
  }
  if (!v.presenter()) drawMenuBar(v);
  handleClassroomKeys(v);
  if (v.compare) {
    drawCompareBar(v);
    if (v.compare && v.lesson) {
      ImGui::BeginChild("slide", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 4.f), true);
      drawLessonPanel(v, fonts.caption);
      ImGui::EndChild();
    }
    if (v.compare) drawCompareView(v, fonts);
  } else if (!v.trace) {
    drawWelcome(v);
  } else {
    // Presenter: one row of buttons, the caption and the phase strip, no menus,
    // only the two diagrams. Otherwise the full player, the strip below it.
    if (v.presenter()) {
      drawPresenterBar(v);
      // A missing font is the one thing the presenter must hear about.
      if (!v.fontNote.empty()) ImGui::TextColored(ImVec4(1.f, 0.67f, 0.16f, 1.f), "%s", v.fontNote.c_str());
      // The questions page has the screen to itself: no caption of the last event.
      if (!(v.lesson && v.slide >= v.lesson->slides.size())) {
        drawCaption(v, fonts.caption);
        drawPhaseStrip(v);
      }
      handlePlayerKeys(v);  // arrows, space, Home/End work here too
    } else {
      drawPlayerBar(v);
    }
    if (v.lesson && v.slide < v.lesson->slides.size()) {
      // As tall as the slide's text needs (at most a third of the window); H folds it to its title.
      float h = lessonPanelHeight(v, fonts.caption, ImGui::GetContentRegionAvail().x - 20);
      ImGui::BeginChild("slide", ImVec2(0, std::min(h, height * 0.33f)), true);
      drawLessonPanel(v, fonts.caption);
      ImGui::EndChild();
    }
    if (v.offSlide()) drawOffSlideBanner(v);
    if (v.presenter() && !v.startHint.empty())
      ImGui::TextColored(ImVec4(1.f, 0.67f, 0.16f, 1.f), "%s", v.startHint.c_str());
    if (!v.presenter()) {
      drawPhaseStrip(v);
      ImGui::Separator();
    }
    drawMainArea(v, fonts);
  }
  drawDialogs(v);
  ImGui::End();
}

}  // namespace pollscope::viz
