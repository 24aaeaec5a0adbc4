// The menu bar (File: open, scenarios, recent; Live: engine controls; View) and
// the window's dialogs: open file, loading progress, errors.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <filesystem>
#include <string_view>

#include "model/export_view.hpp"
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
    ImGui::OpenPopup("###open");
  }
  ImGui::SetNextWindowSize(ImVec2(640, 460), ImGuiCond_Appearing);
  std::string title = std::string(ui(v, Ui::dlgOpenTitle)) + "###open";
  if (!ImGui::BeginPopupModal(title.c_str(), nullptr)) return;
  ImGui::TextWrapped("%s", g_files.dir.c_str());
  if (ImGui::Button(ui(v, Ui::dlgUp))) {
    g_files.dir = fs::path(g_files.dir).parent_path().string();
    g_files.list();
  }
  ImGui::SameLine();
  ImGui::TextDisabled("%s", ui(v, Ui::dlgOpenHint));
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
  if (ImGui::Button(ui(v, Ui::dlgOpen))) picked = g_files.pathBuf;
  ImGui::SameLine();
  if (ImGui::Button(ui(v, Ui::dlgCancel)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
    ImGui::CloseCurrentPopup();
  if (!picked.empty()) {
    ImGui::CloseCurrentPopup();
    v.open(picked);
  }
  ImGui::EndPopup();
}

void drawLoadingDialog(Viewer& v) {
  if (!v.loader) return;
  std::string title = std::string(ui(v, Ui::dlgOpening)) + "###opening";
  if (!ImGui::IsPopupOpen("###opening")) ImGui::OpenPopup("###opening");
  if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::Text("%s", v.loader->path().c_str());
  ImGui::ProgressBar(v.loader->progress(), ImVec2(420, 0), v.loader->stage().c_str());
  if (ImGui::Button(ui(v, Ui::dlgCancel))) v.loader->cancel();
  if (v.loader->done()) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

// Save view: where to write what is on screen (Mermaid or Perfetto JSON, as
// `pollscope export` writes it), with Save picture beside it for a PNG.
void drawSaveDialog(Viewer& v) {
  static char pathBuf[1024] = {};
  if (v.takeSaveDialogRequest() && v.trace) {
    auto x = exportCurrentView(v);
    std::error_code ec;
    std::snprintf(pathBuf, sizeof pathBuf, "%s", fs::absolute(defaultExportPath(v, x), ec).string().c_str());
    ImGui::OpenPopup("###save");
  }
  std::string title = std::string(ui(v, Ui::dlgSaveTitle)) + "###save";
  ImGui::SetNextWindowSize(ImVec2(640, 0), ImGuiCond_Appearing);
  if (!ImGui::BeginPopupModal(title.c_str(), nullptr)) return;
  if (!v.trace) {
    ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return;
  }
  auto x = exportCurrentView(v);
  ImGui::TextWrapped("%s", fmt::format(fmt::runtime(ui(v, Ui::dlgSaveWhat)), x.describe).c_str());
  ImGui::SetNextItemWidth(-1);
  bool enter = ImGui::InputText("##savepath", pathBuf, sizeof pathBuf, ImGuiInputTextFlags_EnterReturnsTrue);
  if (ImGui::Button(ui(v, Ui::dlgSave)) || enter) {
    std::string err;
    auto files = saveExport(x, pathBuf, &err);
    v.setStatus(files.empty() ? err
                              : "saved the " + x.describe + " to " + files.front() +
                                    (files.size() > 1 ? " (+" + std::to_string(files.size() - 1) + " parts)" : ""));
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button(ui(v, Ui::dlgSavePicture))) {
    // The picture goes beside the export, named after the same file.
    v.requestPicture(fs::path(pathBuf).replace_extension(".png").string());
    ImGui::CloseCurrentPopup();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", ui(v, Ui::dlgSavePictureHint));
  ImGui::SameLine();
  if (ImGui::Button(ui(v, Ui::dlgCancel)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
    ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

void drawErrorDialog(Viewer& v) {
  if (v.errorMessage.empty()) return;
  std::string title = std::string(ui(v, Ui::dlgCannotOpen)) + "###cannotopen";
  if (!ImGui::IsPopupOpen("###cannotopen")) ImGui::OpenPopup("###cannotopen");
  ImGui::SetNextWindowSize(ImVec2(560, 0), ImGuiCond_Appearing);
  if (!ImGui::BeginPopupModal(title.c_str(), nullptr)) return;
  ImGui::TextWrapped("%s", v.errorMessage.c_str());
  ImGui::Spacing();
  if (ImGui::Button(ui(v, Ui::dlgOk), ImVec2(120, 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter))) {
    v.dismissError();
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

// BeginMenu, opened first if --open-menu names this menu or one of its submenus.
// ImGui keys a menu's popup by its label in the current ID scope, so opening the
// popup by that label just before BeginMenu is what a click on it does.
bool beginMenu(const Viewer& v, std::string_view path, const char* label, bool enabled = true) {
  const std::string& want = v.openMenu;
  bool asked = want == path || (want.size() > path.size() && want.starts_with(path) && want[path.size()] == '/');
  if (asked && enabled && !ImGui::IsPopupOpen(label)) ImGui::OpenPopup(label);
  return ImGui::BeginMenu(label, enabled);
}
}  // namespace

void drawMenuBar(Viewer& v) {
  if (!ImGui::BeginMenuBar()) return;
  if (beginMenu(v, "file", ui(v, Ui::menuFile))) {
    if (ImGui::MenuItem(ui(v, Ui::menuOpen), "Ctrl+O")) v.requestOpenDialog();
    if (beginMenu(v, "file/run", ui(v, v.noLiveRuns.empty() ? Ui::menuRunLive : Ui::menuReplayGolden))) {
      if (!v.noLiveRuns.empty()) ImGui::TextDisabled("%s", v.noLiveRuns.c_str());
      const auto& list = v.scenarioList();
      if (list.empty())
        ImGui::TextDisabled("%s", fmt::format(fmt::runtime(ui(v, Ui::noScenariosIn)), v.scenarioDir).c_str());
      for (const auto& s : list)
        if (ImGui::MenuItem(s.name.c_str(), s.title.in(v.chinese()).c_str())) v.open(s.path);
      ImGui::EndMenu();
    }
    if (ImGui::MenuItem(ui(v, Ui::menuCompare))) v.openCompareOfOutcomes();
    if (beginMenu(v, "file/recent", ui(v, Ui::menuRecent), !v.recent.list().empty())) {
      for (const auto& f : v.recent.list())
        if (ImGui::MenuItem(f.c_str())) v.open(f);
      ImGui::EndMenu();
    }
    ImGui::EndMenu();
  }
  if (beginMenu(v, "live", ui(v, Ui::menuLive), v.live != nullptr)) {
    if (v.live) {
      bool free = v.liveFreeRun();
      if (ImGui::MenuItem(ui(v, Ui::menuFreeRun), nullptr, free)) v.setLiveFreeRun(!free);
      if (ImGui::MenuItem(ui(v, Ui::menuOneStep), ui(v, Ui::menuOneStepKey), false, !free)) v.stepForward();
    }
    ImGui::EndMenu();
  }
  if (beginMenu(v, "view", ui(v, Ui::menuView))) {
    for (const ViewInfo& row : kViews) {
      const char key[2] = {row.key, 0};
      if (ImGui::MenuItem(viewLabel(v, row.view), key)) v.requestView(row.view);
    }
    ImGui::Separator();
    if (ImGui::MenuItem(ui(v, Ui::menuFollow), "F", v.followCursor())) v.toggleFollowCursor();
    if (ImGui::MenuItem(ui(v, Ui::menuNextVisible), "Shift+Right")) v.stepVisible();
    if (ImGui::MenuItem(ui(v, Ui::menuFit), "Z", v.fitToScreen())) v.toggleFitToScreen();
    if (ImGui::MenuItem(ui(v, Ui::menuThreadLanes), "M", v.threadLanes())) v.toggleThreadLanes();
    if (ImGui::MenuItem(ui(v, Ui::menuCode), "C", v.showCode())) v.toggleCode();
    ImGui::EndMenu();
  }
  if (beginMenu(v, "classroom", ui(v, Ui::menuClassroom))) {
    if (ImGui::MenuItem(ui(v, Ui::menuPresenter), "F5", v.presenter())) v.togglePresenter();
    if (ImGui::MenuItem(ui(v, Ui::menuFullScreen), "F11")) v.requestFullscreenToggle();
    // One entry per language or theme besides the default: ticked, it is on; clicked, it toggles.
    for (const LanguageInfo& row : kLanguages)
      if (row.menu && ImGui::MenuItem(uiText(*row.menu, v.lang()), "L", v.lang() == row.lang))
        v.setLanguage(v.lang() == row.lang ? kLanguages[0].lang : row.lang);
    for (const ThemeInfo& row : kThemes)
      if (row.menu && ImGui::MenuItem(uiText(*row.menu, v.lang()), "T", v.theme() == row.theme))
        v.setTheme(v.theme() == row.theme ? kThemes[0].theme : row.theme);
    if (ImGui::MenuItem(ui(v, Ui::menuLarger), "Ctrl +")) v.largerText();
    if (ImGui::MenuItem(ui(v, Ui::menuSmaller), "Ctrl -")) v.smallerText();
    ImGui::Separator();
    if (beginMenu(v, "classroom/lessons", ui(v, Ui::menuLessons))) {
      const auto& list = v.lessonList();
      if (list.empty())
        ImGui::TextDisabled("%s", fmt::format(fmt::runtime(ui(v, Ui::noLessonsIn)), v.lessonDir).c_str());
      for (const auto& l : list)
        if (ImGui::MenuItem(l.title.in(v.chinese()).c_str())) v.open(l.path);
      ImGui::EndMenu();
    }
    if (v.lesson) {
      if (ImGui::MenuItem(ui(v, Ui::menuNextSlide), "PageDown")) v.goToSlide(v.slide + 1);
      if (ImGui::MenuItem(ui(v, Ui::menuPrevSlide), "PageUp", false, v.slide > 0)) v.goToSlide(v.slide - 1);
      if (ImGui::MenuItem(ui(v, Ui::menuAnswers), nullptr, v.showAnswers())) v.toggleAnswers();
      if (ImGui::MenuItem(ui(v, Ui::menuRevealNext), "A")) v.revealNextAnswer();
      if (ImGui::MenuItem(ui(v, Ui::menuBackToSlide), "Backspace", false, v.offSlide())) v.backToSlide();
    }
    ImGui::Separator();
    if (ImGui::MenuItem(ui(v, Ui::menuSavePicture))) v.requestPicture();
    if (ImGui::MenuItem(ui(v, Ui::menuSaveGif), nullptr, false, v.trace || v.compare)) v.requestGif();
    ImGui::EndMenu();
  }
  if (v.live) {
    ImGui::Separator();
    ImGui::TextColored(ImVec4(1.f, 0.67f, 0.16f, 1.f), "%s",
                       fmt::format(fmt::runtime(ui(v, Ui::liveColon)), v.liveState(v.lang())).c_str());
  }
  ImGui::EndMenuBar();

  ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl && ImGui::IsKeyPressed('O', false)) v.requestOpenDialog();
}

void drawDialogs(Viewer& v) {
  drawOpenDialog(v);
  drawSaveDialog(v);
  drawLoadingDialog(v);
  drawErrorDialog(v);
}

}  // namespace pollscope::viz
