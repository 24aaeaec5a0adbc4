// The sequence diagram: lifelines per goroutine, internal/poll, netpoll, the
// scheduler and the kernel; optionally a lane per M (thread); messages up to the
// cursor; parked spans as activations; the current event marked (its row, or a
// cursor line for an event that draws no message). Only visible rows are drawn.
//
// "Fit to screen" (Z, the presenter's default) scales the columns so every
// lifeline is on screen and shows a window of rows around the current event;
// every label is fitted to its room (model/label_fit.hpp), so none overlap.
//
// Sections: 1. helpers  2. geometry and scrolling  3. rows  4. M lanes  5. heads
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "analysis/explain.hpp"
#include "model/label_fit.hpp"
#include "trace/vocabulary.hpp"
#include "views/views.hpp"

namespace pollscope::viz {
using analysis::SeqGroup;
using analysis::SeqItem;

namespace {
// ---- 1. helpers ----------------------------------------------------------------------------
// The built-in font is ASCII only (TTF fonts come with presenter mode).
std::string ascii(const std::string& s, bool ttf) {
  if (ttf) return s;
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

void arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, bool dashed, float thick) {
  if (dashed) {
    float len = std::abs(b.x - a.x), dir = b.x > a.x ? 1.f : -1.f;
    for (float s = 0; s < len; s += 8.f)
      dl->AddLine(ImVec2(a.x + dir * s, a.y), ImVec2(a.x + dir * std::min(s + 4.f, len), a.y), col, thick);
  } else {
    dl->AddLine(a, b, col, thick);
  }
  float dir = b.x >= a.x ? 1.f : -1.f;
  dl->AddTriangleFilled(b, ImVec2(b.x - dir * 9, b.y - 4), ImVec2(b.x - dir * 9, b.y + 4), col);
}

const char* groupName(const Viewer& v, SeqGroup g) {
  return ui(v, g == SeqGroup::user ? Ui::groupUser : g == SeqGroup::runtime ? Ui::groupRuntime : Ui::groupKernel);
}

float measure(std::string_view s) {
  return ImGui::CalcTextSize(s.data(), s.data() + s.size()).x;
}

// Draws `text` fitted into `room` pixels, its left edge at `x` (or centred on it);
// returns what was drawn.
FittedLabel fittedText(ImDrawList* dl, const std::string& text, float x, float yMid, float room, ImU32 col,
                       bool centred) {
  FittedLabel f = fitLabel(text, room, measure);
  if (!f.drawn()) return f;
  float size = ImGui::GetFontSize() * f.scale;
  float w = measure(f.text) * f.scale;
  dl->AddText(ImGui::GetFont(), size, ImVec2(centred ? x - w / 2 : x, yMid - size / 2), col, f.text.c_str());
  return f;
}

// Goroutines on the M lanes: colours told apart with colour-blind eyes (Okabe-Ito).
ImU32 goroutineColour(int64_t g) {
  static constexpr ImU32 kColours[] = {IM_COL32(0, 114, 178, 255),  IM_COL32(230, 159, 0, 255),
                                       IM_COL32(0, 158, 115, 255),  IM_COL32(204, 121, 167, 255),
                                       IM_COL32(86, 180, 233, 255), IM_COL32(213, 94, 0, 255)};
  return g ? kColours[static_cast<size_t>(g) % std::size(kColours)] : IM_COL32(140, 140, 150, 255);
}

}  // namespace

void drawSequenceView(Viewer& v) {
  SequenceLayout& L = *v.sequence;
  L.setCollapsed(v.collapsedGroups);
  const traceio::TraceModel& T = *v.trace;
  size_t cursor = v.replay->cursor();
  size_t rows = L.visibleRows(cursor);
  const bool fit = v.fitToScreen();
  const bool ttf = v.ttfFonts;
  if (!v.presenter() && !v.drawingHandout) {  // a handout picture has the diagram only
    if (bool follow = v.followCursor(); ImGui::Checkbox(fmt::format("{}###follow", ui(v, Ui::follow)).c_str(), &follow))
      v.setFollowCursor(follow);
    ImGui::SameLine();
    if (bool f = fit; ImGui::Checkbox(fmt::format("{}###fit", ui(v, Ui::fitZ)).c_str(), &f)) v.setFitToScreen(f);
    ImGui::SameLine();
    if (bool m = v.threadLanes(); ImGui::Checkbox(fmt::format("{}###mlanes", ui(v, Ui::mLanesM)).c_str(), &m))
      v.setThreadLanes(m);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(140);
    if (float zoom = v.zoom;
        ImGui::SliderFloat(fmt::format("{}###zoom", ui(v, Ui::zoom)).c_str(), &zoom, Viewer::kMinZoom, Viewer::kMaxZoom,
                           "%.2fx", ImGuiSliderFlags_Logarithmic))
      v.setZoom(zoom);
    ImGui::SameLine();
    ImGui::TextDisabled("%s", ui(v, Ui::seqHint));
  }

  // ---- 2. geometry and scrolling
  const ThreadLanesModel* lanes = v.threadLanes() ? &v.threadLanesModel() : nullptr;
  constexpr float kLaneCol = 90.f;  // an M lane is half a lifeline's width
  const float lanesUnits =
      lanes && !lanes->ms.empty() ? SequenceLayout::kGroupGap + kLaneCol * static_cast<float>(lanes->ms.size()) : 0.f;
  const float unitsW = L.width() + lanesUnits;
  const float fz = ImGui::GetFontSize() / 13.f;  // diagram units grow with the text
  const float fh = ImGui::GetFontSize();
  const float availW = ImGui::GetContentRegionAvail().x;
  // Fit: columns squeezed (never stretched) to the width; rows keep a readable height.
  // The child's inner width: its padding and the vertical scroll bar come off.
  const float innerW = availW - ImGui::GetStyle().WindowPadding.x * 2 - ImGui::GetStyle().ScrollbarSize - 8.f;
  const float zx = fit ? std::min(v.zoom * fz, std::max(0.05f, innerW / std::max(unitsW, 1.f))) : v.zoom * fz;
  const float zy = fit ? fz : v.zoom * fz;
  const float header = 44.f * fz;  // lifeline heads keep their size: they must stay readable
  const float rowH = std::max(SequenceLayout::kRow * zy, fit ? fh * 1.5f : 0.f);
  const float contentW = fit ? 0.f : unitsW * zx + 40;  // fit: no wider than the window
  ImGui::SetNextWindowContentSize(ImVec2(contentW, header + rowH * static_cast<float>(L.rowCount()) + 60));
  ImGui::BeginChild("sequence", ImVec2(0, 0), true, fit ? 0 : ImGuiWindowFlags_HorizontalScrollbar);
  ImGuiIO& io = ImGui::GetIO();
  if (ImGui::IsWindowHovered() && io.KeyCtrl && io.MouseWheel != 0)
    v.setZoom(v.zoom * (io.MouseWheel > 0 ? 1.15f : 1 / 1.15f));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 origin = ImGui::GetCursorScreenPos();
  ImVec2 winPos = ImGui::GetWindowPos(), winSize = ImGui::GetWindowSize();
  float scrollY = ImGui::GetScrollY();
  float viewH = winSize.y;

  // The current event: its own row when it draws one, else a cursor line after the rows shown.
  // (Plain values, not an optional: g++ 12 at -O2 warns, wrongly, that one may be read unset.)
  const bool hasCur = cursor > 0;
  const size_t curEvent = hasCur ? cursor - 1 : 0;
  std::optional<size_t> curRow;
  if (hasCur)
    for (size_t r = L.rowOfEvent(curEvent); r < L.rowCount() && L.row(r).event == curEvent; ++r)
      if (auto t = L.row(r).type();
          t == SeqItem::Type::message || t == SeqItem::Type::reply || t == SeqItem::Type::note) {
        curRow = r;
        break;
      }
  auto X = [&](float lx) { return origin.x + lx * zx; };
  auto rowTop = [&](size_t r) { return origin.y + header + rowH * static_cast<float>(r); };
  const float markerY = curRow ? header + rowH * (static_cast<float>(*curRow) + 0.5f)
                               : header + rowH * static_cast<float>(rows);  // diagram coordinates
  if ((v.followCursor() || fit) && hasCur) {
    // A window of rows around the current event: it sits at about two thirds of the height.
    if (markerY < scrollY + header + rowH || markerY > scrollY + viewH - rowH * 1.5f)
      ImGui::SetScrollY(std::max(0.f, markerY - (viewH - header) * 0.66f - header));
    if (!fit && curRow) {
      // Sideways too: the current message's two ends on screen when they fit.
      const SeqRow& row = L.row(*curRow);
      auto xa = L.xOf(row.from), xb = L.xOf(row.to == SequenceLayout::kNone ? row.from : row.to);
      if (xa && xb) {
        float lo = std::min(*xa, *xb) * zx - SequenceLayout::kColumn * zx / 2,
              hi = std::max(*xa, *xb) * zx + SequenceLayout::kColumn * zx / 2;
        float scrollX = ImGui::GetScrollX(), viewW = winSize.x;
        if (lo < scrollX || hi > scrollX + viewW)
          ImGui::SetScrollX(std::max(0.f, hi - viewW < lo ? (lo + hi - viewW) / 2 : lo));
      }
    }
  }
  ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text);
  ImU32 faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  float top = origin.y + scrollY;  // lifeline heads stay on screen
  float bottom = std::max(rowTop(std::max<size_t>(rows, 1)) + 20, top + viewH);
  const float colW = SequenceLayout::kColumn * zx;
  const float diagramRight = X(unitsW);
  bool clicked = ImGui::IsWindowHovered() && ImGui::IsMouseClicked(0);
  ImVec2 mouse = io.MousePos;
  bool consumed = false;

