// The player: play/pause, step back and forth (live: at the newest event a step
// lets the engine itself go on), jump to the next change of the selected pollDesc
// or goroutine, breakpoints and bookmarks, a scrubber, the speed, and the current
// event in words.
#include <fmt/format.h>
#include <imgui.h>

#include "analysis/explain.hpp"
#include "model/export_view.hpp"
#include "trace/vocabulary.hpp"
#include "views/views.hpp"

namespace pollscope::viz {

namespace {
void jump(Viewer& v, std::optional<size_t> to, const char* what) {
  if (to)
    v.seek(*to);
  else
    v.setStatus(std::string("no ") + what);
}

void drawBreakpointsPopup(Viewer& v) {
  if (!ImGui::BeginPopup("breakpoints")) return;
  static int on = 0;
  static int kind = static_cast<int>(trace::Kind::sem);
  static int value = 0;
  ImGui::TextUnformatted(ui(v, Ui::bpStopAt));
  ImGui::SetNextItemWidth(200);
  ImGui::Combo(fmt::format("{}##on", ui(v, Ui::bpOn)).c_str(), &on, ui(v, Ui::bpChoices));
  ImGui::SetNextItemWidth(200);
  switch (on) {
    case 0: {
      std::string preview = trace::kindSpec(static_cast<trace::Kind>(kind)).name;
      if (ImGui::BeginCombo(fmt::format("{}##kind", ui(v, Ui::bpKind)).c_str(), preview.c_str())) {
        for (int k = 0; k < trace::kKindCount; ++k)
          if (ImGui::Selectable(trace::kindSpec(static_cast<trace::Kind>(k)).name, k == kind)) kind = k;
        ImGui::EndCombo();
      }
      value = kind;
      break;
    }
    case 1:
    case 2:
      if (value == 0 && on == 1) value = static_cast<int>(v.selection.goroutine);
      ImGui::InputInt(fmt::format("{}##value", ui(v, on == 1 ? Ui::bpGoroutineId : Ui::bpFd)).c_str(), &value);
      break;
    case 3:
      ImGui::Combo(fmt::format("{}##state", ui(v, Ui::bpState)).c_str(), &value, "pdNil\0pdReady\0pdWait\0G\0");
      break;
    case 4:
      ImGui::Combo(fmt::format("{}##status", ui(v, Ui::bpStatus)).c_str(), &value,
                   "_Gidle\0_Grunnable\0_Grunning\0_Gwaiting\0_Gdead\0");
      break;
  }
  if (ImGui::Button(ui(v, Ui::bpAdd))) v.addBreakpoint({static_cast<Breakpoint::On>(on), value, true});
  ImGui::Separator();
  if (v.breakpoints.empty()) ImGui::TextDisabled("%s", ui(v, Ui::bpNone));
  for (size_t i = 0; i < v.breakpoints.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    if (bool enabled = v.breakpoints[i].enabled; ImGui::Checkbox(v.breakpoints[i].describe().c_str(), &enabled))
      v.setBreakpointEnabled(i, enabled);
    ImGui::SameLine();
    if (ImGui::SmallButton(ui(v, Ui::bpRemove))) {
      v.removeBreakpoint(i);
      ImGui::PopID();
      break;
    }
    ImGui::PopID();
  }
  ImGui::EndPopup();
}

void drawBookmarksPopup(Viewer& v) {
  if (!ImGui::BeginPopup("bookmarks")) return;
  size_t cursor = v.replay->cursor();
  static char label[128] = "";
  ImGui::SetNextItemWidth(220);
  ImGui::InputTextWithHint("##label", ui(v, Ui::bmLabel), label, sizeof label);
  ImGui::SameLine();
  if (ImGui::Button(ui(v, Ui::bmAdd))) {
    v.toggleBookmark(cursor, label[0] ? label : fmt::format("event {}", cursor));
    label[0] = 0;
  }
  ImGui::Separator();
  if (v.bookmarks.list().empty()) ImGui::TextDisabled("%s", ui(v, Ui::bmNone));
  for (const auto& b : v.bookmarks.list())
    if (ImGui::Selectable(fmt::format("{:>6}  {}", b.cursor, b.label).c_str(), b.cursor == cursor)) v.seek(b.cursor);
  ImGui::EndPopup();
}
}  // namespace

void handlePlayerKeys(Viewer& v) {
  // Keyboard: space plays, arrows step, Home/End jump, B bookmarks, [ ] bookmarks, each view's key (1-4).
  Replay& r = *v.replay;
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput || ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) return;
  // In front of a class Space is the next visible step (P plays); Shift+arrows skip bookkeeping anywhere.
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space))) {
    if (v.presenter())
      v.stepVisible();
    else
      v.togglePlaying();
  }
  if (v.presenter() && !io.KeyCtrl && ImGui::IsKeyPressed('P', false)) v.togglePlaying();
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) {
    if (io.KeyShift)
      v.stepVisible();
    else
      v.stepForward();
  }
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) {
    if (io.KeyShift)
      v.stepVisibleBack();
    else
      v.stepBack();
  }
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Home))) v.seek(0);
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_End))) v.seek(r.size());
  if (!io.KeyCtrl && ImGui::IsKeyPressed('B', false)) v.toggleBookmark(r.cursor(), fmt::format("event {}", r.cursor()));
  if (ImGui::IsKeyPressed(']', false)) jump(v, v.bookmarks.next(r.cursor()), "later bookmark");
  if (ImGui::IsKeyPressed('[', false)) jump(v, v.bookmarks.prev(r.cursor()), "earlier bookmark");
  if (!io.KeyCtrl && ImGui::IsKeyPressed('F', false)) v.toggleFollowCursor();
  for (const ViewInfo& row : kViews)
    if (!io.KeyCtrl && ImGui::IsKeyPressed(row.key, false)) v.requestView(row.view);
}

