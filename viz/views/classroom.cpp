// The classroom's views: the big caption of the current step, the phase strip,
// the code panel (the engine's C++ behind the event), the lesson's slide, and
// the keys a teacher (or a clicker) uses.
#include <fmt/format.h>
#include <imgui.h>

#include "analysis/explain.hpp"
#include "analysis/phase.hpp"
#include "gosource/go_program.hpp"
#include "model/label_fit.hpp"
#include "model/source_code.hpp"
#include "trace/fields.hpp"
#include "views/views.hpp"

namespace pollscope::viz {

namespace {
// The phase of the current event, or of the last event before it that had one.
std::optional<analysis::Phase> currentPhase(const Viewer& v) {
  size_t c = v.replay->cursor();
  for (size_t i = c; i-- > 0 && c - i < 64;)
    if (auto p = analysis::phaseOf(v.trace->events[i])) return p;
  return std::nullopt;
}

// The scenario's own narration line in force at the cursor (the last step note),
// from the viewer's index of step notes: a walk back grew with the trace.
std::string storyLine(Viewer& v) {
  const traceio::StepInfo* st = v.story.at(*v.trace, v.replay->cursor(), v.chinese());
  if (!st) return "";
  return fmt::format("[{}] {}", st->goroutine, v.chinese() && !st->sayZh.empty() ? st->sayZh : st->sayEn);
}
}  // namespace

void drawCaption(Viewer& v, ImFont* caption) {
  std::string story = storyLine(v);
  if (!story.empty()) ImGui::TextColored(ImVec4(1.f, 0.67f, 0.16f, 1.f), "%s", story.c_str());
  ImGui::PushFont(caption);
  std::string said = v.replay->current() ? analysis::narrate(*v.trace, *v.replay->current(), v.lang(), true)
                                         : std::string(ui(v, Ui::pressRight));
  if (ImGui::GetIO().DisplaySize.y >= 900) {
    ImGui::TextWrapped("%s", said.c_str());
  } else {
    // A small projector: one line, smaller or cut short, so the diagrams keep their height.
    FittedLabel f = fitLabel(said, ImGui::GetContentRegionAvail().x - 4,
                             [](std::string_view s) { return ImGui::CalcTextSize(s.data(), s.data() + s.size()).x; });
    ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize() * f.scale, at,
                                        ImGui::GetColorU32(ImGuiCol_Text), f.text.c_str());
    ImGui::Dummy(ImVec2(1, ImGui::GetFontSize() * f.scale));
  }
  ImGui::PopFont();
}

void drawPhaseStrip(Viewer& v) {
  auto now = currentPhase(v);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 o = ImGui::GetCursorScreenPos();
  float avail = ImGui::GetContentRegionAvail().x;
  float gap = 6.f, h = ImGui::GetTextLineHeight() + 10.f;
  float w = (avail - gap * (analysis::kPhaseCount - 1)) / analysis::kPhaseCount;
  for (int i = 0; i < analysis::kPhaseCount; ++i) {
    auto p = static_cast<analysis::Phase>(i);
    bool lit = now && *now == p;
    ImVec2 a(o.x + static_cast<float>(i) * (w + gap), o.y), b(a.x + w, a.y + h);
    dl->AddRectFilled(a, b, lit ? Palette::kLit : ImGui::GetColorU32(ImGuiCol_FrameBg), 4.f);
    dl->AddRect(a, b, ImGui::GetColorU32(ImGuiCol_Border), 4.f);  // visible on a light theme too
    const char* name = analysis::phaseName(p, v.chinese());
    // A name wider than its box is drawn smaller rather than cut.
    float size = ImGui::GetFontSize();
    ImVec2 ts = ImGui::CalcTextSize(name);
    if (ts.x > w - 6) size *= (w - 6) / ts.x;
    ImVec2 scaled(ts.x * size / ImGui::GetFontSize(), ts.y * size / ImGui::GetFontSize());
    dl->AddText(ImGui::GetFont(), size, ImVec2(a.x + (w - scaled.x) / 2, a.y + (h - scaled.y) / 2),
                lit ? 0xFF000000 : ImGui::GetColorU32(ImGuiCol_Text), name);
    if (i + 1 < analysis::kPhaseCount)
      dl->AddTriangleFilled(ImVec2(b.x + 1, a.y + h / 2 - 4), ImVec2(b.x + 1, a.y + h / 2 + 4),
                            ImVec2(b.x + gap - 1, a.y + h / 2), ImGui::GetColorU32(ImGuiCol_TextDisabled));
  }
  ImGui::Dummy(ImVec2(avail, h + 4));
}

