// Every event in a virtualised table; click a row to seek there.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cstdint>

#include "analysis/explain.hpp"
#include "trace/vocabulary.hpp"
#include "views/views.hpp"

namespace pollscope::viz {

void drawTableView(Viewer& v) {
  const auto& events = v.trace->events;
  size_t cursor = v.replay->cursor();
  if (!ImGui::BeginTable(
          "events", 5,
          ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_Resizable))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("seq", ImGuiTableColumnFlags_WidthFixed, 60);
  ImGui::TableSetupColumn("M/P/G", ImGuiTableColumnFlags_WidthFixed, 90);
  ImGui::TableSetupColumn("kind", ImGuiTableColumnFlags_WidthFixed, 110);
  ImGui::TableSetupColumn("what happened", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn("Go function", ImGuiTableColumnFlags_WidthFixed, 260);
  ImGui::TableHeadersRow();
  float rowH = ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2;
  if (v.followCursor && v.tableScrolledTo != cursor) {
    v.tableScrolledTo = cursor;
    ImGui::SetScrollY(std::max(0.f, rowH * (static_cast<float>(cursor) - 8.f)));
  }
  ImGuiListClipper clipper;  // only the rows on screen are built
  clipper.Begin(static_cast<int>(events.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const auto& e = events[static_cast<size_t>(i)];
      ImGui::TableNextRow();
      bool current = static_cast<size_t>(i) + 1 == cursor;
      if (current) {
        ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, Palette::kLit);
        ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, Palette::kLit);
      }
      if (current) ImGui::PushStyleColor(ImGuiCol_Text, 0xFF000000);
      ImGui::TableNextColumn();
      if (ImGui::Selectable(fmt::format("{}", e.seq).c_str(), false, ImGuiSelectableFlags_SpanAllColumns))
        v.replay->seek(static_cast<size_t>(i) + 1);
      ImGui::TableNextColumn();
      ImGui::Text("M%d P%d G%lld", e.m, e.p, static_cast<long long>(e.g));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(trace::kindSpec(e.kind).name);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(analysis::narrate(*v.trace, e, analysis::Lang::en, true).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(e.site ? e.site->goFunc : "");
      if (current) ImGui::PopStyleColor();
    }
  }
  ImGui::EndTable();
}

}  // namespace pollscope::viz
