// The sequence diagram: lifelines per goroutine, internal/poll, netpoll, the
// scheduler and the kernel; messages up to the cursor; parked spans as
// activations; the current message lit. Only visible rows are drawn.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "views/views.hpp"

namespace pollscope::viz {
using analysis::SeqGroup;
using analysis::SeqItem;

namespace {
// The built-in font is ASCII only (TTF fonts come with presenter mode).
std::string ascii(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 3, "\u2192") == 0) {
      out += "->";
      i += 2;
    } else if (s.compare(i, 3, "\u2260") == 0) {
      out += "!=";
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

const char* groupName(const Viewer& v, SeqGroup g) {
  return ui(v, g == SeqGroup::user ? Ui::groupUser : g == SeqGroup::runtime ? Ui::groupRuntime : Ui::groupKernel);
}

void arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, bool dashed) {
  if (dashed) {
    float len = std::abs(b.x - a.x), dir = b.x > a.x ? 1.f : -1.f;
    for (float s = 0; s < len; s += 8.f)
      dl->AddLine(ImVec2(a.x + dir * s, a.y), ImVec2(a.x + dir * std::min(s + 4.f, len), a.y), col, 1.5f);
  } else {
    dl->AddLine(a, b, col, 1.5f);
  }
  float dir = b.x >= a.x ? 1.f : -1.f;
  dl->AddTriangleFilled(b, ImVec2(b.x - dir * 9, b.y - 4), ImVec2(b.x - dir * 9, b.y + 4), col);
}
}  // namespace

