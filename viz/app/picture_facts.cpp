#include "app/picture_facts.hpp"

#include "model/compare_run.hpp"
#include "model/drawn_facts.hpp"
#include "model/live_run.hpp"
#include "trace/vocabulary.hpp"

namespace pollscope::viz {

void printPictureFacts(const Viewer& v, const FrameFacts& f, const std::string& drawnTextFile) {
  // The older free-form lines first: the tests of earlier issues read them.
  if (v.trace)
    std::fprintf(stderr, "pollscope-gui: showing %zu events, cursor at %zu%s\n", v.trace->events.size(),
                 v.replay->cursor(),
                 v.live ? (v.live->gate().waiting() ? "; live, engine stopped at an event" : "; live") : "");
  if (!v.errorMessage.empty()) std::fprintf(stderr, "pollscope-gui: error dialog: %s\n", v.errorMessage.c_str());
  if (v.lesson) std::fprintf(stderr, "pollscope-gui: lesson slide %zu of %zu\n", v.slide + 1, v.lesson->slides.size());
  if (v.showCode() && v.showGo() && v.goProgram) {
    // "go line: 57 (n, err = s.Read(buf))": the lit line of the Go tab and its code.
    int n = v.currentGoLine();
    std::string text;
    size_t at = 0;
    for (int i = 1; i < n && at != std::string::npos; ++i) at = v.goProgram->text.find('\n', at) + 1;
    if (n > 0 && at != std::string::npos) text = v.goProgram->text.substr(at, v.goProgram->text.find('\n', at) - at);
    text.erase(0, text.find_first_not_of('\t'));
    std::fprintf(stderr, "go line: %d (%s)\n", n, text.c_str());
  }
  std::fprintf(stderr, "pollscope-gui: fonts: %s%s%s\n", v.ttfFonts ? "TTF" : "built-in",
               v.cjkFonts ? " + Chinese" : "", v.presenter() ? ", presenter mode" : "");
  // "key: value" facts.
  std::fprintf(stderr, "language: %s\n", languageInfo(v.lang()).code);
  std::fprintf(stderr, "menu bar: %s\n", f.menuBar ? "yes" : "no");
  if (f.text.fallbackKnown)
    std::fprintf(stderr, "glyphs missing: %d\n", f.text.missing);
  else
    std::fprintf(stderr, "glyphs missing: %d (built-in font: real '?' counted too)\n", f.text.missing);
  std::fprintf(stderr, "glyphs drawn: %d\n", f.text.glyphs);
  // Every string the viewer's controls can show (menus and dialogs not open now included).
  std::vector<std::string> uiTexts;
  for (const UiText& row : kUiTexts) uiTexts.emplace_back(uiText(row.id, v.lang()));
  std::fprintf(stderr, "ui glyphs missing: %d\n", glyphsMissingFrom(uiTexts));
  // What the views drew (model/drawn_facts.cpp).
  if (v.trace)
    for (const auto& fact : drawnFactLines(v)) std::fprintf(stderr, "%s\n", fact.c_str());
  if (v.compare) {
    std::fprintf(stderr, "compare panes: %zu\n", v.compare->panes.size());
    std::fprintf(stderr, "compare aligned on: %s\n", v.compare->rule.c_str());
    std::fprintf(stderr, "compare offset: %ld\n", v.compare->offset);
    for (size_t i = 0; i < v.compare->panes.size(); ++i) {
      // The pane's pollDesc semaphore as its state machine shows it.
      const Viewer& p = *v.compare->panes[i].viewer;
      const auto& sems = p.replay->state().sems;
      auto it = sems.find({p.selection.pd, p.selection.mode});
      std::string sem = "pdNil";
      if (it != sems.end())
        sem = it->second.state == trace::SemState::G
                  ? "G" + std::to_string(it->second.g)
                  : std::string(trace::enumName(trace::FieldType::SemState, static_cast<int64_t>(it->second.state)));
      std::fprintf(stderr, "compare pane %zu: %s, anchor %zu, cursor %zu of %zu, pd%lld.%cg=%s\n", i + 1,
                   p.trace->meta.scenario.c_str(), v.compare->panes[i].anchor, p.replay->cursor(), p.replay->size(),
                   static_cast<long long>(p.selection.pd), p.selection.mode, sem.c_str());
    }
  }
  if (!drawnTextFile.empty()) {
    if (std::FILE* out = std::fopen(drawnTextFile.c_str(), "w")) {
      for (const auto& line : f.text.lines) std::fprintf(out, "%s\n", line.c_str());
      std::fclose(out);
    } else {
      std::fprintf(stderr, "pollscope-gui: cannot write %s\n", drawnTextFile.c_str());
    }
  }
}

}  // namespace pollscope::viz
