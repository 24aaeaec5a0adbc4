// State diagrams. Left: the rg/wg machine of the selected pollDesc (pdNil,
// pdWait, G, pdReady) with edges named by the functions that take them. Right:
// the status machine of the selected goroutine. In both the current state is
// lit and the transition just made is drawn thick with a dot running along it.
// Below: a badge for every pollDesc (click one to select it).
#include <fmt/format.h>
#include <imgui.h>

#include <cmath>

#include "trace/fields.hpp"
#include "views/views.hpp"

namespace pollscope::viz {
using trace::GStatus;
using trace::SemState;

namespace {
struct Node {
  int state;
  Ui label;
  ImVec2 pos;  // centre, relative to the machine's origin
};
struct Edge {
  int from, to;
  Ui label;
};
struct Machine {
  const Node* nodes;
  size_t nodeCount;
  const Edge* edges;
  size_t edgeCount;
};

constexpr int S(SemState s) {
  return static_cast<int>(s);
}
constexpr int G(GStatus s) {
  return static_cast<int>(s);
}

// Labels are rows of model/ui_text.hpp (Go's own names read the same in both columns).
const Node kSemNodes[] = {{S(SemState::pdNil), Ui::stPdNil, {110, 190}},
                          {S(SemState::pdWait), Ui::stPdWait, {390, 50}},
                          {S(SemState::G), Ui::stGParked, {670, 190}},
                          {S(SemState::pdReady), Ui::stPdReady, {390, 330}}};
const Edge kSemEdges[] = {{S(SemState::pdNil), S(SemState::pdWait), Ui::edgePrepare},
                          {S(SemState::pdWait), S(SemState::G), Ui::edgeCommit},
                          {S(SemState::G), S(SemState::pdReady), Ui::edgeUnblock},
                          {S(SemState::pdReady), S(SemState::pdNil), Ui::edgeConsume},
                          {S(SemState::pdNil), S(SemState::pdReady), Ui::edgeNobody},
                          {S(SemState::pdWait), S(SemState::pdReady), Ui::edgeWhileWait},
                          {S(SemState::G), S(SemState::pdNil), Ui::edgeTimeout}};
const Node kGNodes[] = {{G(GStatus::Gidle), Ui::stGidle, {90, 40}},
                        {G(GStatus::Grunnable), Ui::stGrunnable, {90, 190}},
                        {G(GStatus::Grunning), Ui::stGrunning, {330, 190}},
                        {G(GStatus::Gwaiting), Ui::stGwaiting, {210, 340}},
                        {G(GStatus::Gdead), Ui::stGdead, {330, 40}}};
const Edge kGEdges[] = {{G(GStatus::Gidle), G(GStatus::Grunnable), Ui::edgeNewproc},
                        {G(GStatus::Grunnable), G(GStatus::Grunning), Ui::edgeExecute},
                        {G(GStatus::Grunning), G(GStatus::Gwaiting), Ui::edgeGopark},
                        {G(GStatus::Gwaiting), G(GStatus::Grunnable), Ui::edgeGoready},
                        {G(GStatus::Grunning), G(GStatus::Grunnable), Ui::edgeGosched},
                        {G(GStatus::Grunning), G(GStatus::Gdead), Ui::edgeGoexit}};

// Diagram units grow with the text (presenter mode, Ctrl +/-, DPI); set each frame.
float g_k = 1.f;

ImVec2 at(const Machine& m, ImVec2 o, int s) {
  for (size_t i = 0; i < m.nodeCount; ++i)
    if (m.nodes[i].state == s) return ImVec2(o.x + m.nodes[i].pos.x * g_k, o.y + m.nodes[i].pos.y * g_k);
  return o;
}

// Draws a machine; `lit` the current state (-1: none), `hot` the edge just taken
// with `anim` in [0,1] how far its dot has travelled.
void drawMachine(const Viewer& v, ImDrawList* dl, const Machine& m, ImVec2 o, int lit,
                 std::optional<std::pair<int, int>> hot, float anim, const std::string& litLabel) {
  ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text);
  ImU32 faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  for (size_t i = 0; i < m.edgeCount; ++i) {
    const Edge& e = m.edges[i];
    ImVec2 a = at(m, o, e.from), b = at(m, o, e.to);
    ImVec2 d(b.x - a.x, b.y - a.y);
    float len = std::sqrt(d.x * d.x + d.y * d.y);
    ImVec2 u(d.x / len, d.y / len);
    ImVec2 n(-u.y * 10, u.x * 10);  // opposite edges sit side by side
    // Start and end at the node boxes' borders (boxes are 124x52).
    float ta =
        std::min(std::abs(u.x) > 1e-3f ? 64 / std::abs(u.x) : 1e9f, std::abs(u.y) > 1e-3f ? 28 / std::abs(u.y) : 1e9f);
    a = ImVec2(a.x + n.x + u.x * ta, a.y + n.y + u.y * ta);
    b = ImVec2(b.x + n.x - u.x * ta, b.y + n.y - u.y * ta);
    bool isHot = hot && hot->first == e.from && hot->second == e.to;
    ImU32 col = isHot ? Palette::kLit : faint;
    dl->AddLine(a, b, col, isHot ? 4.f : 1.5f);
    dl->AddTriangleFilled(b, ImVec2(b.x - u.x * 12 - u.y * 6, b.y - u.y * 12 + u.x * 6),
                          ImVec2(b.x - u.x * 12 + u.y * 6, b.y - u.y * 12 - u.x * 6), col);
    if (isHot && anim < 1.f)
      dl->AddCircleFilled(ImVec2(a.x + (b.x - a.x) * anim, a.y + (b.y - a.y) * anim), 7.f, Palette::kLit);
    ImVec2 mid((a.x + b.x) / 2 + n.x * 1.6f, (a.y + b.y) / 2 + n.y * 1.6f);
    const char* label = ui(v, e.label);
    ImVec2 ts = ImGui::CalcTextSize(label);
    dl->AddText(ImVec2(mid.x - ts.x / 2, mid.y - 8), isHot ? Palette::kLit : faint, label);
  }
  for (size_t i = 0; i < m.nodeCount; ++i) {
    const Node& nd = m.nodes[i];
    ImVec2 c = at(m, o, nd.state);
    bool on = lit == nd.state;
    float hw = 62 * g_k, hh = 26 * g_k;
    dl->AddRectFilled(ImVec2(c.x - hw, c.y - hh), ImVec2(c.x + hw, c.y + hh),
                      on ? Palette::kLit : ImGui::GetColorU32(ImGuiCol_FrameBg), 12.f);
    dl->AddRect(ImVec2(c.x - hw, c.y - hh), ImVec2(c.x + hw, c.y + hh), ink, 12.f, 0, 2.f);
    std::string label = on && !litLabel.empty() ? litLabel : ui(v, nd.label);
    ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    dl->AddText(ImVec2(c.x - ts.x / 2, c.y - ts.y / 2), on ? 0xFF000000 : ink, label.c_str());
  }
}

// How far the last transition's dot has travelled: it restarts when the cursor moves.
float animationFor(size_t cursor) {
  static size_t lastCursor = SIZE_MAX;
  static double since = 0;
  double now = ImGui::GetTime();
  if (cursor != lastCursor) {
    lastCursor = cursor;
    since = now;
  }
  return static_cast<float>(std::min(1.0, (now - since) / 0.6));
}
}  // namespace