namespace {
void drawEngineCode(Viewer& v, ImFont* mono) {
  const trace::Event* e = v.replay->current();
  if (v.selection.event && *v.selection.event < v.trace->events.size() && *v.selection.event + 1 == v.replay->cursor())
    e = &v.trace->events[*v.selection.event];
  if (!e || !e->site) {
    ImGui::TextDisabled("%s", ui(v, Ui::noEventCode));
    return;
  }
  ImGui::TextUnformatted(fmt::format(fmt::runtime(ui(v, Ui::mirrorsGo)), e->site->goFunc).c_str());
  ImGui::TextDisabled("%s:%d  (%s)", e->site->file, e->site->line, e->site->cppFunc);
  auto ex = functionAround(e->site->file, e->site->line);
  if (!ex) {
    ImGui::TextDisabled("%s", fmt::format(fmt::runtime(ui(v, Ui::noSourceFor)), e->site->file).c_str());
    return;
  }
  ImGui::BeginChild("code", ImVec2(0, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
  ImGui::PushFont(mono);
  static std::pair<std::string, int> scrolledTo;
  // The operation (the CAS, the system call) lit; the trace macro that recorded it marked faintly.
  const int opLine = operationLine(*ex);
  for (size_t i = 0; i < ex->lines.size(); ++i) {
    int n = ex->firstLine + static_cast<int>(i);
    bool focus = n == opLine;
    if (n == ex->focusLine && !focus) {
      ImVec2 p = ImGui::GetCursorScreenPos();
      ImGui::GetWindowDrawList()->AddRectFilled(
          p, ImVec2(p.x + ImGui::GetContentRegionAvail().x + 2000, p.y + ImGui::GetTextLineHeightWithSpacing()),
          Palette::kLitBand);
    }
    if (focus) {
      ImVec2 p = ImGui::GetCursorScreenPos();
      ImGui::GetWindowDrawList()->AddRectFilled(
          p, ImVec2(p.x + ImGui::GetContentRegionAvail().x + 2000, p.y + ImGui::GetTextLineHeightWithSpacing()),
          Palette::kLit);
      if (scrolledTo != std::pair<std::string, int>(ex->path, n)) {
        ImGui::SetScrollHereY(0.4f);
        scrolledTo = {ex->path, n};
      }
    }
    ImGui::PushStyleColor(ImGuiCol_Text, focus ? 0xFF000000 : ImGui::GetColorU32(ImGuiCol_Text));
    ImGui::TextDisabled("%4d", n);
    ImGui::SameLine();
    ImGui::TextUnformatted(ex->lines[i].c_str());
    ImGui::PopStyleColor();
  }
  ImGui::PopFont();
  ImGui::EndChild();
}

// The scenario's Go program, the line of the current event lit: the step's statement
// (a Read in user code, and the same Read while the runtime parks or polls under it).
void drawGoCode(Viewer& v, ImFont* mono) {
  const gosource::GoProgram& p = *v.goProgram;
  int lit = v.currentGoLine();
  ImGui::TextDisabled("%s (%s)", ui(v, Ui::goProgramTitle), gosource::fidelityName(p.fidelity));
  ImGui::BeginChild("gocode", ImVec2(0, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
  ImGui::PushFont(mono);
  static int scrolledTo = -1;
  int n = 0;
  size_t at = 0;
  while (at < p.text.size()) {
    size_t end = p.text.find('\n', at);
    if (end == std::string::npos) end = p.text.size();
    ++n;
    bool focus = n == lit;
    if (focus) {
      ImVec2 q = ImGui::GetCursorScreenPos();
      ImGui::GetWindowDrawList()->AddRectFilled(
          q, ImVec2(q.x + ImGui::GetContentRegionAvail().x + 2000, q.y + ImGui::GetTextLineHeightWithSpacing()),
          Palette::kLit);
      if (scrolledTo != n) {
        ImGui::SetScrollHereY(0.4f);
        scrolledTo = n;
      }
    }
    ImGui::PushStyleColor(ImGuiCol_Text, focus ? 0xFF000000 : ImGui::GetColorU32(ImGuiCol_Text));
    ImGui::TextDisabled("%4d", n);
    ImGui::SameLine();
    // Tabs as four spaces: ImGui draws a tab as nothing.
    std::string line;
    for (size_t i = at; i < end; ++i) line += p.text[i] == '\t' ? std::string("    ") : std::string(1, p.text[i]);
    ImGui::TextUnformatted(line.c_str());
    ImGui::PopStyleColor();
    at = end + 1;
  }
  ImGui::PopFont();
  ImGui::EndChild();
}
}  // namespace

void drawCodePanel(Viewer& v, ImFont* mono) {
  if (!v.goProgram) {
    drawEngineCode(v, mono);
    return;
  }
  if (!ImGui::BeginTabBar("codetabs")) return;
  // The viewer's choice (--go) selects a tab once; a click on a tab changes the choice.
  static int shown = -1;  // the tab on screen last frame: 0 engine, 1 Go
  int want = v.showGo() ? 1 : 0;
  bool force = shown != want;
  int now = shown;
  if (ImGui::BeginTabItem(fmt::format("{}###engine", ui(v, Ui::tabEngine)).c_str(), nullptr,
                          force && want == 0 ? ImGuiTabItemFlags_SetSelected : 0)) {
    now = 0;
    drawEngineCode(v, mono);
    ImGui::EndTabItem();
  }
  if (ImGui::BeginTabItem("Go", nullptr, force && want == 1 ? ImGuiTabItemFlags_SetSelected : 0)) {
    now = 1;
    drawGoCode(v, mono);
    ImGui::EndTabItem();
  }
  ImGui::EndTabBar();
  if (!force && now != want) v.setShowGo(now == 1);
  shown = now;
}

float lessonPanelHeight(const Viewer& v, ImFont* caption, float width) {
  const ImGuiStyle& st = ImGui::GetStyle();
  float line = ImGui::GetTextLineHeightWithSpacing();
  if (!v.lesson || v.slide >= v.lesson->slides.size()) return line + st.WindowPadding.y * 2;
  const Slide& s = v.lesson->slides[v.slide];
  bool zh = v.chinese();
  float captionH = (caption ? caption->FontSize : ImGui::GetFontSize()) + st.ItemSpacing.y;
  if (!v.slidePanelOpen()) return line + captionH + st.WindowPadding.y * 2;
  float textH = ImGui::CalcTextSize(s.text.in(zh).c_str(), nullptr, false, width).y;
  return line + captionH * 1.3f + textH + st.ItemSpacing.y * 2 + st.WindowPadding.y * 2;
}

void drawLessonPanel(Viewer& v, ImFont* caption) {
  if (!v.lesson || v.slide >= v.lesson->slides.size()) return;
  const Lesson& l = *v.lesson;
  bool zh = v.chinese();
  size_t n = l.slides.size();
  ImGui::TextDisabled("%s  %zu / %zu%s", l.title.in(zh).c_str(), v.slide + 1, n + 1,
                      v.slidePanelOpen() ? "" : ui(v, Ui::slideTextHidden));
  const Slide& s = l.slides[v.slide];
  ImGui::PushFont(caption);
  ImGui::TextWrapped("%s", s.title.in(zh).c_str());
  ImGui::PopFont();
  if (v.slidePanelOpen()) ImGui::TextWrapped("%s", s.text.in(zh).c_str());
}

void drawQuestionsPage(Viewer& v, ImFont* caption) {
  if (!v.lesson) return;
  const Lesson& l = *v.lesson;
  bool zh = v.chinese();
  ImGui::BeginChild("questions", ImVec2(0, 0), false);
  ImGui::TextDisabled("%s  %zu / %zu", l.title.in(zh).c_str(), l.slides.size() + 1, l.slides.size() + 1);
  ImGui::PushFont(caption);
  // Big enough to read from the back row: the caption face, scaled up once more.
  float big = std::max(1.f, ImGui::GetContentRegionAvail().y / (ImGui::GetFontSize() * 14.f));
  ImGui::SetWindowFontScale(std::min(big, 1.6f));
  ImGui::TextUnformatted(ui(v, Ui::questions));
  ImGui::Spacing();
  for (size_t i = 0; i < l.questions.size(); ++i) {
    ImGui::TextWrapped("%zu. %s", i + 1, l.questions[i].q.in(zh).c_str());
    if (v.showAnswers() || i < v.answersShown()) {
      ImGui::Indent();
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
      ImGui::TextWrapped("%s", l.questions[i].a.in(zh).c_str());
      ImGui::PopStyleColor();
      ImGui::Unindent();
    }
    ImGui::Spacing();
  }
  ImGui::SetWindowFontScale(1.f);
  ImGui::PopFont();
  ImGui::TextDisabled("%s", ui(v, Ui::revealHint));
  ImGui::EndChild();
}

void drawOffSlideBanner(Viewer& v) {
  v.drawn.offSlide = true;
  ImVec2 p = ImGui::GetCursorScreenPos();
  std::string text = fmt::format(fmt::runtime(ui(v, Ui::offSlide)), v.replay->cursor(), v.slideCursor.value_or(0));
  ImVec2 ts = ImGui::CalcTextSize(text.c_str());
  ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + ts.x + 16, p.y + ts.y + 6), Palette::kLit, 4.f);
  ImGui::GetWindowDrawList()->AddText(ImVec2(p.x + 8, p.y + 3), 0xFF000000, text.c_str());
  ImGui::Dummy(ImVec2(ts.x + 16, ts.y + 8));
}

void handleClassroomKeys(Viewer& v) {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  if (ImGui::IsKeyPressed(kKeyF5, false)) v.togglePresenter();
  if (ImGui::IsKeyPressed(kKeyF11, false)) v.requestFullscreenToggle();
  if (!io.KeyCtrl && ImGui::IsKeyPressed('L', false)) v.toggleLanguage();
  if (!io.KeyCtrl && ImGui::IsKeyPressed('T', false)) v.toggleTheme();
  if (!io.KeyCtrl && ImGui::IsKeyPressed('C', false)) v.toggleCode();
  if (!io.KeyCtrl && ImGui::IsKeyPressed('A', false)) v.revealNextAnswer();
  if (!io.KeyCtrl && ImGui::IsKeyPressed('H', false)) v.toggleSlidePanel();
  if (!io.KeyCtrl && ImGui::IsKeyPressed('Z', false)) v.toggleFitToScreen();
  if (!io.KeyCtrl && ImGui::IsKeyPressed('M', false)) v.toggleThreadLanes();
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace), false)) v.backToSlide();
  if (io.KeyCtrl && (ImGui::IsKeyPressed('=', true) || ImGui::IsKeyPressed(kKeyKeypadPlus, true))) v.largerText();
  if (io.KeyCtrl && (ImGui::IsKeyPressed('-', true) || ImGui::IsKeyPressed(kKeyKeypadMinus, true))) v.smallerText();
  if (io.KeyCtrl && ImGui::IsKeyPressed('0', false)) v.setFontScale(1.f);
  // Clickers send PageUp/PageDown: slides in a lesson, events otherwise.
  bool next = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageDown));
  bool prev = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageUp));
  if (v.lesson) {
    if (next) v.goToSlide(v.slide + 1);
    if (prev && v.slide > 0) v.goToSlide(v.slide - 1);
  } else {
    if (next) v.stepVisible();  // a clicker skips bookkeeping; the arrows still reach every event
    if (prev) v.stepVisibleBack();
  }
}

}  // namespace pollscope::viz
