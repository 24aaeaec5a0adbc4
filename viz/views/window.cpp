// The whole window: menu bar, player, the view tabs and the dialogs; or, with
// nothing open, a welcome page that starts a scenario or opens a file.
#include <imgui.h>

#include "views/views.hpp"

namespace pollscope::viz {

void drawWelcome(Viewer& v) {
  ImGui::Spacing();
  ImGui::TextUnformatted("pollscope: see Go's network poller work, one event at a time.");
  ImGui::Spacing();
  ImGui::TextDisabled("Open a trace (File > Open, Ctrl+O, or drop a file on the window), or run a scenario live:");
  ImGui::Spacing();
  for (const auto& s : v.scenarioList()) {
    if (ImGui::Button(s.name.c_str(), ImVec2(260, 0))) v.open(s.path);
    ImGui::SameLine();
    ImGui::TextUnformatted(s.title.c_str());
  }
  if (v.scenarioList().empty()) ImGui::TextDisabled("(no scenarios found in \"%s\")", v.scenarioDir.c_str());
}

void drawViewer(Viewer& v, float width, float height) {
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(width, height));
  ImGui::Begin("pollscope", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_MenuBar);
  drawMenuBar(v);
  if (!v.trace) {
    drawWelcome(v);
  } else {
    drawPlayerBar(v);
    ImGui::Separator();
    if (ImGui::BeginTabBar("views")) {
      auto tab = [&](const char* label, View view) {
        ImGuiTabItemFlags flags = v.requestedView == view ? ImGuiTabItemFlags_SetSelected : 0;
        if (ImGui::BeginTabItem(label, nullptr, flags)) {
          v.view = view;
          ImGui::EndTabItem();
        }
      };
      tab("Sequence", View::sequence);
      tab("State", View::state);
      tab("Timeline", View::timeline);
      tab("Events", View::table);
      ImGui::EndTabBar();
      if (v.requestedView && v.view == *v.requestedView) v.requestedView.reset();
    }
    switch (v.view) {
      case View::sequence: drawSequenceView(v); break;
      case View::state: drawStateView(v); break;
      case View::timeline: drawTimelineView(v); break;
      case View::table: drawTableView(v); break;
    }
  }
  drawDialogs(v);
  ImGui::End();
}

}  // namespace pollscope::viz
