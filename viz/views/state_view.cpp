// State diagrams. Left: the rg/wg machine of the selected pollDesc (pdNil,
// pdWait, G, pdReady) with edges named by the functions that take them. Right:
// the status machine of the selected goroutine. In both the current state is
// lit and the transition just made is drawn thick with a dot running along it;
// a commit whose CAS failed is drawn crossed out, and the aborted park as the
// goroutine going back to running. Both machines scale to the space they have
// (model/state_machines.hpp places every label beside its own edge).
// Below: a badge for every pollDesc (click one to select it).
#include <fmt/format.h>
#include <imgui.h>

#include <cmath>

#include "analysis/explain.hpp"
#include "model/label_fit.hpp"
#include "model/state_machines.hpp"
#include "trace/fields.hpp"
#include "trace/vocabulary.hpp"
#include "views/views.hpp"

namespace pollscope::viz {
using trace::GStatus;
using trace::SemState;

namespace {
ImVec2 iv(Pt p) {
  return ImVec2(p.x, p.y);
}

// An edge's special drawing for this frame.
struct EdgeMark {
  std::pair<int, int> edge;
  enum class How { hot, failed, next } how;
  const char* label = nullptr;  // replaces the edge's own label
};

// Draws a machine at scale `k`; `lit` the current state (-1: none); `marks` the
// edges drawn specially; `anim` in [0,1] how far the hot edge's dot has travelled.
void drawMachine(const Viewer& v, ImDrawList* dl, const MachineDef& m, ImVec2 o, float k, int lit,
                 const std::vector<EdgeMark>& marks, float anim, const std::string& litLabel, float labelScale) {
  ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text);
  ImU32 faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const float fh = ImGui::GetFontSize();
  auto markOf = [&](const MachineEdge& e) -> const EdgeMark* {
    for (const auto& mk : marks)
      if (mk.edge == std::pair<int, int>(e.from, e.to)) return &mk;
    return nullptr;
  };
  // Node boxes as wide as their widest label (labels at the machine's text scale).
  float nodeW = 124 * k;
  for (const auto& nd : m.nodes) nodeW = std::max(nodeW, ImGui::CalcTextSize(ui(v, nd.label)).x * labelScale + 16);
  if (!litLabel.empty()) nodeW = std::max(nodeW, ImGui::CalcTextSize(litLabel.c_str()).x * labelScale + 16);
  Pt half{nodeW / 2, std::max(26 * k, fh * labelScale * 0.5f + 8)};
  std::vector<std::string> labels;
  std::vector<Pt> sizes;
  for (const auto& e : m.edges) {
    const EdgeMark* mk = markOf(e);
    labels.emplace_back(mk && mk->label ? mk->label : ui(v, e.label));
    ImVec2 ts = ImGui::CalcTextSize(labels.back().c_str());
    sizes.push_back({ts.x * labelScale, ts.y * labelScale});
  }
  MachineLayout lay = layoutMachine(m, k, {o.x, o.y}, sizes, half);
  for (size_t i = 0; i < m.edges.size(); ++i) {
    const EdgeMark* mk = markOf(m.edges[i]);
    ImVec2 a = iv(lay.edges[i].first), b = iv(lay.edges[i].second);
    ImVec2 d(b.x - a.x, b.y - a.y);
    float len = std::sqrt(d.x * d.x + d.y * d.y);
    ImVec2 u(d.x / len, d.y / len);
    ImU32 col = !mk ? faint : mk->how == EdgeMark::How::failed ? Palette::kFailed : Palette::kLit;
    float thick = mk ? 4.f : 1.5f;
    if (mk && mk->how != EdgeMark::How::hot) {  // failed or still to come: dashed
      for (float s = 0; s < len; s += 14.f)
        dl->AddLine(ImVec2(a.x + u.x * s, a.y + u.y * s),
                    ImVec2(a.x + u.x * std::min(s + 8.f, len), a.y + u.y * std::min(s + 8.f, len)), col, thick);
    } else {
      dl->AddLine(a, b, col, thick);
    }
    dl->AddTriangleFilled(b, ImVec2(b.x - u.x * 12 - u.y * 6, b.y - u.y * 12 + u.x * 6),
                          ImVec2(b.x - u.x * 12 + u.y * 6, b.y - u.y * 12 - u.x * 6), col);
    if (mk && mk->how == EdgeMark::How::failed) {  // the CAS that did not happen, crossed out
      ImVec2 c((a.x + b.x) / 2, (a.y + b.y) / 2);
      float r = 14.f;
      dl->AddLine(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), col, 5.f);
      dl->AddLine(ImVec2(c.x - r, c.y + r), ImVec2(c.x + r, c.y - r), col, 5.f);
    }
    if (mk && mk->how == EdgeMark::How::hot && anim < 1.f)
      dl->AddCircleFilled(ImVec2(a.x + (b.x - a.x) * anim, a.y + (b.y - a.y) * anim), 7.f, Palette::kLit);
    const Box& lb = lay.labels[i];
    ImU32 textCol = mk ? ink : faint;  // a marked edge's label on a band of its colour: readable in both themes
    if (mk)
      dl->AddRectFilled(
          ImVec2(lb.x0 - 3, lb.y0 - 1), ImVec2(lb.x1 + 3, lb.y1 + 1),
          mk->how == EdgeMark::How::failed ? (Palette::kFailed & 0x00FFFFFF) | 0x70000000 : Palette::kLitBand, 3.f);
    dl->AddText(ImGui::GetFont(), fh * labelScale, ImVec2(lb.x0, lb.y0), textCol, labels[i].c_str());
  }
  for (size_t i = 0; i < m.nodes.size(); ++i) {
    const MachineNode& nd = m.nodes[i];
    const Box& b = lay.nodes[i];
    bool on = lit == nd.state;
    dl->AddRectFilled(ImVec2(b.x0, b.y0), ImVec2(b.x1, b.y1), on ? Palette::kLit : ImGui::GetColorU32(ImGuiCol_FrameBg),
                      12.f);
    dl->AddRect(ImVec2(b.x0, b.y0), ImVec2(b.x1, b.y1), ink, 12.f, 0, on ? 4.f : 2.f);
    std::string label = on && !litLabel.empty() ? litLabel : ui(v, nd.label);
    ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    ts = ImVec2(ts.x * labelScale, ts.y * labelScale);
    dl->AddText(ImGui::GetFont(), fh * labelScale, ImVec2((b.x0 + b.x1) / 2 - ts.x / 2, (b.y0 + b.y1) / 2 - ts.y / 2),
                on ? 0xFF000000 : ink, label.c_str());
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

// The goroutine a park event is about: the last one to go _Gwaiting before it (park_m runs on g0).
int64_t parkingGoroutine(const traceio::TraceModel& t, size_t index) {
  for (size_t i = index; i-- > 0 && index - i < 256;)
    if (auto g = trace::as<trace::Kind::gStatus>(t.events[i]); g && g->to() == GStatus::Gwaiting) return g->goid();
  return 0;
}
}  // namespace

void drawStateView(Viewer& v) {
  const WorldState& w = v.replay->state();
  size_t cursor = v.replay->cursor();
  float anim = animationFor(cursor);
  const trace::Event* cur = v.replay->current();
  if (cur) v.drawn.currentSeq = cur->seq;

  // ---- pickers
  ImGui::AlignTextToFramePadding();
  std::string preview = v.selection.pd ? fmt::format("pd{} (fd {})", v.selection.pd,
                                                     w.pdFd.count(v.selection.pd) ? w.pdFd.at(v.selection.pd) : -1)
                                       : ui(v, Ui::none);
  auto gname = [&](int64_t g) {
    auto it = v.trace->goroutines.find(g);
    return fmt::format("G{} {}", g, it != v.trace->goroutines.end() ? it->second : "");
  };
  if (!v.drawingHandout) {  // a handout picture has the machines only
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    if (ImGui::BeginCombo("pollDesc", preview.c_str())) {
      for (const auto& [pd, fd] : w.pdFd)
        if (ImGui::Selectable(fmt::format("pd{} (fd {})", pd, fd).c_str(), pd == v.selection.pd)) v.selectPollDesc(pd);
      ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (ImGui::RadioButton(ui(v, Ui::rgRead), v.selection.mode == 'r')) v.selectMode('r');
    ImGui::SameLine();
    if (ImGui::RadioButton(ui(v, Ui::wgWrite), v.selection.mode == 'w')) v.selectMode('w');
    ImGui::SameLine(0, 40);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    if (ImGui::BeginCombo("goroutine",
                          v.selection.goroutine ? gname(v.selection.goroutine).c_str() : ui(v, Ui::none))) {
      for (const auto& [g, st] : w.gstatus)
        if (ImGui::Selectable(gname(g).c_str(), g == v.selection.goroutine)) v.selectGoroutine(g);
      ImGui::EndCombo();
    }
  }

  const float fh = ImGui::GetFontSize();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const MachineDef& semDef = semMachine();
  const MachineDef& gDef = goroutineMachine();

  // ---- what the current event does to the machines
  SemCell cell;
  auto it = w.sems.find({v.selection.pd, v.selection.mode});
  if (it != w.sems.end()) cell = it->second;
  std::vector<EdgeMark> semMarks, gMarks;
  const char* drawnAs = nullptr;
  auto onSelected = [&](int64_t pd, trace::Mode mode) {
    return pd == v.selection.pd && static_cast<int64_t>(mode) == v.selection.mode;
  };
  if (auto s = cur ? trace::as<trace::Kind::sem>(*cur) : std::nullopt; s && onSelected(s->pd(), s->mode())) {
    semMarks.push_back({{static_cast<int>(s->from()), static_cast<int>(s->to())}, EdgeMark::How::hot});
    drawnAs = "edge";
  }
  int64_t abortedG = 0;
  if (auto p = cur ? trace::as<trace::Kind::park>(*cur) : std::nullopt;
      p && p->result() == trace::ParkResult::aborted && onSelected(p->pd(), p->mode())) {
    // The commit's CAS pdWait -> G failed: the event had already made it pdReady.
    semMarks.push_back({{static_cast<int>(SemState::pdWait), static_cast<int>(SemState::G)},
                        EdgeMark::How::failed,
                        ui(v, Ui::commitFails)});
    abortedG = parkingGoroutine(*v.trace, cursor - 1);
    drawnAs = "failed CAS";
  }
  int64_t shownG = abortedG ? abortedG : v.selection.goroutine;
  int gLit = -1;
  if (auto s = w.gstatus.find(shownG); s != w.gstatus.end()) gLit = static_cast<int>(s->second);
  if (auto g = cur ? trace::as<trace::Kind::gStatus>(*cur) : std::nullopt; g && g->goid() == shownG) {
    gMarks.push_back({{static_cast<int>(g->from()), static_cast<int>(g->to())}, EdgeMark::How::hot});
    if (!drawnAs) drawnAs = "edge";
  }
  if (abortedG) {
    // park_m, its commit failed: casgstatus(_Gwaiting -> _Grunnable), then execute: the G runs on.
    gMarks.push_back({{static_cast<int>(GStatus::Gwaiting), static_cast<int>(GStatus::Grunnable)},
                      EdgeMark::How::next,
                      ui(v, Ui::parkAborted)});
    gMarks.push_back({{static_cast<int>(GStatus::Grunnable), static_cast<int>(GStatus::Grunning)},
                      EdgeMark::How::next,
                      ui(v, Ui::runsOnAtOnce)});
  }

  // ---- the current event in words: lit when neither machine draws it (the presenter's
  // caption already says it otherwise)
  if (cur && (!drawnAs || !v.presenter())) {
    std::string name = analysis::narrate(*v.trace, *cur, v.lang(), true);
    if (name.empty()) name = trace::kindSpec(cur->kind).name;
    ImVec2 at = ImGui::GetCursorScreenPos();
    FittedLabel f = fitLabel(ui(v, Ui::nowColon) + name, ImGui::GetContentRegionAvail().x - 16,
                             [](std::string_view s) { return ImGui::CalcTextSize(s.data(), s.data() + s.size()).x; });
    if (f.drawn()) {
      float tw = ImGui::CalcTextSize(f.text.c_str()).x * f.scale;
      if (!drawnAs) dl->AddRectFilled(at, ImVec2(at.x + tw + 12, at.y + fh + 6), Palette::kLit, 4.f);
      dl->AddText(ImGui::GetFont(), fh * f.scale, ImVec2(at.x + 6, at.y + 3),
                  drawnAs ? ImGui::GetColorU32(ImGuiCol_Text) : 0xFF000000, f.text.c_str());
      if (!drawnAs) v.drawn.marked("banner");
    }
    ImGui::Dummy(ImVec2(1, fh + 8));
  }
  if (drawnAs) v.drawn.marked(drawnAs);

  // ---- scale: both machines side by side in the space left (in presenter mode the
  // badges give their row to the machines)
  ImVec2 avail = ImGui::GetContentRegionAvail();
  float badgesH = v.presenter() ? 4.f : ImGui::GetFrameHeightWithSpacing() * 2 + 8;
  float unitsW = semDef.width + 60 + gDef.width, unitsH = std::max(semDef.height, gDef.height) + 10;
  const float fz = fh / 13.f;
  float k = std::min({fz, (avail.x - 8) / unitsW, std::max(80.f, avail.y - badgesH - fh - 4) / unitsH});
  k = std::max(k, 0.3f);
  // Text shrinks with the machines, never below a readable size.
  float labelScale = std::clamp(k / fz * 1.6f, 0.7f, 1.f);

  // ---- the rg/wg machine
  ImVec2 o = ImGui::GetCursorScreenPos();
  dl->AddText(ImGui::GetFont(), fh * labelScale, ImVec2(o.x, o.y), ImGui::GetColorU32(ImGuiCol_TextDisabled),
              fmt::format("pd{}.{}g", v.selection.pd, v.selection.mode == 'r' ? 'r' : 'w').c_str());
  const float titleH = fh * labelScale + 2;  // the machines' names above them
  drawMachine(v, dl, semDef, ImVec2(o.x, o.y + titleH - 14 * k), k, v.selection.pd ? static_cast<int>(cell.state) : -1,
              semMarks, anim, cell.state == SemState::G ? fmt::format(fmt::runtime(ui(v, Ui::gParked)), cell.g) : "",
              labelScale);

  // ---- the goroutine's status machine
  ImVec2 go(o.x + (semDef.width + 60) * k, o.y);
  dl->AddText(ImGui::GetFont(), fh * labelScale, go, ImGui::GetColorU32(ImGuiCol_TextDisabled),
              shownG ? gname(shownG).c_str() : ui(v, Ui::noGoroutine));
  drawMachine(v, dl, gDef, ImVec2(go.x, go.y + titleH), k, gLit, gMarks, anim, "", labelScale);
  ImGui::Dummy(ImVec2(unitsW * k, unitsH * k + titleH));
  if (v.presenter() || v.drawingHandout) return;

  // ---- badges: every pollDesc's rg/wg right now; click to select
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
