// The sequence diagram: lifelines per goroutine, internal/poll, netpoll, the
// scheduler and the kernel; messages up to the cursor; parked spans as
// activations; the current message lit. Only visible rows are drawn.
#include <imgui.h>

#include <algorithm>

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
  const SequenceLayout& L = *v.sequence;
  size_t cursor = v.replay->cursor();
  size_t rows = L.visibleRows(cursor);
  auto current = L.currentRow(cursor);
  ImGui::Checkbox("follow", &v.followCursor);
  const float header = 44.f;
  ImGui::SetNextWindowContentSize(ImVec2(L.width() + 40, header + L.rowY(L.model().items.size()) + 60));
  ImGui::BeginChild("sequence", ImVec2(0, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 origin = ImGui::GetCursorScreenPos();
  float scrollY = ImGui::GetScrollY();
  float viewH = ImGui::GetWindowHeight();
  if (v.followCursor && current) {
    float y = header + L.rowY(*current);
    if (y < scrollY + header || y > scrollY + viewH - 60) ImGui::SetScrollY(std::max(0.f, y - viewH * 0.6f));
  }
  ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text);
  ImU32 faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  float top = origin.y + scrollY;  // lifeline heads stay on screen
  float bottom = origin.y + header + L.rowY(std::max<size_t>(rows, 1)) + 20;
  bottom = std::max(bottom, top + viewH);

  // Group backgrounds.
  for (SeqGroup g : {SeqGroup::user, SeqGroup::runtime, SeqGroup::kernel}) {
    float x0 = 1e9f, x1 = -1e9f;
    for (const auto& l : L.lifelines())
      if (l.group == g) {
        x0 = std::min(x0, l.x - SequenceLayout::kColumn / 2 + 6);
        x1 = std::max(x1, l.x + SequenceLayout::kColumn / 2 - 6);
      }
    if (x0 > x1) continue;
    ImU32 col = g == SeqGroup::user      ? Palette::kUserBox
                : g == SeqGroup::runtime ? Palette::kRuntimeBox
                                         : Palette::kKernelBox;
    dl->AddRectFilled(ImVec2(origin.x + x0, top), ImVec2(origin.x + x1, bottom), col, 6.f);
    const char* name = g == SeqGroup::user ? "user code" : g == SeqGroup::runtime ? "Go runtime" : "kernel";
    dl->AddText(ImVec2(origin.x + x0 + 6, top + 2), faint, name);
  }
  // Lifelines.
  for (const auto& l : L.lifelines()) {
    float x = origin.x + l.x;
    for (float y = top + header; y < bottom; y += 10) dl->AddLine(ImVec2(x, y), ImVec2(x, y + 5), faint);
  }
  // Parked spans.
  for (const auto& span : L.parkedSpans(cursor)) {
    auto x = L.xOf(span.lifeline);
    if (!x) continue;
    float y0 = origin.y + header + L.rowY(span.fromRow), y1 = origin.y + header + L.rowY(span.toRow);
    dl->AddRectFilled(ImVec2(origin.x + *x - 6, y0), ImVec2(origin.x + *x + 6, y1), Palette::kParked, 2.f);
  }
  // Messages: only the rows on screen (ImDrawList does no culling of its own).
  size_t first = static_cast<size_t>(std::max(0.f, (scrollY - header) / SequenceLayout::kRow - 1));
  size_t last = std::min(rows, static_cast<size_t>((scrollY + viewH) / SequenceLayout::kRow + 2));
  for (size_t r = first; r < last; ++r) {
    const SeqItem& it = L.model().items[r];
    float y = origin.y + header + L.rowY(r) + SequenceLayout::kRow / 2;
    bool lit = current && *current == r;
    ImU32 col = lit ? Palette::kLit : ink;
    auto xf = L.xOf(it.from);
    if (!xf) continue;
    float x0 = origin.x + *xf;
    switch (it.type) {
      case SeqItem::Type::message:
      case SeqItem::Type::reply: {
        auto xt = L.xOf(it.to);
        if (!xt) break;
        float x1 = origin.x + *xt;
        std::string text = ascii(it.text);
        if (x1 == x0) {  // a message to itself
          dl->AddBezierCubic(ImVec2(x0, y - 6), ImVec2(x0 + 40, y - 10), ImVec2(x0 + 40, y + 6), ImVec2(x0 + 4, y + 4),
                             col, 1.5f);
          dl->AddText(ImVec2(x0 + 44, y - 8), col, text.c_str());
        } else {
          arrow(dl, ImVec2(x0, y), ImVec2(x1, y), col, it.type == SeqItem::Type::reply);
          ImVec2 ts = ImGui::CalcTextSize(text.c_str());
          dl->AddText(ImVec2((x0 + x1) / 2 - ts.x / 2, y - 16), col, text.c_str());
        }
        break;
      }
      case SeqItem::Type::note: {
        std::string text = ascii(it.text);
        ImVec2 ts = ImGui::CalcTextSize(text.c_str());
        dl->AddRectFilled(ImVec2(x0 - 6, y - 10), ImVec2(x0 + ts.x + 6, y + 8), lit ? Palette::kLit : 0xC070E0F0, 3.f);
        dl->AddText(ImVec2(x0, y - 9), 0xFF000000, text.c_str());
        break;
      }
      default: break;
    }
  }
  // Lifeline heads last, on a strip of their own, so scrolled messages pass under them.
  dl->AddRectFilled(ImVec2(origin.x, top), ImVec2(origin.x + L.width() + 40, top + header),
                    ImGui::GetColorU32(ImGuiCol_ChildBg) | 0xFF000000);
  for (const auto& l : L.lifelines()) {
    float x = origin.x + l.x;
    ImVec2 ts = ImGui::CalcTextSize(l.label.c_str());
    dl->AddRectFilled(ImVec2(x - ts.x / 2 - 8, top + 16), ImVec2(x + ts.x / 2 + 8, top + 40),
                      ImGui::GetColorU32(ImGuiCol_FrameBg), 4.f);
    dl->AddText(ImVec2(x - ts.x / 2, top + 20), ink, l.label.c_str());
  }
  ImGui::EndChild();
}

}  // namespace pollscope::viz
