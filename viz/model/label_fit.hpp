// Fitting a label into the room it has: drawn whole, else smaller down to the
// smallest readable size, else cut short with "..", else not drawn at all. A
// label is never wider than its room, so labels never overlap. No ImGui here:
// the views pass their text measure.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace pollscope::viz {

struct FittedLabel {
  std::string text;   // what to draw (empty: nothing)
  float scale = 1.f;  // of the font size
  bool cut = false;   // abbreviated
  bool drawn() const { return !text.empty(); }
};

// `measure` gives a text's width at scale 1; `minScale` is the smallest readable
// size as a fraction of the font's; at least `minChars` characters or nothing.
FittedLabel fitLabel(std::string_view text, float room, const std::function<float(std::string_view)>& measure,
                     float minScale = 0.75f, size_t minChars = 3);

}  // namespace pollscope::viz
