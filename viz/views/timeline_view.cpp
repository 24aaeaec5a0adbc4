// Timeline lanes: each goroutine coloured by status, each pollDesc semaphore by
// its rg/wg value, each M's netpoll calls; the cursor as a line; click to seek.
#include <imgui.h>

#include <algorithm>

#include "model/timeline.hpp"
#include "views/views.hpp"

namespace pollscope::viz {

namespace {
ImU32 colourOf(const Lane& l, int state) {
  switch (l.kind) {
    case Lane::Kind::goroutine:  // idle, runnable, running, waiting, dead
      switch (static_cast<trace::GStatus>(state)) {
        case trace::GStatus::Grunning: return IM_COL32(80, 200, 120, 255);
        case trace::GStatus::Grunnable: return IM_COL32(230, 210, 90, 255);
        case trace::GStatus::Gwaiting: return IM_COL32(220, 90, 90, 255);
        default: return IM_COL32(70, 70, 80, 255);
      }
    case Lane::Kind::semaphore:  // pdNil, pdReady, pdWait, G
      switch (static_cast<trace::SemState>(state)) {
        case trace::SemState::pdReady: return IM_COL32(90, 170, 250, 255);
        case trace::SemState::pdWait: return IM_COL32(230, 210, 90, 255);
        case trace::SemState::G: return IM_COL32(220, 90, 90, 255);
        default: return IM_COL32(70, 70, 80, 255);
      }
    case Lane::Kind::netpoll: return state ? IM_COL32(160, 110, 220, 255) : IM_COL32(120, 120, 140, 255);
  }
  return 0;
}
}  // namespace

void drawTimelineView(Viewer& v) {
  if (!v.timeline) v.timeline = std::make_unique<std::vector<Lane>>(buildTimeline(*v.trace));
  const auto& lanes = *v.timeline;
  ImGui::TextDisabled(
      "goroutines: green running, yellow runnable, red waiting | semaphores: yellow pdWait, red G parked, blue "
      "pdReady | netpoll: purple blocking");
  ImGui::BeginChild("timeline", ImVec2(0, 0), true);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 o = ImGui::GetCursorScreenPos();
  const float labelW = 170.f, laneH = 18.f;
  float width = std::max(100.f, ImGui::GetContentRegionAvail().x - labelW - 8);
  size_t n = std::max<size_t>(v.trace->events.size(), 1);
  auto xOf = [&](size_t idx) { return o.x + labelW + width * static_cast<float>(idx) / static_cast<float>(n); };
  ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text);
  for (size_t li = 0; li < lanes.size(); ++li) {
    const Lane& l = lanes[li];
    float y = o.y + static_cast<float>(li) * (laneH + 4);
    dl->AddText(ImVec2(o.x, y + 2), ink, l.label.c_str());
    for (const auto& s : l.spans) {
      float x0 = xOf(s.from), x1 = std::max(xOf(s.to), x0 + 1.f);
      dl->AddRectFilled(ImVec2(x0, y), ImVec2(x1, y + laneH), colourOf(l, s.state));
    }
  }
  float bottom = o.y + static_cast<float>(lanes.size()) * (laneH + 4);
  float cx = xOf(v.replay->cursor());
  dl->AddLine(ImVec2(cx, o.y), ImVec2(cx, bottom), Palette::kLit, 3.f);
  ImGui::InvisibleButton("lanes", ImVec2(labelW + width, std::max(bottom - o.y, 1.f)));
  if (ImGui::IsItemActive()) {  // click or drag to seek
    float mx = ImGui::GetIO().MousePos.x - o.x - labelW;
    float f = std::clamp(mx / width, 0.f, 1.f);
    v.replay->seek(static_cast<size_t>(f * static_cast<float>(n) + 0.5f));
  }
  ImGui::EndChild();
}

}  // namespace pollscope::viz