  // Group backgrounds; a group's name (drawn with the heads) folds and unfolds it.
  struct GroupLabel {
    int group;  // a SeqGroup, or -1: the M lanes
    float x0, x1;
  };
  std::vector<GroupLabel> groupLabels;
  for (SeqGroup g : {SeqGroup::user, SeqGroup::runtime, SeqGroup::kernel}) {
    float x0 = 1e9f, x1 = -1e9f;
    for (const auto& l : L.lifelines())
      if (l.group == g) {
        x0 = std::min(x0, X(l.x) - colW / 2 + 3);
        x1 = std::max(x1, X(l.x) + colW / 2 - 3);
      }
    if (x0 > x1) continue;
    ImU32 col = g == SeqGroup::user      ? Palette::kUserBox
                : g == SeqGroup::runtime ? Palette::kRuntimeBox
                                         : Palette::kKernelBox;
    dl->AddRectFilled(ImVec2(x0, top), ImVec2(x1, bottom), col, 6.f);
    groupLabels.push_back({static_cast<int>(g), x0, x1});
  }
  auto laneX = [&](int lane) {
    return X(L.width() + SequenceLayout::kGroupGap + kLaneCol * (static_cast<float>(lane) + 0.5f));
  };
  if (lanes && !lanes->ms.empty()) {
    float x0 = laneX(0) - kLaneCol * zx / 2 + 3,
          x1 = laneX(static_cast<int>(lanes->ms.size()) - 1) + kLaneCol * zx / 2 - 3;
    dl->AddRectFilled(ImVec2(x0, top), ImVec2(x1, bottom), Palette::kThreadBox, 6.f);
    groupLabels.push_back({-1, x0, x1});
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

  // ---- 3. rows: below the heads only (a row scrolled up never paints over them)
  dl->PushClipRect(ImVec2(winPos.x, top + header), ImVec2(winPos.x + winSize.x, winPos.y + winSize.y), true);
  size_t first = static_cast<size_t>(std::max(0.f, (scrollY - header) / rowH - 1));
  size_t last = std::min(rows, static_cast<size_t>((scrollY + viewH) / rowH + 2));
  for (const auto& span : L.parkedSpans(cursor, first, last)) {
    auto x = L.xOf(span.lifeline);
    if (!x) continue;
    float w = std::max(3.f, 6.f * zx);
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
    bool hot = curRow && (*curRow == w.toRow || *curRow == w.fromRow);
    ImU32 col = hot ? Palette::kLit : Palette::kWake;
    dl->AddBezierCubic(a, ImVec2(a.x, b.y), ImVec2(a.x, b.y), b, col, hot ? 2.5f : 1.5f);
    dl->AddTriangleFilled(b, ImVec2(b.x + 9, b.y - 4), ImVec2(b.x + 9, b.y + 4), col);
  }
  // The current event's row: a band across the diagram, its arrow thick (readable in both themes:
  // the label keeps the text colour, the band carries the highlight).
  if (curRow && *curRow >= first && *curRow < last) {
    float y0 = rowTop(*curRow), y1 = y0 + rowH;
    dl->AddRectFilled(ImVec2(origin.x, y0), ImVec2(diagramRight, y1), Palette::kLitBand);
    dl->AddRect(ImVec2(origin.x, y0), ImVec2(diagramRight, y1), Palette::kLit, 0.f, 0, 2.f);
  }
  for (size_t r = first; r < last; ++r) {
    const SeqRow& it = L.row(r);
    float y = rowTop(r) + rowH / 2;
    bool lit = curRow && *curRow == r;
    bool picked = v.selection.event && *v.selection.event == it.event;
    ImU32 col = lit ? Palette::kLit : picked ? Palette::kSelected : ink;
    auto xf = L.xOf(it.from);
    if (!xf) continue;
    float x0 = X(*xf);
    if (clicked && !consumed && mouse.y >= rowTop(r) && mouse.y < rowTop(r) + rowH && mouse.y > top + header &&
        mouse.x < diagramRight) {
      v.selectEvent(it.event);
      consumed = true;
    }
    switch (it.type()) {
      case SeqItem::Type::message:
      case SeqItem::Type::reply: {
        auto xt = L.xOf(it.to);
        if (!xt) break;
        float x1 = X(*xt);
        std::string text = ascii(L.text(it), ttf);
        ImU32 textCol = lit ? ink : col;
        if (x1 == x0) {  // a message to itself (or within a folded group): its label to the right
          float loop = std::max(12.f, std::min(40 * zx, colW * 0.3f));
          dl->AddBezierCubic(ImVec2(x0, y - rowH * 0.25f), ImVec2(x0 + loop, y - rowH * 0.35f),
                             ImVec2(x0 + loop, y + rowH * 0.25f), ImVec2(x0 + 4, y + rowH * 0.15f), col,
                             lit ? 3.f : 1.5f);
          fittedText(dl, text, x0 + loop + 4, y, diagramRight - (x0 + loop + 4), textCol, false);
        } else {
          arrow(dl, ImVec2(x0, y), ImVec2(x1, y), col, it.type() == SeqItem::Type::reply, lit ? 3.f : 1.5f);
          // Above its arrow, within the arrow's span.
          fittedText(dl, text, (x0 + x1) / 2, y - fh * 0.55f, std::abs(x1 - x0) - 12, textCol, true);
        }
        break;
      }
      case SeqItem::Type::note: {
        std::string text = ascii(L.text(it), ttf);
        FittedLabel f = fitLabel(text, diagramRight - x0 - 12, measure);
        float w = f.drawn() ? measure(f.text) * f.scale : 60 * zx;
        dl->AddRectFilled(ImVec2(x0 - 6, y - rowH * 0.4f), ImVec2(x0 + w + 6, y + rowH * 0.4f),
                          lit ? Palette::kLit : Palette::kNote, 3.f);
        if (f.drawn())
          dl->AddText(ImGui::GetFont(), fh * f.scale, ImVec2(x0, y - fh * f.scale / 2), 0xFF000000, f.text.c_str());
        break;
      }
      default: break;
    }
  }
  // An event that draws no message: a cursor line where it happened, named.
  if (hasCur && !curRow) {
    float y = origin.y + markerY;
    if (y > top + header - 2 && y < top + viewH) {
      dl->AddLine(ImVec2(origin.x, y), ImVec2(diagramRight, y), Palette::kLit, 3.f);
      std::string name = ascii(analysis::narrate(T, T.events[curEvent], v.lang(), true), ttf);
      if (name.empty()) name = std::string(trace::kindSpec(T.events[curEvent].kind).name);
      FittedLabel f = fitLabel(ui(v, Ui::nowColon) + name, diagramRight - origin.x - 24, measure);
      if (f.drawn()) {
        float w = measure(f.text) * f.scale, hh = fh * f.scale;
        ImVec2 a(origin.x + 8, y + 2), b(a.x + w + 12, a.y + hh + 6);
        dl->AddRectFilled(a, b, Palette::kLit, 4.f);
        dl->AddText(ImGui::GetFont(), hh, ImVec2(a.x + 6, a.y + 3), 0xFF000000, f.text.c_str());
      }
    }
  }

  // ---- 4. M lanes: which M recorded each row's event, and so ran which goroutine
  if (lanes && !lanes->ms.empty()) {
    const float w = std::max(3.f, 5.f * zx);
    std::vector<int64_t> lastG(lanes->ms.size(), -1);
    for (size_t r = first; r < last; ++r) {
      const trace::Event& e = T.events[L.row(r).event];
      int lane = lanes->laneOf(e.m);
      if (lane < 0) continue;
      float x = laneX(lane);
      ImU32 col = goroutineColour(e.g);
      dl->AddRectFilled(ImVec2(x - w, rowTop(r)), ImVec2(x + w, rowTop(r) + rowH), col);
      if (lastG[static_cast<size_t>(lane)] != e.g && rowTop(r) >= top + header) {  // named where it can be read
        lastG[static_cast<size_t>(lane)] = e.g;
        std::string who = e.g ? "G" + std::to_string(e.g) : std::string("g0");
        fittedText(dl, who, x + w + 3, rowTop(r) + rowH / 2, kLaneCol * zx / 2 - w - 5, ink, false);
      }
    }
    // An M asleep in a blocking netpoll: a hatched span with its name.
    for (const auto& s : lanes->sleeps) {
      int lane = lanes->laneOf(s.m);
      size_t r0 = L.rowOfEvent(s.fromEvent), r1 = std::min(rows, L.rowOfEvent(s.toEvent));
      if (lane < 0 || s.fromEvent >= cursor || r1 <= first || r0 >= last) continue;
      float x = laneX(lane), y0 = rowTop(std::max(r0, first)), y1 = rowTop(std::min(r1, last));
      for (float y = y0; y < y1; y += 8) dl->AddLine(ImVec2(x - w, y), ImVec2(x + w, std::min(y + 6, y1)), faint, 1.5f);
      dl->AddRect(ImVec2(x - w, y0), ImVec2(x + w, y1), faint);
      fittedText(dl, ui(v, Ui::epollAsleep), x + w + 3, y0 + fh * 0.7f, kLaneCol * zx / 2 - w - 5, faint, false);
    }
  }
  dl->PopClipRect();

  // ---- 5. heads last, on a strip of their own, so scrolled messages pass under them
  dl->AddRectFilled(ImVec2(winPos.x, top), ImVec2(winPos.x + winSize.x, top + header),
                    ImGui::GetColorU32(ImGuiCol_WindowBg) | 0xFF000000);
  for (const auto& gl : groupLabels) {
    bool isGroup = gl.group >= 0;
    bool folded = isGroup && L.collapsed(static_cast<SeqGroup>(gl.group));
    std::string label = isGroup ? std::string(folded ? "[+] " : "[-] ") + groupName(v, static_cast<SeqGroup>(gl.group))
                                : std::string(ui(v, Ui::threadsM));
    ImVec2 at(gl.x0 + 4, top + 1);
    FittedLabel f = fitLabel(label, gl.x1 - gl.x0 - 8, measure);
    if (!f.drawn()) continue;
    ImVec2 ts(measure(f.text) * f.scale, fh * f.scale);
    bool hover = mouse.x >= at.x && mouse.x <= at.x + ts.x && mouse.y >= at.y && mouse.y <= at.y + ts.y;
    dl->AddText(ImGui::GetFont(), fh * f.scale, at, hover ? ink : faint, f.text.c_str());
    if (clicked && hover && isGroup) v.toggleGroup(gl.group);
  }
  // A head counts as shown when it is inside the window and its name is readable.
  const float visLeft = winPos.x, visRight = winPos.x + winSize.x - ImGui::GetStyle().ScrollbarSize * 0.5f;
  int shown = 0, total = 0;
  auto head = [&](float x, const std::string& text, bool sel, int64_t goroutine) {
    ++total;
    FittedLabel f = fitLabel(text, colW - 10, measure, 0.75f, 2);
    float w = f.drawn() ? measure(f.text) * f.scale : 8.f, hh = fh * std::max(f.scale, 0.75f);
    ImVec2 a(x - w / 2 - 4, top + header - hh - 10), b(x + w / 2 + 4, top + header - 4);
    dl->AddRectFilled(a, b, sel ? Palette::kSelected : ImGui::GetColorU32(ImGuiCol_FrameBg), 4.f);
    if (f.drawn())
      dl->AddText(ImGui::GetFont(), fh * f.scale, ImVec2(x - w / 2, top + header - hh - 7), sel ? 0xFF000000 : ink,
                  f.text.c_str());
    if (f.drawn() && x - w / 2 >= visLeft && x + w / 2 <= visRight) ++shown;
    if (clicked && goroutine && mouse.x >= a.x && mouse.x <= b.x && mouse.y >= a.y && mouse.y <= b.y)
      v.selectGoroutine(goroutine);
  };
  lastX = -1e9f;
  for (const auto& l : L.lifelines()) {
    float x = X(l.x);
    if (x == lastX) continue;  // folded: the group's one head
    lastX = x;
    std::string label = l.folded ? std::string(groupName(v, l.group)) : l.label;
    head(x, label, l.goroutine && l.goroutine == v.selection.goroutine && !l.folded, l.folded ? 0 : l.goroutine);
  }
  int lifelineTotal = total, lifelineShown = shown;
  if (lanes)
    for (size_t i = 0; i < lanes->ms.size(); ++i)
      head(laneX(static_cast<int>(i)), "M" + std::to_string(lanes->ms[i]), false, 0);

  // ---- what this frame shows (--screenshot prints it)
  v.drawn.lifelinesShown = lifelineShown;
  v.drawn.lifelinesTotal = lifelineTotal;
  v.drawn.threadLanes = lanes ? shown - lifelineShown : 0;
  v.drawn.horizontalScroll = ImGui::GetScrollMaxX() > 0.5f;
  if (hasCur) {
    v.drawn.currentSeq = T.events[curEvent].seq;
    float y = origin.y + markerY;
    if (y >= top + header - 2 && y <= top + viewH) v.drawn.marked(curRow ? "row" : "cursor line");
  }
  ImGui::EndChild();
}

}  // namespace pollscope::viz
