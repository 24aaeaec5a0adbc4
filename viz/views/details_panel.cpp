// The details of one event: every recorded field with its readable value, the
// narration, and where in the engine it happened (the Go function mirrored and
// the C++ source line).
#include <fmt/format.h>
#include <imgui.h>

#include "analysis/explain.hpp"
#include "trace/fields.hpp"
#include "views/views.hpp"

namespace pollscope::viz {

void drawDetailsPanel(Viewer& v) {
  size_t cursor = v.replay->cursor();
  // The event picked in a view while the cursor still shows it; otherwise the current one.
  std::optional<size_t> index = v.selection.event && *v.selection.event + 1 == cursor ? v.selection.event
                                : cursor                                              ? std::optional(cursor - 1)
                                                                                      : std::nullopt;
  if (!index) {
    ImGui::TextDisabled("No event yet: step forward.");
    return;
  }
  const trace::Event& e = v.trace->events[*index];
  const auto& spec = trace::kindSpec(e.kind);
  ImGui::Text("event #%llu: %s", static_cast<unsigned long long>(e.seq), spec.name);
  ImGui::TextDisabled("layer %s, at %.3f ms", spec.layer, static_cast<double>(e.ts) / 1e6);
  ImGui::Separator();
  ImGui::TextWrapped("%s", analysis::narrate(*v.trace, e, v.lang, true).c_str());
  ImGui::Separator();
  if (ImGui::BeginTable("fields", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
    ImGui::TableSetupColumn("field", ImGuiTableColumnFlags_WidthFixed, 110);
    ImGui::TableSetupColumn("value");
    auto row = [](const char* k, const std::string& val) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextDisabled("%s", k);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(val.c_str());
    };
    row("M", fmt::format("M{}", e.m));
    row("P", e.p >= 0 ? fmt::format("P{}", e.p) : "none");
    auto gname = v.trace->goroutines.find(e.g);
    row("G", e.g ? fmt::format("G{}{}", e.g, gname != v.trace->goroutines.end() ? " " + gname->second : "")
                 : "g0 (scheduler)");
    for (trace::FieldValue f : trace::fieldsOf(e)) row(f.spec.name, trace::formatValue(f.spec.type, f.raw));
    ImGui::EndTable();
  }
  ImGui::Separator();
  if (e.site) {
    ImGui::Text("Go: %s", e.site->goFunc);
    ImGui::TextWrapped("engine: %s:%d", e.site->file, e.site->line);
    if (e.site->cppFunc && *e.site->cppFunc) ImGui::TextWrapped("in %s", e.site->cppFunc);
  } else {
    ImGui::TextDisabled("no source location recorded");
  }
}

}  // namespace pollscope::viz