void drawPlayerBar(Viewer& v) {
  Replay& r = *v.replay;
  ImGui::Text("%s", v.title.c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("%s", fmt::format(fmt::runtime(ui(v, Ui::eventsBackendProcs)), r.size(), v.trace->meta.backend,
                                        v.trace->meta.gomaxprocs)
                                .c_str());

  if (ImGui::Button("|<")) v.seek(0);
  ImGui::SameLine();
  if (ImGui::Button("<")) v.stepBack();
  ImGui::SameLine();
  if (ImGui::Button(fmt::format("{}###play", ui(v, v.playing ? Ui::pause : Ui::play)).c_str())) v.togglePlaying();
  ImGui::SameLine();
  if (ImGui::Button(">")) v.stepForward();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("one event (Right arrow)");
  ImGui::SameLine();
  if (ImGui::Button(">>")) v.stepVisible();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("next visible step, skipping bookkeeping events (Shift+Right)");
  ImGui::SameLine();
  if (ImGui::Button(">|")) v.seek(r.size());
  ImGui::SameLine();
  ImGui::TextDisabled("|");
  ImGui::SameLine();
  Follow pd{v.selection.pd ? std::optional<int64_t>(v.selection.pd) : std::nullopt, std::nullopt};
  Follow g{std::nullopt, v.selection.goroutine ? std::optional<int64_t>(v.selection.goroutine) : std::nullopt};
  if (ImGui::Button("<pd")) jump(v, pd.pd ? r.prevChange(pd) : std::nullopt, "earlier change of the pollDesc");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", fmt::format(fmt::runtime(ui(v, Ui::tipPrevPd)), v.selection.pd).c_str());
  ImGui::SameLine();
  if (ImGui::Button("pd>")) jump(v, pd.pd ? r.nextChange(pd) : std::nullopt, "later change of the pollDesc");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", fmt::format(fmt::runtime(ui(v, Ui::tipNextPd)), v.selection.pd).c_str());
  ImGui::SameLine();
  if (ImGui::Button("<G")) jump(v, g.goroutine ? r.prevChange(g) : std::nullopt, "earlier change of the goroutine");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", fmt::format(fmt::runtime(ui(v, Ui::tipPrevG)), v.selection.goroutine).c_str());
  ImGui::SameLine();
  if (ImGui::Button("G>")) jump(v, g.goroutine ? r.nextChange(g) : std::nullopt, "later change of the goroutine");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", fmt::format(fmt::runtime(ui(v, Ui::tipNextG)), v.selection.goroutine).c_str());
  ImGui::SameLine();
  if (ImGui::Button(fmt::format("<{}###prevbreak", ui(v, Ui::breakHit)).c_str()))
    jump(v, prevBreak(*v.trace, r.cursor(), v.breakpoints), "earlier breakpoint hit");
  ImGui::SameLine();
  if (ImGui::Button(fmt::format("{}>###nextbreak", ui(v, Ui::breakHit)).c_str()))
    jump(v, nextBreak(*v.trace, r.cursor(), v.breakpoints), "later breakpoint hit");
  ImGui::SameLine();
  if (ImGui::Button(
          fmt::format(fmt::runtime(std::string(ui(v, Ui::breakpointsN)) + "###bp"), v.breakpoints.size()).c_str()))
    ImGui::OpenPopup("breakpoints");
  drawBreakpointsPopup(v);
  ImGui::SameLine();
  if (ImGui::Button(
          fmt::format(fmt::runtime(std::string(ui(v, Ui::bookmarksN)) + "###bm"), v.bookmarks.list().size()).c_str()))
    ImGui::OpenPopup("bookmarks");
  drawBookmarksPopup(v);
  ImGui::SameLine();
  ImGui::TextDisabled("|");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(130);
  float speed = v.speed;
  if (ImGui::SliderFloat("##speed", &speed, 0.25f, 64.f, ui(v, v.realTime ? Ui::speedMs : Ui::speedEvents),
                         ImGuiSliderFlags_Logarithmic))
    v.setSpeed(speed);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", ui(v, v.realTime ? Ui::tipSpeedReal : Ui::tipSpeedEvents));
  ImGui::SameLine();
  if (bool realTime = v.realTime; ImGui::Checkbox(fmt::format("{}###rt", ui(v, Ui::realTime)).c_str(), &realTime))
    v.setRealTime(realTime);
  // Export what is on screen: to a file in the working directory, or to the clipboard.
  ImGui::SameLine();
  // Save view asks where (views/menu_bar.cpp's save dialog), Save picture is beside it.
  if (ImGui::Button(ui(v, Ui::saveView))) v.requestSaveDialog();
  ImGui::SameLine();
  if (ImGui::Button(ui(v, Ui::savePicture))) v.requestPicture();
  ImGui::SameLine();
  if (ImGui::Button(ui(v, Ui::copyView))) {
    auto x = exportCurrentView(v);
    ImGui::SetClipboardText(x.parts.front().c_str());
    v.setStatus("copied the " + x.describe + " to the clipboard" +
                (x.parts.size() > 1 ? " (part 1 of " + std::to_string(x.parts.size()) + ")" : ""));
  }

  handlePlayerKeys(v);

  int cursor = static_cast<int>(r.cursor());
  ImGui::SetNextItemWidth(-1);
  if (ImGui::SliderInt("##scrub", &cursor, 0, static_cast<int>(r.size()), ui(v, Ui::scrubEvent)))
    v.seek(static_cast<size_t>(cursor));
  // Bookmarks as ticks under the scrubber.
  if (!v.bookmarks.list().empty() && r.size()) {
    ImVec2 mn = ImGui::GetItemRectMin(), mx = ImGui::GetItemRectMax();
    for (const auto& b : v.bookmarks.list()) {
      float x = mn.x + (mx.x - mn.x) * static_cast<float>(b.cursor) / static_cast<float>(r.size());
      ImGui::GetWindowDrawList()->AddTriangleFilled(ImVec2(x, mx.y - 6), ImVec2(x - 5, mx.y + 2),
                                                    ImVec2(x + 5, mx.y + 2), Palette::kBookmark);
    }
  }

  if (!v.startHint.empty()) {
    std::string hint = v.startHint;
    if (!v.ttfFonts && hint.rfind("\u2192", 0) == 0) hint = "The right arrow" + hint.substr(3);  // no glyph for it
    ImGui::TextColored(ImVec4(1.f, 0.67f, 0.16f, 1.f), "%s", hint.c_str());
  }
  if (const trace::Event* e = r.current()) {
    std::string said = analysis::narrate(*v.trace, *e, v.lang(), true);
    ImGui::Text("#%llu  M%d  %s", static_cast<unsigned long long>(e->seq), e->m, said.c_str());
    if (e->site) {
      ImGui::SameLine();
      ImGui::TextDisabled("  %s  (%s:%d)", e->site->goFunc, e->site->file, e->site->line);
    }
  } else if (v.live) {
    ImGui::TextDisabled("%s", ui(v, Ui::liveWaiting));
  } else {
    ImGui::TextDisabled("%s", ui(v, Ui::beforeFirstEvent));
  }
  if (!v.status.empty()) ImGui::TextDisabled("%s", v.status.c_str());
}

}  // namespace pollscope::viz
