// The menu bar (File: open, scenarios, recent; Live: engine controls; View) and
// the window's dialogs: open file, loading progress, errors.
#include <imgui.h>

#include <algorithm>
#include <filesystem>

#include "views/views.hpp"

namespace pollscope::viz {
namespace fs = std::filesystem;

namespace {
struct FileDialog {
  std::string dir;
  char pathBuf[1024] = {};
  std::vector<fs::directory_entry> entries;
  void list() {
    entries.clear();
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, fs::directory_options::skip_permission_denied, ec)) {
      if (e.path().filename().string().rfind('.', 0) == 0) continue;  // hidden
      if (e.is_directory(ec) || e.path().extension() == ".json") entries.push_back(e);
    }
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      std::error_code e1;
      bool da = a.is_directory(e1), db = b.is_directory(e1);
      if (da != db) return da;
      return a.path().filename() < b.path().filename();
    });
  }
};
FileDialog g_files;

void drawOpenDialog(Viewer& v) {
  if (v.takeOpenDialogRequest()) {
    std::error_code ec;
    if (g_files.dir.empty())
      g_files.dir = v.path.empty() ? fs::current_path(ec).string() : fs::absolute(v.path, ec).parent_path().string();
    g_files.list();
    ImGui::OpenPopup("Open a trace or a scenario");
  }
  ImGui::SetNextWindowSize(ImVec2(640, 460), ImGuiCond_Appearing);
  if (!ImGui::BeginPopupModal("Open a trace or a scenario", nullptr)) return;
  ImGui::TextWrapped("%s", g_files.dir.c_str());
  if (ImGui::Button("Up")) {
    g_files.dir = fs::path(g_files.dir).parent_path().string();
    g_files.list();
  }
  ImGui::SameLine();
  ImGui::TextDisabled("traces (*.trace.json) replay; scenarios run live");
  ImGui::BeginChild("entries", ImVec2(0, -60), true);
  std::string picked;
  for (const auto& e : g_files.entries) {
    std::error_code ec;
    bool isDir = e.is_directory(ec);
    std::string name = e.path().filename().string() + (isDir ? "/" : "");
    if (ImGui::Selectable(name.c_str(), false, ImGuiSelectableFlags_AllowDoubleClick)) {
      if (isDir) {
        g_files.dir = e.path().string();
        g_files.list();
        break;
      }
      std::snprintf(g_files.pathBuf, sizeof g_files.pathBuf, "%s", e.path().string().c_str());
      if (ImGui::IsMouseDoubleClicked(0)) picked = e.path().string();
    }
  }
  ImGui::EndChild();
  ImGui::SetNextItemWidth(-140);
  if (ImGui::InputText("##path", g_files.pathBuf, sizeof g_files.pathBuf, ImGuiInputTextFlags_EnterReturnsTrue))
    picked = g_files.pathBuf;
  ImGui::SameLine();
  if (ImGui::Button("Open")) picked = g_files.pathBuf;
  ImGui::SameLine();
  if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) ImGui::CloseCurrentPopup();
  if (!picked.empty()) {
    ImGui::CloseCurrentPopup();
    v.open(picked);
  }
  ImGui::EndPopup();
}