void drawSequenceView(Viewer& v) {
  SequenceLayout& L = *v.sequence;
  L.setCollapsed(v.collapsedGroups);
  size_t cursor = v.replay->cursor();
  size_t rows = L.visibleRows(cursor);
  auto current = L.currentRow(cursor);
  if (!v.drawingHandout) {  // a handout picture has the diagram only
    if (bool follow = v.followCursor(); ImGui::Checkbox(fmt::format("{}###follow", ui(v, Ui::follow)).c_str(), &follow))
      v.setFollowCursor(follow);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(140);
    if (float zoom = v.zoom;
        ImGui::SliderFloat(fmt::format("{}###zoom", ui(v, Ui::zoom)).c_str(), &zoom, Viewer::kMinZoom, Viewer::kMaxZoom,
                           "%.2fx", ImGuiSliderFlags_Logarithmic))
      v.setZoom(zoom);
  }
  if (!v.presenter() && !v.drawingHandout) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", ui(v, Ui::seqHint));
  }
  // Diagram units grow with the text (presenter mode, Ctrl +/-, DPI) so labels keep their room.
  const float fz = ImGui::GetFontSize() / 13.f;
  const float z = v.zoom * fz;
  const float fh = ImGui::GetFontSize();
  const float header = 44.f * fz;  // lifeline heads keep their size: they must stay readable
  const float rowH = SequenceLayout::kRow * z;
  ImGui::SetNextWindowContentSize(ImVec2(L.width() * z + 40, header + rowH * static_cast<float>(L.rowCount()) + 60));
  ImGui::BeginChild("sequence", ImVec2(0, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
  ImGuiIO& io = ImGui::GetIO();
  if (ImGui::IsWindowHovered() && io.KeyCtrl && io.MouseWheel != 0)
    v.setZoom(v.zoom * (io.MouseWheel > 0 ? 1.15f : 1 / 1.15f));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 origin = ImGui::GetCursorScreenPos();
  float scrollY = ImGui::GetScrollY();
  float viewH = ImGui::GetWindowHeight();
  if (v.followCursor() && current) {
    float y = header + rowH * static_cast<float>(*current);
    if (y < scrollY + header || y > scrollY + viewH - 60) ImGui::SetScrollY(std::max(0.f, y - viewH * 0.6f));
    // Sideways too: the current message's two ends on screen when they fit.
    const SeqRow& row = L.row(*current);
    auto xa = L.xOf(row.from), xb = L.xOf(row.to == SequenceLayout::kNone ? row.from : row.to);
    if (xa && xb) {
      float lo = std::min(*xa, *xb) * z - SequenceLayout::kColumn * z / 2,
            hi = std::max(*xa, *xb) * z + SequenceLayout::kColumn * z / 2;
      float scrollX = ImGui::GetScrollX(), viewW = ImGui::GetWindowWidth();
      if (lo < scrollX || hi > scrollX + viewW)
        ImGui::SetScrollX(std::max(0.f, hi - viewW < lo ? (lo + hi - viewW) / 2 : lo));
    }
  }
  auto X = [&](float lx) { return origin.x + lx * z; };
  auto rowTop = [&](size_t r) { return origin.y + header + rowH * static_cast<float>(r); };
  ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text);
  ImU32 faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  float top = origin.y + scrollY;  // lifeline heads stay on screen
  float bottom = std::max(rowTop(std::max<size_t>(rows, 1)) + 20, top + viewH);
  const float colW = SequenceLayout::kColumn * z;
  bool clicked = ImGui::IsWindowHovered() && ImGui::IsMouseClicked(0);
  ImVec2 mouse = io.MousePos;
  bool consumed = false;

  // Group backgrounds; a group's name (drawn with the heads) folds and unfolds it.
  std::vector<std::pair<SeqGroup, float>> groupLabels;
  for (SeqGroup g : {SeqGroup::user, SeqGroup::runtime, SeqGroup::kernel}) {
    float x0 = 1e9f, x1 = -1e9f;
    for (const auto& l : L.lifelines())
      if (l.group == g) {
        x0 = std::min(x0, X(l.x) - colW / 2 + 6);
        x1 = std::max(x1, X(l.x) + colW / 2 - 6);
      }
    if (x0 > x1) continue;
    ImU32 col = g == SeqGroup::user      ? Palette::kUserBox
                : g == SeqGroup::runtime ? Palette::kRuntimeBox
                                         : Palette::kKernelBox;
    dl->AddRectFilled(ImVec2(x0, top), ImVec2(x1, bottom), col, 6.f);
    groupLabels.push_back({g, x0});
  }
  // Lifelines (a folded group's share one column: draw it once).
  float lastX = -1e9f;
  for (const auto& l : L.lifelines()) {
    float x = X(l.x);
    if (x == lastX) continue;
    lastX = x;
    bool sel = l.goroutine && l.goroutine == v.selection.goroutine;
    // Dashes only where the window is (the diagram may be millions of pixels tall).
    for (float y = top + header, yEnd = std::min(bottom, top + viewH); y < yEnd; y += 10)
      dl->AddLine(ImVec2(x, y), ImVec2(x, y + 5), sel ? Palette::kSelected : faint, sel ? 2.f : 1.f);
  }
  // Messages and parked spans: only the rows on screen (ImDrawList does no culling of its own).
  size_t first = static_cast<size_t>(std::max(0.f, (scrollY - header) / rowH - 1));
  size_t last = std::min(rows, static_cast<size_t>((scrollY + viewH) / rowH + 2));
  for (const auto& span : L.parkedSpans(cursor, first, last)) {
    auto x = L.xOf(span.lifeline);
    if (!x) continue;
    float w = std::max(3.f, 6.f * z);
    dl->AddRectFilled(ImVec2(X(*x) - w, rowTop(span.fromRow)), ImVec2(X(*x) + w, rowTop(span.toRow)), Palette::kParked,
                      2.f);
  }
  // Wake-ups: from netpoll's "netpollready: G runnable" to where that goroutine resumes.
  for (const auto& w : L.wakeLinks(cursor, first, last)) {
    auto xg = L.xOf(w.lifeline);
    if (!xg) continue;
    const SeqRow& from = L.row(w.fromRow);
    auto xs = L.xOf(from.to);  // the scheduler's column, where the netpollready arrow ends
    if (!xs) continue;
    // Ends just under the "run G" arrow (the row before the parked span closes).
    ImVec2 a(X(*xs), rowTop(w.fromRow) + rowH / 2), b(X(*xg) + 8, rowTop(w.toRow - 1) + rowH / 2 + 5);
    bool hot = current && (*current == w.toRow || *current == w.fromRow);
    ImU32 col = hot ? Palette::kLit : Palette::kWake;
    dl->AddBezierCubic(a, ImVec2(a.x, b.y), ImVec2(a.x, b.y), b, col, hot ? 2.5f : 1.5f);
    dl->AddTriangleFilled(b, ImVec2(b.x + 9, b.y - 4), ImVec2(b.x + 9, b.y + 4), col);
  }
  // Text only where it can be read; zoomed far out the arrows alone show the flow.
  bool withText = z >= 0.6f;
  for (size_t r = first; r < last; ++r) {
    const SeqRow& it = L.row(r);
    float y = rowTop(r) + rowH / 2;
    bool lit = current && *current == r;
    bool picked = v.selection.event && *v.selection.event == it.event;
    ImU32 col = lit ? Palette::kLit : picked ? Palette::kSelected : ink;
    auto xf = L.xOf(it.from);
    if (!xf) continue;
    float x0 = X(*xf);
    if (clicked && !consumed && mouse.y >= rowTop(r) && mouse.y < rowTop(r) + rowH && mouse.y > top + header) {
      v.selectEvent(it.event);
      consumed = true;
    }
    switch (it.type) {
      case SeqItem::Type::message:
      case SeqItem::Type::reply: {
        auto xt = L.xOf(it.to);
        if (!xt) break;
        float x1 = X(*xt);
        std::string text = withText ? ascii(L.text(it)) : std::string();
        if (x1 == x0) {  // a message to itself (or within a folded group)
          dl->AddBezierCubic(ImVec2(x0, y - 6 * z), ImVec2(x0 + 40 * z, y - 10 * z), ImVec2(x0 + 40 * z, y + 6 * z),
                             ImVec2(x0 + 4, y + 4 * z), col, 1.5f);
          if (withText) dl->AddText(ImVec2(x0 + 44 * z, y - fh * 0.6f), col, text.c_str());
        } else {
          arrow(dl, ImVec2(x0, y), ImVec2(x1, y), col, it.type == SeqItem::Type::reply);
          if (withText) {
            ImVec2 ts = ImGui::CalcTextSize(text.c_str());
            dl->AddText(ImVec2((x0 + x1) / 2 - ts.x / 2, y - fh - 3), col, text.c_str());
          }
        }
        break;
      }
      case SeqItem::Type::note: {
        if (!withText) {
          dl->AddRectFilled(ImVec2(x0 - 6, y - 3), ImVec2(x0 + 60 * z, y + 3), lit ? Palette::kLit : 0xC070E0F0);
          break;
        }
        std::string text = ascii(L.text(it));
        ImVec2 ts = ImGui::CalcTextSize(text.c_str());
        dl->AddRectFilled(ImVec2(x0 - 6, y - fh * 0.7f), ImVec2(x0 + ts.x + 6, y + fh * 0.6f),
                          lit ? Palette::kLit : 0xC070E0F0, 3.f);
        dl->AddText(ImVec2(x0, y - fh * 0.65f), 0xFF000000, text.c_str());
        break;
      }
      default: break;
    }
  }
  // Lifeline heads last, on a strip of their own, so scrolled messages pass under them.
  dl->AddRectFilled(ImVec2(origin.x, top), ImVec2(origin.x + L.width() * z + 40, top + header),
                    ImGui::GetColorU32(ImGuiCol_WindowBg) | 0xFF000000);
  for (const auto& [g, x0] : groupLabels) {
    bool folded = L.collapsed(g);
    const char* name = groupName(v, g);
    std::string label = std::string(folded ? "[+] " : "[-] ") + name;
    ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    ImVec2 at(x0 + 6, top + 1);
    bool hover = mouse.x >= at.x && mouse.x <= at.x + ts.x && mouse.y >= at.y && mouse.y <= at.y + ts.y;
    dl->AddText(at, hover ? ink : faint, label.c_str());
    if (clicked && hover) v.toggleGroup(static_cast<int>(g));
  }
  lastX = -1e9f;
  for (const auto& l : L.lifelines()) {
    float x = X(l.x);
    if (x == lastX) continue;  // folded: the group's one head
    lastX = x;
    std::string label = l.folded ? groupName(v, l.group) : l.label;
    ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    bool sel = l.goroutine && l.goroutine == v.selection.goroutine && !l.folded;
    ImVec2 a(x - ts.x / 2 - 8, top + header - fh - 12), b(x + ts.x / 2 + 8, top + header - 4);
    dl->AddRectFilled(a, b, sel ? Palette::kSelected : ImGui::GetColorU32(ImGuiCol_FrameBg), 4.f);
    dl->AddText(ImVec2(x - ts.x / 2, top + header - fh - 8), sel ? 0xFF000000 : ink, label.c_str());
    if (clicked && !l.folded && l.goroutine && mouse.x >= a.x && mouse.x <= b.x && mouse.y >= a.y && mouse.y <= b.y)
      v.selectGoroutine(l.goroutine);
  }
  ImGui::EndChild();
}

}  // namespace pollscope::viz
