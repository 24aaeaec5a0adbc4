// The classroom's views: the big caption of the current step, the phase strip,
// the code panel (the engine's C++ behind the event), the lesson's slide, and
// the keys a teacher (or a clicker) uses.
#include <fmt/format.h>
#include <imgui.h>

#include "analysis/explain.hpp"
#include "analysis/phase.hpp"
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

// The scenario's own narration line in force at the cursor (the last step note).
std::string storyLine(const Viewer& v) {
  size_t c = v.replay->cursor();
  for (size_t i = c; i-- > 0;) {
    const auto& e = v.trace->events[i];
    auto step = trace::as<trace::Kind::step>(e);
    if (!step || step->phase() != trace::Phase::call) continue;
    for (const auto& st : v.trace->steps)
      if (st.id == step->step()) {
        const std::string& say = v.chinese() && !st.sayZh.empty() ? st.sayZh : st.sayEn;
        if (!say.empty()) return fmt::format("[{}] {}", st.goroutine, say);
      }
  }
  return "";
}
}  // namespace

void drawCaption(Viewer& v, ImFont* caption) {
  std::string story = storyLine(v);
  if (!story.empty()) ImGui::TextColored(ImVec4(1.f, 0.67f, 0.16f, 1.f), "%s", story.c_str());
  ImGui::PushFont(caption);
  if (const trace::Event* e = v.replay->current())
    ImGui::TextWrapped("%s", analysis::narrate(*v.trace, *e, v.lang(), true).c_str());
  else
    ImGui::TextWrapped("%s", ui(v, Ui::pressRight));
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

void drawCodePanel(Viewer& v, ImFont* mono) {
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
  for (size_t i = 0; i < ex->lines.size(); ++i) {
    int n = ex->firstLine + static_cast<int>(i);
    bool focus = n == ex->focusLine;
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

void drawLessonPanel(Viewer& v, ImFont* caption) {
  if (!v.lesson) return;
  const Lesson& l = *v.lesson;
  bool zh = v.chinese();
  size_t n = l.slides.size();
  ImGui::TextDisabled("%s  %zu / %zu", l.title.in(zh).c_str(), std::min(v.slide + 1, n + 1), n + 1);
  if (v.slide < n) {
    const Slide& s = l.slides[v.slide];
    ImGui::PushFont(caption);
    ImGui::TextWrapped("%s", s.title.in(zh).c_str());
    ImGui::PopFont();
    ImGui::TextWrapped("%s", s.text.in(zh).c_str());
  } else {
    ImGui::PushFont(caption);
    ImGui::TextUnformatted(ui(v, Ui::questions));
    ImGui::PopFont();
    for (size_t i = 0; i < l.questions.size(); ++i) {
      ImGui::TextWrapped("%zu. %s", i + 1, l.questions[i].q.in(zh).c_str());
      if (v.showAnswers()) {
        ImGui::Indent();
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
        ImGui::TextWrapped("%s", l.questions[i].a.in(zh).c_str());
        ImGui::PopStyleColor();
        ImGui::Unindent();
      }
    }
    ImGui::TextDisabled("%s", ui(v, Ui::answersHint));
  }
}

void handleClassroomKeys(Viewer& v) {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  if (ImGui::IsKeyPressed(kKeyF5, false)) v.togglePresenter();
  if (ImGui::IsKeyPressed(kKeyF11, false)) v.requestFullscreenToggle();
  if (!io.KeyCtrl && ImGui::IsKeyPressed('L', false)) v.toggleLanguage();
  if (!io.KeyCtrl && ImGui::IsKeyPressed('T', false)) v.toggleTheme();
  if (!io.KeyCtrl && ImGui::IsKeyPressed('C', false)) v.toggleCode();
  if (!io.KeyCtrl && ImGui::IsKeyPressed('A', false)) v.toggleAnswers();
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
    if (next) v.stepForward();
    if (prev) v.stepBack();
  }
}

}  // namespace pollscope::viz
