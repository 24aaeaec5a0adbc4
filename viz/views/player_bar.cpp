// Play/pause, step back and forth, jump to the next change of the selection, a
// scrubber, the speed, and the current event in words.
#include <fmt/format.h>
#include <imgui.h>

#include "analysis/explain.hpp"
#include "app/export_view.hpp"
#include "trace/vocabulary.hpp"
#include "views/views.hpp"

namespace pollscope::viz {

void drawPlayerBar(Viewer& v) {
  Replay& r = *v.replay;
  ImGui::Text("%s", v.title.c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("(%zu events, %s, GOMAXPROCS=%d)", r.size(), v.trace->meta.backend.c_str(),
                      v.trace->meta.gomaxprocs);

  if (ImGui::Button("|<")) r.seek(0);
  ImGui::SameLine();
  if (ImGui::Button("<")) r.stepBack();
  ImGui::SameLine();
  if (ImGui::Button(v.playing ? "Pause" : "Play ")) v.playing = !v.playing;
  ImGui::SameLine();
  if (ImGui::Button(">")) r.stepForward();
  ImGui::SameLine();
  if (ImGui::Button(">|")) r.seek(r.size());
  ImGui::SameLine();
  Follow f{v.selection.pd ? std::optional<int64_t>(v.selection.pd) : std::nullopt, std::nullopt};
  if (ImGui::Button("prev pd change") && f.pd)
    if (auto c = r.prevChange(f)) r.seek(*c);
  ImGui::SameLine();
  if (ImGui::Button("next pd change") && f.pd)
    if (auto c = r.nextChange(f)) r.seek(*c);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(140);
  ImGui::SliderFloat("events/s", &v.speed, 0.25f, 64.f, "%.2f", ImGuiSliderFlags_Logarithmic);
  // Export what is on screen: to a file in the working directory, or to the clipboard.
  ImGui::SameLine();
  if (ImGui::Button("Save view")) {
    auto x = exportCurrentView(v);
    std::string err;
    auto files = saveExport(x, defaultExportPath(v, x), &err);
    v.status = files.empty() ? err
                             : "saved the " + x.describe + " to " + files.front() +
                                   (files.size() > 1 ? " (+" + std::to_string(files.size() - 1) + " parts)" : "");
  }
  ImGui::SameLine();
  if (ImGui::Button("Copy view")) {
    auto x = exportCurrentView(v);
    ImGui::SetClipboardText(x.parts.front().c_str());
    v.status = "copied the " + x.describe + " to the clipboard" +
               (x.parts.size() > 1 ? " (part 1 of " + std::to_string(x.parts.size()) + ")" : "");
  }
  if (!v.status.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", v.status.c_str());
  }

  // Keyboard: space plays, arrows step, Home/End jump.
  ImGuiIO& io = ImGui::GetIO();
  if (!io.WantTextInput) {
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space))) v.playing = !v.playing;
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) r.stepForward();
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) r.stepBack();
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Home))) r.seek(0);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_End))) r.seek(r.size());
  }

  int cursor = static_cast<int>(r.cursor());
  ImGui::SetNextItemWidth(-1);
  if (ImGui::SliderInt("##scrub", &cursor, 0, static_cast<int>(r.size()), "event %d"))
    r.seek(static_cast<size_t>(cursor));

  if (const trace::Event* e = r.current()) {
    std::string said = analysis::narrate(*v.trace, *e, analysis::Lang::en, true);
    ImGui::Text("#%llu  M%d  %s", static_cast<unsigned long long>(e->seq), e->m, said.c_str());
    if (e->site) {
      ImGui::SameLine();
      ImGui::TextDisabled("  %s  (%s:%d)", e->site->goFunc, e->site->file, e->site->line);
    }
  } else {
    ImGui::TextDisabled("Before the first event. Press space to play, or the arrow keys to step.");
  }
}

}  // namespace pollscope::viz
