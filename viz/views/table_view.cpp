// Every event in a virtualised table with a search box; click a row to seek
// there and select its goroutine and pollDesc. The details panel beside it shows
// every field of the selected event, what it means, and where the engine did it.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "analysis/explain.hpp"
#include "trace/fields.hpp"
#include "views/views.hpp"

namespace pollscope::viz {

namespace {
std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The text an event is searched by: its kind, M/G, fields and narration.
std::string searchText(const traceio::TraceModel& t, const trace::Event& e) {
  const auto& spec = trace::kindSpec(e.kind);
  std::string s = fmt::format("{} m{} g{} ", spec.name, e.m, e.g);
  for (trace::FieldValue f : trace::fieldsOf(e))
    s += fmt::format("{}={} ", f.spec.name, trace::formatValue(f.spec.type, f.raw));
  s += analysis::narrate(t, e, analysis::Lang::en, true);
  return lower(s);
}

// Rows shown for the search text, cached until the text or the trace changes.
struct Filtered {
  const traceio::TraceModel* trace = nullptr;
  size_t events = 0;
  std::string text;
  std::vector<uint32_t> rows;
};
Filtered g_filtered;
size_t g_scrolledTo = SIZE_MAX;  // the cursor the table last scrolled to (scrolling once lets the user scroll away)

const std::vector<uint32_t>* filteredRows(const Viewer& v) {
  if (v.tableFilter.empty()) return nullptr;
  if (g_filtered.trace != v.trace.get() || g_filtered.events != v.trace->events.size() ||
      g_filtered.text != v.tableFilter) {
    g_filtered = {v.trace.get(), v.trace->events.size(), v.tableFilter, {}};
    std::string needle = lower(v.tableFilter);
    for (size_t i = 0; i < v.trace->events.size(); ++i)
      if (searchText(*v.trace, v.trace->events[i]).find(needle) != std::string::npos)
        g_filtered.rows.push_back(static_cast<uint32_t>(i));
  }
  return &g_filtered.rows;
}
}  // namespace

void drawTableView(Viewer& v) {
  const auto& events = v.trace->events;
  size_t cursor = v.replay->cursor();
  if (cursor) v.drawn.currentSeq = uint64_t{v.trace->events[cursor - 1].seq};
  static char search[128] = "";
  ImGui::SetNextItemWidth(320);
  if (ImGui::InputTextWithHint("##search", ui(v, Ui::searchHint), search, sizeof search)) v.setTableFilter(search);
  const std::vector<uint32_t>* rows = filteredRows(v);
  ImGui::SameLine();
  if (rows)
    ImGui::TextDisabled("%s", fmt::format(fmt::runtime(ui(v, Ui::nOfMatch)), rows->size(), events.size()).c_str());
  else
    ImGui::TextDisabled("%s", fmt::format(fmt::runtime(ui(v, Ui::nEvents)), events.size()).c_str());

  const float detailsW = 420.f;
  ImGui::BeginChild("table", ImVec2(-detailsW, 0));
  if (ImGui::BeginTable(
          "events", 5,
          ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_Resizable)) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(ui(v, Ui::colSeq), ImGuiTableColumnFlags_WidthFixed, 60);
    ImGui::TableSetupColumn("M/P/G", ImGuiTableColumnFlags_WidthFixed, 90);
    ImGui::TableSetupColumn(ui(v, Ui::colKind), ImGuiTableColumnFlags_WidthFixed, 110);
    ImGui::TableSetupColumn(ui(v, Ui::colWhat), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(ui(v, Ui::colGoFunc), ImGuiTableColumnFlags_WidthFixed, 220);
    ImGui::TableHeadersRow();
    float rowH = ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2;
    size_t count = rows ? rows->size() : events.size();
    if (v.followCursor() && g_scrolledTo != cursor) {
      g_scrolledTo = cursor;
      // The row of the current event (with a filter: the last matching row at or before it).
      size_t at = cursor;
      if (rows)
        at = static_cast<size_t>(std::upper_bound(rows->begin(), rows->end(), cursor ? cursor - 1 : 0) - rows->begin());
      ImGui::SetScrollY(std::max(0.f, rowH * (static_cast<float>(at) - 8.f)));
    }
    ImGuiListClipper clipper;  // only the rows on screen are built
    clipper.Begin(static_cast<int>(count));
    while (clipper.Step()) {
      for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
        size_t i = rows ? (*rows)[static_cast<size_t>(r)] : static_cast<size_t>(r);
        const auto& e = events[i];
        ImGui::TableNextRow();
        bool current = i + 1 == cursor;
        bool future = i >= cursor;
        if (current) {
          v.drawn.marked("row");  // drawn only when the clipper puts it on screen
          ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, Palette::kLit);
          ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, Palette::kLit);
        } else if (v.selection.goroutine && e.g == v.selection.goroutine) {
          ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, (Palette::kSelected & 0x00FFFFFF) | 0x30000000);
        }
        ImGui::PushStyleColor(ImGuiCol_Text, current  ? 0xFF000000
                                             : future ? ImGui::GetColorU32(ImGuiCol_TextDisabled)
                                                      : ImGui::GetColorU32(ImGuiCol_Text));
        ImGui::TableNextColumn();
        if (ImGui::Selectable(fmt::format("{}", e.seq).c_str(), v.selection.event == i,
                              ImGuiSelectableFlags_SpanAllColumns))
          v.selectEvent(i);
        ImGui::TableNextColumn();
        ImGui::Text("M%d P%d G%lld", e.m, e.p, static_cast<long long>(e.g));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(trace::kindSpec(e.kind).name);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(analysis::narrate(*v.trace, e, v.lang(), true).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(e.site ? e.site->goFunc : "");
        ImGui::PopStyleColor();
      }
    }
    ImGui::EndTable();
  }
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("details", ImVec2(0, 0), true);
  drawDetailsPanel(v);
  ImGui::EndChild();
}

}  // namespace pollscope::viz
