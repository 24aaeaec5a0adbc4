// Timeline lanes: each goroutine coloured by status, each pollDesc semaphore by
// its rg/wg value, each M's netpoll calls; the cursor as a line; click to seek.
#include <imgui.h>

#include <algorithm>

#include "model/timeline.hpp"
#include "views/views.hpp"

namespace pollscope::viz {

unsigned laneColour(const Lane& l, int state) {
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

void drawTimelineView(Viewer& v) {
  const auto& lanes = v.timelineLanes();
  ImGui::TextDisabled("%s", ui(v, Ui::timelineLegend));
  const float labelW = 170.f, laneH = 18.f, pitch = laneH + 4;
  ImGui::SetNextWindowContentSize(ImVec2(0, pitch * static_cast<float>(lanes.size()) + 8));
  ImGui::BeginChild("timeline", ImVec2(0, 0), true);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 o = ImGui::GetCursorScreenPos();
  float width = std::max(100.f, ImGui::GetContentRegionAvail().x - labelW - 8);
  size_t n = std::max<size_t>(v.trace->events.size(), 1);
  const double perPx = static_cast<double>(n) / width;  // events per pixel
  auto xOf = [&](size_t idx) { return o.x + labelW + width * static_cast<float>(idx) / static_cast<float>(n); };
  ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text);
  float scrollY = ImGui::GetScrollY(), viewH = ImGui::GetWindowHeight();
  size_t firstLane = static_cast<size_t>(std::max(0.f, scrollY / pitch - 1));
  size_t lastLane = std::min(lanes.size(), static_cast<size_t>((scrollY + viewH) / pitch + 1));
  ImVec2 mouse = ImGui::GetIO().MousePos;
  bool clicked = ImGui::IsWindowHovered() && ImGui::IsMouseClicked(0);
  for (size_t li = firstLane; li < lastLane; ++li) {
    const Lane& l = lanes[li];
    float y = o.y + static_cast<float>(li) * pitch;
    bool sel = (l.kind == Lane::Kind::goroutine && l.id == v.selection.goroutine) ||
               (l.kind == Lane::Kind::semaphore && l.id == v.selection.pd && l.mode == v.selection.mode);
    if (sel)
      dl->AddRectFilled(ImVec2(o.x - 2, y - 1), ImVec2(o.x + labelW - 6, y + laneH + 1), Palette::kSelected, 3.f);
    dl->AddText(ImVec2(o.x, y + 2), sel ? 0xFF000000 : ink, l.label.c_str());
    if (clicked && mouse.x >= o.x && mouse.x < o.x + labelW && mouse.y >= y && mouse.y < y + laneH) {
      if (l.kind == Lane::Kind::goroutine) v.selectGoroutine(l.id);
      if (l.kind == Lane::Kind::semaphore) {
        v.selectPollDesc(l.id);
        v.selectMode(l.mode);
      }
    }
    // Spans narrower than a pixel are merged: one rectangle per pixel column at most,
    // so a million-event trace costs what the screen can show.
    // Neighbouring rectangles of one colour are drawn as one.
    float drawnTo = -1e9f;
    float runX0 = 0, runX1 = 0;
    ImU32 runCol = 0;
    auto flush = [&] {
      if (runX1 > runX0) dl->AddRectFilled(ImVec2(runX0, y), ImVec2(runX1, y + laneH), runCol);
    };
    for (size_t si = 0; si < l.spans.size(); ++si) {
      const auto& sp = l.spans[si];
      float x0 = xOf(sp.from), x1 = std::max(xOf(sp.to), x0 + 1.f);
      if (x1 <= drawnTo) continue;  // hidden under the pixel already drawn
      x0 = std::max(x0, drawnTo);
      ImU32 col = laneColour(l, sp.state);
      if (col == runCol && x0 <= runX1 + 0.5f) {
        runX1 = x1;
      } else {
        flush();
        runX0 = x0, runX1 = x1, runCol = col;
      }
      drawnTo = x1;
      if (perPx > 4) {
        // Skip ahead to the first span that reaches past this pixel.
        size_t target = static_cast<size_t>((static_cast<double>(drawnTo - o.x - labelW) + 0.0) * perPx);
        auto it = std::partition_point(l.spans.begin() + static_cast<long>(si) + 1, l.spans.end(),
                                       [&](const Span& q) { return q.to <= target; });
        si = static_cast<size_t>(it - l.spans.begin()) - 1;
      }
    }
    flush();
  }
  float bottom = o.y + static_cast<float>(lanes.size()) * pitch;
  float cx = xOf(v.replay->cursor());
  dl->AddLine(ImVec2(cx, o.y + scrollY), ImVec2(cx, std::min(bottom, o.y + scrollY + viewH)), Palette::kLit, 3.f);
  ImGui::SetCursorScreenPos(ImVec2(o.x + labelW, o.y));
  ImGui::InvisibleButton("lanes", ImVec2(width, std::max(bottom - o.y, 1.f)));
  if (ImGui::IsItemActive()) {  // click or drag to seek
    float mx = ImGui::GetIO().MousePos.x - o.x - labelW;
    float f = std::clamp(mx / width, 0.f, 1.f);
    v.seek(static_cast<size_t>(f * static_cast<float>(n) + 0.5f));
  }
  ImGui::EndChild();
}

}  // namespace pollscope::viz
