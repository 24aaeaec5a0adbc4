// Timeline lanes: each goroutine coloured by status, each pollDesc semaphore by
// its rg/wg value, each M's netpoll calls; the cursor as a line; click to seek.
#include <imgui.h>

#include <algorithm>

#include "model/timeline.hpp"
#include "model/timeline_palette.hpp"
#include "trace/fields.hpp"
#include "views/views.hpp"

namespace pollscope::viz {

// A lane's colour for a state (model/timeline_palette.hpp; the side-by-side view uses it too).
unsigned laneColour(const Lane& l, int state) {
  Rgb c = laneColour(l.kind, state);
  return IM_COL32(c.r, c.g, c.b, 255);
}

namespace {

// The legend: a swatch and its word for every colour of the table, by lane kind.
void drawLegend(const Viewer& v) {
  static constexpr Ui kKindNames[] = {Ui::legendGoroutines, Ui::legendSems, Ui::legendNetpoll};
  ImDrawList* dl = ImGui::GetWindowDrawList();
  float sw = ImGui::GetTextLineHeight();
  for (int k = 0; k < 3; ++k) {
    if (k) ImGui::SameLine(0, sw * 1.5f);
    ImGui::TextDisabled("%s", ui(v, kKindNames[k]));
    for (const auto& c : kLaneColours) {
      if (static_cast<int>(c.lane) != k) continue;
      ImGui::SameLine();
      ImVec2 p = ImGui::GetCursorScreenPos();
      dl->AddRectFilled(p, ImVec2(p.x + sw, p.y + sw), IM_COL32(c.rgb.r, c.rgb.g, c.rgb.b, 255), 2.f);
      dl->AddRect(p, ImVec2(p.x + sw, p.y + sw), ImGui::GetColorU32(ImGuiCol_Border), 2.f);
      ImGui::Dummy(ImVec2(sw, sw));
      ImGui::SameLine(0, 4);
      ImGui::TextUnformatted(ui(v, c.legend));
    }
  }
  ImGui::SameLine(0, sw * 1.5f);
  ImVec2 p = ImGui::GetCursorScreenPos();
  dl->AddRectFilled(ImVec2(p.x + sw * 0.4f, p.y), ImVec2(p.x + sw * 0.6f, p.y + sw), Palette::kLit);
  ImGui::Dummy(ImVec2(sw, sw));
  ImGui::SameLine(0, 4);
  ImGui::TextUnformatted(ui(v, Ui::legendNow));
}

// A lane's rectangles at one width, in pixels from the lane's left edge. They
// depend on the lanes and the width only, so they are merged once and redrawn
// each frame: at ten million events a binary search per pixel column over
// millions of spans cost 7 ms a frame, mostly cache misses.
struct Run {
  float x0, x1;
  ImU32 col;
};
struct RunCache {
  const std::vector<Lane>* lanes = nullptr;
  size_t laneCount = 0, events = 0;
  float width = 0;
  std::vector<std::vector<Run>> runs;  // by lane
  std::vector<bool> built;
};
RunCache g_runs;

// Spans narrower than a pixel are merged: one rectangle per pixel column at most,
// so a million-event trace costs what the screen can show. Neighbouring
// rectangles of one colour are drawn as one.
std::vector<Run> mergeSpans(const Lane& l, size_t n, float width) {
  std::vector<Run> out;
  const double perPx = static_cast<double>(n) / width;  // events per pixel
  auto xOf = [&](size_t idx) { return width * static_cast<float>(idx) / static_cast<float>(n); };
  float drawnTo = -1e9f;
  Run run{0, 0, 0};
  auto flush = [&] {
    if (run.x1 > run.x0) out.push_back(run);
  };
  for (size_t si = 0; si < l.spans.size(); ++si) {
    const auto& sp = l.spans[si];
    float x0 = xOf(sp.from), x1 = std::max(xOf(sp.to), x0 + 1.f);
    if (x1 <= drawnTo) continue;  // hidden under the pixel already drawn
    x0 = std::max(x0, drawnTo);
    ImU32 col = laneColour(l, sp.state);
    if (col == run.col && x0 <= run.x1 + 0.5f) {
      run.x1 = x1;
    } else {
      flush();
      run = {x0, x1, col};
    }
    drawnTo = x1;
    if (perPx > 4) {
      // Skip ahead to the first span that reaches past this pixel.
      size_t target = static_cast<size_t>(static_cast<double>(drawnTo) * perPx);
      auto it = std::partition_point(l.spans.begin() + static_cast<long>(si) + 1, l.spans.end(),
                                     [&](const Span& q) { return q.to <= target; });
      si = static_cast<size_t>(it - l.spans.begin()) - 1;
    }
  }
  flush();
  return out;
}

const std::vector<Run>& laneRuns(const std::vector<Lane>& lanes, size_t li, size_t n, float width) {
  RunCache& c = g_runs;
  if (c.lanes != &lanes || c.laneCount != lanes.size() || c.events != n || c.width != width) {
    c = {&lanes,
         lanes.size(),
         n,
         width,
         std::vector<std::vector<Run>>(lanes.size()),
         std::vector<bool>(lanes.size(), false)};
  }
  if (!c.built[li]) {
    c.runs[li] = mergeSpans(lanes[li], n, width);
    c.built[li] = true;
  }
  return c.runs[li];
}
}  // namespace

void drawTimelineView(Viewer& v) {
  const auto& lanes = v.timelineLanes();
  drawLegend(v);
  if (!v.presenter() && !v.drawingHandout) ImGui::TextDisabled("%s", ui(v, Ui::timelineHint));
  const float labelW = 170.f, laneH = 18.f, pitch = laneH + 4;
  ImGui::SetNextWindowContentSize(ImVec2(0, pitch * static_cast<float>(lanes.size()) + 8));
  ImGui::BeginChild("timeline", ImVec2(0, 0), true);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 o = ImGui::GetCursorScreenPos();
  float width = std::max(100.f, ImGui::GetContentRegionAvail().x - labelW - 8);
  size_t n = std::max<size_t>(v.trace->events.size(), 1);
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
    for (const Run& r : laneRuns(lanes, li, n, width))
      dl->AddRectFilled(ImVec2(o.x + labelW + r.x0, y), ImVec2(o.x + labelW + r.x1, y + laneH), r.col);
  }
  float bottom = o.y + static_cast<float>(lanes.size()) * pitch;
  float cx = xOf(v.replay->cursor());
  dl->AddLine(ImVec2(cx, o.y + scrollY), ImVec2(cx, std::min(bottom, o.y + scrollY + viewH)), Palette::kLit, 3.f);
  // The current event: the cursor line, and the lanes of its goroutine and pollDesc outlined.
  if (size_t c = v.replay->cursor(); c > 0) {
    const trace::Event& e = v.trace->events[c - 1];
    v.drawn.currentSeq = e.seq;
    auto pd = trace::fieldValue(e, "pd");
    auto mode = trace::fieldValue(e, "mode");
    for (size_t li = firstLane; li < lastLane; ++li) {
      const Lane& l = lanes[li];
      bool mine =
          (l.kind == Lane::Kind::goroutine && (l.id == e.g || l.id == trace::fieldValue(e, "goid"))) ||
          (l.kind == Lane::Kind::semaphore && pd && l.id == *pd && (!mode || *mode == l.mode || *mode == 'r' + 'w'));
      if (!mine) continue;
      float y = o.y + static_cast<float>(li) * pitch;
      dl->AddRect(ImVec2(o.x + labelW - 2, y - 2), ImVec2(o.x + labelW + width + 2, y + laneH + 2), Palette::kLit, 2.f,
                  0, 2.f);
    }
    if (cx >= ImGui::GetWindowPos().x && cx <= ImGui::GetWindowPos().x + ImGui::GetWindowWidth())
      v.drawn.marked("lane cursor");
  }
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