void drawStateView(Viewer& v) {
  // As large as the text wants, but both machines side by side in the window.
  // In a narrow column (runs side by side) the goroutine's machine goes under the rg/wg one.
  const float avail = ImGui::GetContentRegionAvail().x;
  const bool stacked = avail < 1250.f * 0.6f;
  g_k = stacked ? std::max(0.4f, std::min(ImGui::GetFontSize() / 13.f, avail / 840.f))
                : std::max(0.6f, std::min(ImGui::GetFontSize() / 13.f, avail / 1250.f));
  const WorldState& w = v.replay->state();
  size_t cursor = v.replay->cursor();
  float anim = animationFor(cursor);
  const trace::Event* cur = v.replay->current();

  // ---- pickers
  std::string preview = v.selection.pd ? fmt::format("pd{} (fd {})", v.selection.pd,
                                                     w.pdFd.count(v.selection.pd) ? w.pdFd.at(v.selection.pd) : -1)
                                       : ui(v, Ui::none);
  auto gname = [&](int64_t g) {
    auto it = v.trace->goroutines.find(g);
    return fmt::format("G{} {}", g, it != v.trace->goroutines.end() ? it->second : "");
  };
  if (!v.drawingHandout) {  // a handout picture has the machines only
    ImGui::SetNextItemWidth(180);
    if (ImGui::BeginCombo("pollDesc", preview.c_str())) {
      for (const auto& [pd, fd] : w.pdFd)
        if (ImGui::Selectable(fmt::format("pd{} (fd {})", pd, fd).c_str(), pd == v.selection.pd)) v.selectPollDesc(pd);
      ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (ImGui::RadioButton(ui(v, Ui::rgRead), v.selection.mode == 'r')) v.selectMode('r');
    ImGui::SameLine();
    if (ImGui::RadioButton(ui(v, Ui::wgWrite), v.selection.mode == 'w')) v.selectMode('w');
    ImGui::SameLine(0, 60);
    ImGui::SetNextItemWidth(180);
    if (ImGui::BeginCombo("goroutine",
                          v.selection.goroutine ? gname(v.selection.goroutine).c_str() : ui(v, Ui::none))) {
      for (const auto& [g, st] : w.gstatus)
        if (ImGui::Selectable(gname(g).c_str(), g == v.selection.goroutine)) v.selectGoroutine(g);
      ImGui::EndCombo();
    }
  }

  // ---- the rg/wg machine
  SemCell cell;
  auto it = w.sems.find({v.selection.pd, v.selection.mode});
  if (it != w.sems.end()) cell = it->second;
  std::optional<std::pair<int, int>> semEdge;
  if (auto s = cur ? trace::as<trace::Kind::sem>(*cur) : std::nullopt;
      s && s->pd() == v.selection.pd && static_cast<int64_t>(s->mode()) == v.selection.mode)
    semEdge = {static_cast<int>(s->from()), static_cast<int>(s->to())};
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddText(
      ImVec2(o.x, o.y + 4), ImGui::GetColorU32(ImGuiCol_TextDisabled),
      fmt::format("pd{}.{}g", v.selection.pd, v.selection.mode == 'r' ? 'r' : 'w').c_str());
  Machine sem{kSemNodes, std::size(kSemNodes), kSemEdges, std::size(kSemEdges)};
  drawMachine(v, dl, sem, ImVec2(o.x, o.y + 10), v.selection.pd ? static_cast<int>(cell.state) : -1, semEdge, anim,
              cell.state == SemState::G ? fmt::format(fmt::runtime(ui(v, Ui::gParked)), cell.g) : "");

  // ---- the goroutine's status machine
  ImVec2 go = stacked ? ImVec2(o.x + 200 * g_k, o.y + 420 * g_k) : ImVec2(o.x + 830 * g_k, o.y + 10);
  int gLit = -1;
  if (auto s = w.gstatus.find(v.selection.goroutine); s != w.gstatus.end()) gLit = static_cast<int>(s->second);
  std::optional<std::pair<int, int>> gEdge;
  if (auto g = cur ? trace::as<trace::Kind::gStatus>(*cur) : std::nullopt; g && g->goid() == v.selection.goroutine)
    gEdge = {static_cast<int>(g->from()), static_cast<int>(g->to())};
  dl->AddText(ImVec2(go.x, go.y - 6), ImGui::GetColorU32(ImGuiCol_TextDisabled),
              v.selection.goroutine ? gname(v.selection.goroutine).c_str() : ui(v, Ui::noGoroutine));
  Machine gm{kGNodes, std::size(kGNodes), kGEdges, std::size(kGEdges)};
  drawMachine(v, dl, gm, go, gLit, gEdge, anim, "");
  ImGui::Dummy(stacked ? ImVec2(830 * g_k, 800 * g_k) : ImVec2(1240 * g_k, 400 * g_k));

  // ---- badges: every pollDesc's rg/wg right now; click to select
  if (v.drawingHandout) return;
  ImGui::TextUnformatted(fmt::format(fmt::runtime(ui(v, Ui::everyPd)), w.waiters).c_str());
  for (const auto& [pd, fd] : w.pdFd) {
    auto name = [&, pd = pd](char m) {  // clang 14 cannot capture a structured binding by reference
      auto s = w.sems.find({pd, m});
      if (s == w.sems.end()) return std::string("pdNil");
      if (s->second.state == SemState::G) return fmt::format("G{}", s->second.g);
      return std::string(trace::enumName(trace::FieldType::SemState, static_cast<int64_t>(s->second.state)));
    };
    bool sel = pd == v.selection.pd;
    if (sel) ImGui::PushStyleColor(ImGuiCol_Button, Palette::kSelected);
    if (sel) ImGui::PushStyleColor(ImGuiCol_Text, 0xFF000000);
    if (ImGui::Button(fmt::format("pd{} fd {}  rg={}  wg={}", pd, fd, name('r'), name('w')).c_str()))
      v.selectPollDesc(pd);
    if (sel) ImGui::PopStyleColor(2);
    ImGui::SameLine();
    if (ImGui::GetContentRegionAvail().x < 300) ImGui::NewLine();
  }
  ImGui::NewLine();
}

}  // namespace pollscope::viz
