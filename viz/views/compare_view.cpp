// Runs side by side (pollscope-gui --compare A B [C], a lesson's compare slide):
// a column per run with its title, its current event in words, its phase strip,
// its rg/wg and goroutine lanes on one shared axis (the aligned event at the same
// x in every column) and its state machines or sequence diagram, drawn by the
// ordinary views on the pane's own Viewer. The bar above steps them together.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>

#include "analysis/explain.hpp"
#include "model/compare_run.hpp"
#include "model/timeline.hpp"
#include "views/views.hpp"

namespace pollscope::viz {

namespace {
// The pane's rg and wg lanes of its pollDesc and its goroutine's status lane, on
// the axis [first, last] of offsets from the aligned event, shared by the columns.
void drawAlignedLanes(Viewer& p, size_t anchor, long first, long last, long offset) {
  const auto& lanes = p.timelineLanes();
  std::vector<const Lane*> shown;
  for (const Lane& l : lanes)
    if (l.kind == Lane::Kind::semaphore && l.id == p.selection.pd) shown.push_back(&l);
  for (const Lane& l : lanes)
    if (l.kind == Lane::Kind::goroutine && l.id == p.selection.goroutine) shown.push_back(&l);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 o = ImGui::GetCursorScreenPos();
  const float fh = ImGui::GetFontSize();
  const float labelW = fh * 7.5f, laneH = fh * 1.1f, pitch = laneH + 4;
  float width = std::max(60.f, ImGui::GetContentRegionAvail().x - labelW - 4);
  float span = static_cast<float>(std::max(1L, last - first));
  auto xOf = [&](long idx) {  // an event index of this pane, at its offset on the shared axis
    float off = static_cast<float>(idx - static_cast<long>(anchor) - first);
    return o.x + labelW + width * std::clamp(off / span, 0.f, 1.f);
  };
  ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text);
  for (size_t li = 0; li < shown.size(); ++li) {
    const Lane& l = *shown[li];
    float y = o.y + static_cast<float>(li) * pitch;
    dl->AddText(ImVec2(o.x, y + 1), ink, l.label.c_str());
    for (const Span& sp : l.spans) {
      float x0 = xOf(static_cast<long>(sp.from)), x1 = std::max(xOf(static_cast<long>(sp.to)), x0 + 1.f);
      dl->AddRectFilled(ImVec2(x0, y), ImVec2(x1, y + laneH), laneColour(l, sp.state));
    }
  }
  float bottom = o.y + static_cast<float>(shown.size()) * pitch;
  // The aligned event: the same x in every column.
  float ax = o.x + labelW + width * static_cast<float>(-first) / span;
  for (float y = o.y - 2; y < bottom; y += 8) dl->AddLine(ImVec2(ax, y), ImVec2(ax, y + 4), ink, 1.f);
  float cx = o.x + labelW + width * static_cast<float>(offset - first) / span;
  dl->AddLine(ImVec2(cx, o.y - 4), ImVec2(cx, bottom + 2), Palette::kLit, 3.f);
  ImGui::Dummy(ImVec2(labelW + width, bottom - o.y + 6));
}

void drawPane(Viewer& v, ComparePane& pane, const ViewFonts& fonts, View view) {
  Viewer& p = *pane.viewer;
  const Comparison& c = *v.compare;
  p.drawn.reset();  // what this frame shows of the pane (drawnFactLines says it per pane)
  p.drawingHandout = v.drawingHandout;
  p.setPresenter(v.presenter());
  ImGui::PushFont(fonts.caption);
  ImGui::TextUnformatted(p.title.c_str());
  ImGui::PopFont();
  long at = static_cast<long>(p.replay->cursor()) - static_cast<long>(pane.anchor);
  ImGui::TextDisabled("%s", fmt::format(fmt::runtime(ui(v, Ui::compareEventOf)), at >= 0 ? "+" : "", at,
                                        p.replay->cursor(), p.replay->size())
                                .c_str());
  if (const trace::Event* e = p.replay->current())
    ImGui::TextWrapped("%s", analysis::narrate(*p.trace, *e, p.lang(), true).c_str());
  else
    ImGui::TextWrapped("%s", ui(v, Ui::beforeFirstEvent));
  drawPhaseStrip(p);
  drawAlignedLanes(p, pane.anchor, c.minOffset(), c.maxOffset(), c.offset);
  if (view == View::sequence)
    drawSequenceView(p);
  else
    drawStateView(p);
}
}  // namespace

void drawCompareBar(Viewer& v) {
  Comparison& c = *v.compare;
  if (ImGui::Button(" < ")) v.stepBack();
  ImGui::SameLine();
  if (ImGui::Button(v.playing ? ui(v, Ui::pause) : ui(v, Ui::play))) v.togglePlaying();
  ImGui::SameLine();
  if (ImGui::Button(" > ")) v.stepForward();
  ImGui::SameLine();
  if (ImGui::Button(ui(v, Ui::compareToAligned))) c.seekOffset(0);
  ImGui::SameLine();
  ImGui::TextDisabled("%s", fmt::format(fmt::runtime(ui(v, Ui::compareOffset)), c.offset).c_str());
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14);
  const AlignRule* now = alignRuleNamed(c.rule);
  if (ImGui::BeginCombo(ui(v, Ui::compareAlignOn), now ? ui(v, now->label) : c.rule.c_str())) {
    for (size_t i = 0; i < kAlignRuleCount; ++i)
      if (ImGui::Selectable(ui(v, kAlignRules[i].label), c.rule == kAlignRules[i].name)) {
        std::string err;
        if (!c.realign(kAlignRules[i].name, &err)) v.setStatus(err);
      }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  bool seq = v.view == View::sequence;
  if (ImGui::RadioButton(ui(v, Ui::viewState), !seq)) v.requestView(View::state);
  ImGui::SameLine();
  if (ImGui::RadioButton(ui(v, Ui::viewSequence), seq)) v.requestView(View::sequence);
  ImGui::SameLine();
  if (ImGui::Button(ui(v, languageInfo(nextLanguage(v.lang())).label))) v.toggleLanguage();
  if (!v.lesson) {
    ImGui::SameLine();
    if (ImGui::Button(ui(v, Ui::compareClose))) {
      v.compare.reset();
      return;
    }
  }
  if (!v.status.empty()) ImGui::TextDisabled("%s", v.status.c_str());
  // Keys: the panes step together.
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput || ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) return;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space))) v.togglePlaying();
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) v.stepForward();
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) v.stepBack();
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Home))) c.seekOffset(0);
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_End))) c.seekOffset(c.maxOffset());
}

void drawCompareView(Viewer& v, const ViewFonts& fonts) {
  Comparison& c = *v.compare;
  // The tab bar is not drawn here: a requested view is met at once.
  View view = v.requestedView.value_or(v.view);
  if (view != View::sequence) view = View::state;
  v.showingView(view);
  size_t n = c.panes.size();
  float gap = ImGui::GetStyle().ItemSpacing.x;
  float colW = (ImGui::GetContentRegionAvail().x - gap * static_cast<float>(n - 1)) / static_cast<float>(n);
  for (size_t i = 0; i < n; ++i) {
    if (i) ImGui::SameLine();
    ImGui::PushID(static_cast<int>(i));
    ImGui::BeginChild("pane", ImVec2(colW, 0), true);
    drawPane(v, c.panes[i], fonts, view);
    ImGui::EndChild();
    ImGui::PopID();
  }
}

}  // namespace pollscope::viz
