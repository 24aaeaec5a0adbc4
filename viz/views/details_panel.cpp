// The details of one event: every recorded field with its readable value, the
// narration, and where in the engine it happened (the Go function mirrored and
// the C++ source line).
#include <fmt/format.h>
#include <imgui.h>

#include <string_view>

#include "analysis/explain.hpp"
#include "trace/fields.hpp"
#include "views/views.hpp"

namespace pollscope::viz {

namespace {
// A kind's layer (kinds.hpp: user, poll, runtime, kernel, sched) in the UI's language.
const char* layerLabel(const Viewer& v, const char* name) {
  std::string_view layer = name;
  if (layer == "user") return ui(v, Ui::groupUser);
  if (layer == "runtime") return ui(v, Ui::groupRuntime);
  if (layer == "kernel") return ui(v, Ui::groupKernel);
  if (layer == "poll") return ui(v, Ui::layerPoll);
  if (layer == "sched") return ui(v, Ui::layerSched);
  return name;
}
}  // namespace

void drawDetailsPanel(Viewer& v) {
  size_t cursor = v.replay->cursor();
  // The event picked in a view while the cursor still shows it; otherwise the current one.
  std::optional<size_t> index = v.selection.event && *v.selection.event + 1 == cursor ? v.selection.event
                                : cursor                                              ? std::optional(cursor - 1)
                                                                                      : std::nullopt;
  if (!index) {
    ImGui::TextDisabled("%s", ui(v, Ui::noEventYet));
    return;
  }
  const trace::Event& e = v.trace->events[*index];
  const auto& spec = trace::kindSpec(e.kind);
  ImGui::TextUnformatted(fmt::format(fmt::runtime(ui(v, Ui::eventHeader)), e.seq, spec.name).c_str());
  ImGui::TextDisabled(
      "%s", fmt::format(fmt::runtime(ui(v, Ui::layerAt)), layerLabel(v, spec.layer), static_cast<double>(e.ts) / 1e6)
                .c_str());
  ImGui::Separator();
  ImGui::TextWrapped("%s", analysis::narrate(*v.trace, e, v.lang(), true).c_str());
  ImGui::Separator();
  if (ImGui::BeginTable("fields", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
    ImGui::TableSetupColumn(ui(v, Ui::colField), ImGuiTableColumnFlags_WidthFixed, 110);
    ImGui::TableSetupColumn(ui(v, Ui::colValue));
    auto row = [](const char* k, const std::string& val) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextDisabled("%s", k);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(val.c_str());
    };
    row("M", fmt::format("M{}", e.m));
    row("P", e.p >= 0 ? fmt::format("P{}", e.p) : ui(v, Ui::none));
    auto gname = v.trace->goroutines.find(e.g);
    row("G", e.g ? fmt::format("G{}{}", e.g, gname != v.trace->goroutines.end() ? " " + gname->second : "")
                 : ui(v, Ui::scheduler));
    for (trace::FieldValue f : trace::fieldsOf(e)) row(f.spec.name, trace::formatValue(f.spec.type, f.raw));
    ImGui::EndTable();
  }
  ImGui::Separator();
  if (e.site) {
    ImGui::TextUnformatted(fmt::format(fmt::runtime(ui(v, Ui::goColon)), e.site->goFunc).c_str());
    ImGui::TextWrapped("%s", fmt::format(fmt::runtime(ui(v, Ui::engineAt)), e.site->file, e.site->line).c_str());
    if (e.site->cppFunc && *e.site->cppFunc)
      ImGui::TextWrapped("%s", fmt::format(fmt::runtime(ui(v, Ui::inFunc)), e.site->cppFunc).c_str());
  } else {
    ImGui::TextDisabled("%s", ui(v, Ui::noSource));
  }
}

}  // namespace pollscope::viz