void drawLoadingDialog(Viewer& v) {
  if (!v.loader) return;
  if (!ImGui::IsPopupOpen("Opening")) ImGui::OpenPopup("Opening");
  if (!ImGui::BeginPopupModal("Opening", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::Text("%s", v.loader->path().c_str());
  ImGui::ProgressBar(v.loader->progress(), ImVec2(420, 0), v.loader->stage().c_str());
  if (ImGui::Button("Cancel")) v.loader->cancel();
  if (v.loader->done()) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

void drawErrorDialog(Viewer& v) {
  if (v.errorMessage.empty()) return;
  if (!ImGui::IsPopupOpen("Cannot open")) ImGui::OpenPopup("Cannot open");
  ImGui::SetNextWindowSize(ImVec2(560, 0), ImGuiCond_Appearing);
  if (!ImGui::BeginPopupModal("Cannot open", nullptr)) return;
  ImGui::TextWrapped("%s", v.errorMessage.c_str());
  ImGui::Spacing();
  if (ImGui::Button("OK", ImVec2(120, 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter))) {
    v.dismissError();
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}
}  // namespace

void drawMenuBar(Viewer& v) {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Open...", "Ctrl+O")) v.requestOpenDialog();
    if (ImGui::BeginMenu(v.noLiveRuns.empty() ? "Run a scenario live" : "Replay a golden trace")) {
      if (!v.noLiveRuns.empty()) ImGui::TextDisabled("%s", v.noLiveRuns.c_str());
      const auto& list = v.scenarioList();
      if (list.empty()) ImGui::TextDisabled("no scenarios found in %s", v.scenarioDir.c_str());
      for (const auto& s : list)
        if (ImGui::MenuItem(s.name.c_str(), s.title.c_str())) v.open(s.path);
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Recent", !v.recent.list().empty())) {
      for (const auto& f : v.recent.list())
        if (ImGui::MenuItem(f.c_str())) v.open(f);
      ImGui::EndMenu();
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Live", v.live != nullptr)) {
    if (v.live) {
      bool free = v.liveFreeRun();
      if (ImGui::MenuItem("Engine runs freely", nullptr, free)) v.setLiveFreeRun(!free);
      if (ImGui::MenuItem("Let the engine take one step", "Right at the newest event", false, !free)) v.stepForward();
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    for (const ViewInfo& row : kViews) {
      const char key[2] = {row.key, 0};
      if (ImGui::MenuItem(row.label, key)) v.requestView(row.view);
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Follow the current event", "F", v.followCursor())) v.toggleFollowCursor();
    if (ImGui::MenuItem("Next visible step", "Shift+Right")) v.stepVisible();
    if (ImGui::MenuItem("Sequence: fit to screen", "Z", v.fitToScreen())) v.toggleFitToScreen();
    if (ImGui::MenuItem("Sequence: M (thread) lanes", "M", v.threadLanes())) v.toggleThreadLanes();
    if (ImGui::MenuItem("Code behind the event", "C", v.showCode())) v.toggleCode();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Classroom")) {
    if (ImGui::MenuItem("Presenter mode", "F5", v.presenter())) v.togglePresenter();
    if (ImGui::MenuItem("Full screen", "F11")) v.requestFullscreenToggle();
    // One entry per language or theme besides the default: ticked, it is on; clicked, it toggles.
    for (const LanguageInfo& row : kLanguages)
      if (row.menu && ImGui::MenuItem(row.menu, "L", v.lang() == row.lang))
        v.setLanguage(v.lang() == row.lang ? kLanguages[0].lang : row.lang);
    for (const ThemeInfo& row : kThemes)
      if (row.menu && ImGui::MenuItem(row.menu, "T", v.theme() == row.theme))
        v.setTheme(v.theme() == row.theme ? kThemes[0].theme : row.theme);
    if (ImGui::MenuItem("Larger text", "Ctrl +")) v.largerText();
    if (ImGui::MenuItem("Smaller text", "Ctrl -")) v.smallerText();
    ImGui::Separator();
    if (ImGui::BeginMenu("Lessons")) {
      const auto& list = v.lessonList();
      if (list.empty()) ImGui::TextDisabled("no lessons found in %s", v.lessonDir.c_str());
      for (const auto& l : list)
        if (ImGui::MenuItem(l.title.c_str())) v.open(l.path);
      ImGui::EndMenu();
    }
    if (v.lesson) {
      if (ImGui::MenuItem("Next slide", "PageDown")) v.goToSlide(v.slide + 1);
      if (ImGui::MenuItem("Previous slide", "PageUp", false, v.slide > 0)) v.goToSlide(v.slide - 1);
      if (ImGui::MenuItem("Show all answers", nullptr, v.showAnswers())) v.toggleAnswers();
      if (ImGui::MenuItem("Reveal the next answer", "A")) v.revealNextAnswer();
      if (ImGui::MenuItem("Back to the slide's event", "Backspace", false, v.offSlide())) v.backToSlide();
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Save picture (PNG, 1920x1080)")) v.requestPicture();
    ImGui::EndMenu();
  }
  if (v.live) {
    ImGui::Separator();
    ImGui::TextColored(ImVec4(1.f, 0.67f, 0.16f, 1.f), "LIVE: %s", v.liveState());
  }
  ImGui::EndMenuBar();

  ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl && ImGui::IsKeyPressed('O', false)) v.requestOpenDialog();
}

void drawDialogs(Viewer& v) {
  drawOpenDialog(v);
  drawLoadingDialog(v);
  drawErrorDialog(v);
}

}  // namespace pollscope::viz
