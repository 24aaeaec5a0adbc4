// The original article's sequence diagrams that pollscope redraws from real runs:
// for each section, what its story is about (the operations drawn step by step).
// Which scenario reproduces a section is declared by the scenario itself
// (its top-level "article" key).
#pragma once

#include <string>
#include <vector>

#include "export/story.hpp"

namespace pollscope::exporting {

struct ArticleDiagram {
  std::string section;  // "5.3"
  std::string titleEn, titleZh;
  std::set<trace::UserOp> focus;          // drawn step by step; the rest is one arrow or set-up
  std::set<std::string> focusGoroutines;  // whose operations (empty: everyone's)
  bool fdMutex;                           // the article draws the fdMutex and pd.prepare steps
  StoryOptions options() const {
    StoryOptions o;
    o.focus = focus;
    o.focusGoroutines = focusGoroutines;
    o.fdMutex = fdMutex;
    return o;
  }
};

const std::vector<ArticleDiagram>& articleDiagrams();
const ArticleDiagram* findArticleDiagram(const std::string& section);

}  // namespace pollscope::exporting
