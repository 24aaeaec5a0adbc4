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
  ImGui::TextUnformatted("Stop playback at an event...");
  ImGui::SetNextItemWidth(200);
  ImGui::Combo("on", &on, "of kind\0of goroutine G\0on fd\0moving rg/wg to\0moving a G to status\0");
  ImGui::SetNextItemWidth(200);
  switch (on) {
    case 0: {
      std::string preview = trace::kindSpec(static_cast<trace::Kind>(kind)).name;
      if (ImGui::BeginCombo("kind", preview.c_str())) {
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
      ImGui::InputInt(on == 1 ? "goroutine id" : "fd", &value);
      break;
    case 3: ImGui::Combo("state", &value, "pdNil\0pdReady\0pdWait\0G (parked)\0"); break;
    case 4: ImGui::Combo("status", &value, "idle\0runnable\0running\0waiting\0dead\0"); break;
  }
  if (ImGui::Button("Add")) v.addBreakpoint({static_cast<Breakpoint::On>(on), value, true});
  ImGui::Separator();
  if (v.breakpoints.empty()) ImGui::TextDisabled("no breakpoints");
  for (size_t i = 0; i < v.breakpoints.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    if (bool enabled = v.breakpoints[i].enabled; ImGui::Checkbox(v.breakpoints[i].describe().c_str(), &enabled))
      v.setBreakpointEnabled(i, enabled);
    ImGui::SameLine();
    if (ImGui::SmallButton("remove")) {
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
  ImGui::InputTextWithHint("##label", "label (optional)", label, sizeof label);
  ImGui::SameLine();
  if (ImGui::Button("Bookmark this event")) {
    v.toggleBookmark(cursor, label[0] ? label : fmt::format("event {}", cursor));
    label[0] = 0;
  }
  ImGui::Separator();
  if (v.bookmarks.list().empty()) ImGui::TextDisabled("no bookmarks (B toggles one at the cursor)");
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
  ImGui::TextDisabled("(%zu events, %s, GOMAXPROCS=%d)", r.size(), v.trace->meta.backend.c_str(),
                      v.trace->meta.gomaxprocs);

  if (ImGui::Button("|<")) v.seek(0);
  ImGui::SameLine();
  if (ImGui::Button("<")) v.stepBack();
  ImGui::SameLine();
  if (ImGui::Button(v.playing ? "Pause" : "Play ")) v.togglePlaying();
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
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("previous event on pd%lld", static_cast<long long>(v.selection.pd));
  ImGui::SameLine();
  if (ImGui::Button("pd>")) jump(v, pd.pd ? r.nextChange(pd) : std::nullopt, "later change of the pollDesc");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("next event on pd%lld", static_cast<long long>(v.selection.pd));
  ImGui::SameLine();
  if (ImGui::Button("<G")) jump(v, g.goroutine ? r.prevChange(g) : std::nullopt, "earlier change of the goroutine");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("previous event of G%lld", static_cast<long long>(v.selection.goroutine));
  ImGui::SameLine();
  if (ImGui::Button("G>")) jump(v, g.goroutine ? r.nextChange(g) : std::nullopt, "later change of the goroutine");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("next event of G%lld", static_cast<long long>(v.selection.goroutine));
  ImGui::SameLine();
  if (ImGui::Button("<break")) jump(v, prevBreak(*v.trace, r.cursor(), v.breakpoints), "earlier breakpoint hit");
  ImGui::SameLine();
  if (ImGui::Button("break>")) jump(v, nextBreak(*v.trace, r.cursor(), v.breakpoints), "later breakpoint hit");
  ImGui::SameLine();
  if (ImGui::Button(fmt::format("Breakpoints ({})", v.breakpoints.size()).c_str())) ImGui::OpenPopup("breakpoints");
  drawBreakpointsPopup(v);
  ImGui::SameLine();
  if (ImGui::Button(fmt::format("Bookmarks ({})", v.bookmarks.list().size()).c_str())) ImGui::OpenPopup("bookmarks");
  drawBookmarksPopup(v);
  ImGui::SameLine();
  ImGui::TextDisabled("|");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(130);
  float speed = v.speed;
  if (ImGui::SliderFloat("##speed", &speed, 0.25f, 64.f, v.realTime ? "%.2f ms/s" : "%.2f ev/s",
                         ImGuiSliderFlags_Logarithmic))
    v.setSpeed(speed);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(v.realTime ? "real time: trace milliseconds played per second, gaps kept" : "events per second");
  ImGui::SameLine();
  if (bool realTime = v.realTime; ImGui::Checkbox("real time", &realTime)) v.setRealTime(realTime);
  // Export what is on screen: to a file in the working directory, or to the clipboard.
  ImGui::SameLine();
  if (ImGui::Button("Save view")) {
    auto x = exportCurrentView(v);
    std::string err;
    auto files = saveExport(x, defaultExportPath(v, x), &err);
    v.setStatus(files.empty() ? err
                              : "saved the " + x.describe + " to " + files.front() +
                                    (files.size() > 1 ? " (+" + std::to_string(files.size() - 1) + " parts)" : ""));
  }
  ImGui::SameLine();
  if (ImGui::Button("Copy view")) {
    auto x = exportCurrentView(v);
    ImGui::SetClipboardText(x.parts.front().c_str());
    v.setStatus("copied the " + x.describe + " to the clipboard" +
                (x.parts.size() > 1 ? " (part 1 of " + std::to_string(x.parts.size()) + ")" : ""));
  }

  handlePlayerKeys(v);

  int cursor = static_cast<int>(r.cursor());
  ImGui::SetNextItemWidth(-1);
  if (ImGui::SliderInt("##scrub", &cursor, 0, static_cast<int>(r.size()), "event %d"))
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
    ImGui::TextDisabled("Live: waiting for the engine's first event.");
  } else {
    ImGui::TextDisabled("Before the first event. Press space to play, or the arrow keys to step.");
  }
  if (!v.status.empty()) ImGui::TextDisabled("%s", v.status.c_str());
}

}  // namespace pollscope::viz
