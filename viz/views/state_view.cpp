// The rg/wg state machine of the selected pollDesc: pdNil, pdWait, G, pdReady with
// edges named by the functions that take them; the current state lit, the last
// transition drawn thick. Below it, a badge for every pollDesc.
#include <fmt/format.h>
#include <imgui.h>

#include <cmath>

#include "trace/vocabulary.hpp"
#include "views/views.hpp"

namespace pollscope::viz {
using trace::SemState;

namespace {
struct Node {
  SemState s;
  const char* label;
  ImVec2 pos;  // relative to the canvas, centre
};
struct Edge {
  SemState from, to;
  const char* label;
};
const Node kNodes[] = {{SemState::pdNil, "pdNil", {120, 200}},
                       {SemState::pdWait, "pdWait", {420, 60}},
                       {SemState::G, "G (parked)", {720, 200}},
                       {SemState::pdReady, "pdReady", {420, 340}}};
const Edge kEdges[] = {{SemState::pdNil, SemState::pdWait, "netpollblock (prepare)"},
                       {SemState::pdWait, SemState::G, "netpollblockcommit"},
                       {SemState::G, SemState::pdReady, "netpollunblock(io)"},
                       {SemState::pdReady, SemState::pdNil, "netpollblock (consume / swap)"},
                       {SemState::pdNil, SemState::pdReady, "netpollunblock(io), nobody waits"},
                       {SemState::pdWait, SemState::pdReady, "event while pdWait (commit fails)"},
                       {SemState::G, SemState::pdNil, "timeout / close"}};

ImVec2 at(ImVec2 o, SemState s) {
  for (const auto& n : kNodes)
    if (n.s == s) return ImVec2(o.x + n.pos.x, o.y + n.pos.y);
  return o;
}
}  // namespace

void drawStateView(Viewer& v) {
  const WorldState& w = v.replay->state();
  // Pick the pollDesc and mode.
  std::string preview = v.selection.pd ? fmt::format("pd{} (fd {})", v.selection.pd,
                                                     w.pdFd.count(v.selection.pd) ? w.pdFd.at(v.selection.pd) : -1)
                                       : "none";
  ImGui::SetNextItemWidth(180);
  if (ImGui::BeginCombo("pollDesc", preview.c_str())) {
    for (const auto& [pd, fd] : w.pdFd)
      if (ImGui::Selectable(fmt::format("pd{} (fd {})", pd, fd).c_str(), pd == v.selection.pd)) v.selection.pd = pd;
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  if (ImGui::RadioButton("rg (read)", v.selection.mode == 'r')) v.selection.mode = 'r';
  ImGui::SameLine();
  if (ImGui::RadioButton("wg (write)", v.selection.mode == 'w')) v.selection.mode = 'w';

  SemCell cell;
  auto it = w.sems.find({v.selection.pd, v.selection.mode});
  if (it != w.sems.end()) cell = it->second;
  // The transition that produced the current value, if it is the one just applied.
  std::optional<std::pair<SemState, SemState>> lastEdge;
  if (cell.event && v.replay->cursor() && *cell.event == v.replay->cursor() - 1) {
    const auto& e = v.trace->events[*cell.event];
    if (e.kind == trace::Kind::sem) lastEdge = {static_cast<SemState>(e.a[3]), static_cast<SemState>(e.a[4])};
  }

  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 o = ImGui::GetCursorScreenPos();
  ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text);
  ImU32 faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  for (const auto& e : kEdges) {
    ImVec2 a = at(o, e.from), b = at(o, e.to);
    // Offset each direction a little so opposite edges do not overlap.
    ImVec2 d(b.x - a.x, b.y - a.y);
    float len = std::sqrt(d.x * d.x + d.y * d.y);
    ImVec2 n(-d.y / len * 10, d.x / len * 10);
    a = ImVec2(a.x + n.x + d.x / len * 60, a.y + n.y + d.y / len * 28);
    b = ImVec2(b.x + n.x - d.x / len * 60, b.y + n.y - d.y / len * 28);
    bool hot = lastEdge && lastEdge->first == e.from && lastEdge->second == e.to;
    ImU32 col = hot ? Palette::kLit : faint;
    dl->AddLine(a, b, col, hot ? 4.f : 1.5f);
    ImVec2 u(d.x / len, d.y / len);
    dl->AddTriangleFilled(b, ImVec2(b.x - u.x * 12 - u.y * 6, b.y - u.y * 12 + u.x * 6),
                          ImVec2(b.x - u.x * 12 + u.y * 6, b.y - u.y * 12 - u.x * 6), col);
    ImVec2 mid((a.x + b.x) / 2 + n.x * 1.5f, (a.y + b.y) / 2 + n.y * 1.5f);
    ImVec2 ts = ImGui::CalcTextSize(e.label);
    dl->AddText(ImVec2(mid.x - ts.x / 2, mid.y - 8), hot ? Palette::kLit : faint, e.label);
  }
  for (const auto& n : kNodes) {
    ImVec2 c = at(o, n.s);
    bool lit = cell.state == n.s && v.selection.pd;
    ImU32 fill = lit ? Palette::kLit : ImGui::GetColorU32(ImGuiCol_FrameBg);
    dl->AddRectFilled(ImVec2(c.x - 62, c.y - 26), ImVec2(c.x + 62, c.y + 26), fill, 12.f);
    dl->AddRect(ImVec2(c.x - 62, c.y - 26), ImVec2(c.x + 62, c.y + 26), ink, 12.f, 0, 2.f);
    std::string label = n.label;
    if (lit && n.s == SemState::G) label = fmt::format("G{} parked", cell.g);
    ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    dl->AddText(ImVec2(c.x - ts.x / 2, c.y - ts.y / 2), lit ? 0xFF000000 : ink, label.c_str());
  }
  ImGui::Dummy(ImVec2(860, 400));

  // Badges: every pollDesc's rg/wg right now.
  ImGui::Text("every pollDesc at this event (netpollWaiters = %lld):", static_cast<long long>(w.waiters));
  for (const auto& [pd, fd] : w.pdFd) {
    auto name = [&](char m) {
      auto s = w.sems.find({pd, m});
      if (s == w.sems.end()) return std::string("pdNil");
      if (s->second.state == SemState::G) return fmt::format("G{}", s->second.g);
      return std::string(trace::enumName(trace::FieldType::SemState, static_cast<int64_t>(s->second.state)));
    };
    ImGui::BulletText("pd%lld (fd %lld): rg=%s  wg=%s", static_cast<long long>(pd), static_cast<long long>(fd),
                      name('r').c_str(), name('w').c_str());
  }
}

}  // namespace pollscope::viz
