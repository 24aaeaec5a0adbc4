// The viewer's views, one row each: the one place that names a view. The tabs,
// the View menu, the 1-4 keys, `--view`, a lesson slide's "view" and the
// exported file all read this table (docs/development.md, "Recipe: add a view").
#pragma once

#include <iterator>

#include "model/table_rows.hpp"

namespace pollscope::viz {

enum class View { sequence, state, timeline, table };
inline constexpr View kLastView = View::table;  // kViews has one row per enumerator up to here

// What "Save view" / "Copy view" / `--export-view` write for a view.
enum class ViewExportKind { mermaidSequence, mermaidState, chromeTrace };

struct ViewInfo {
  View view;
  const char* name;          // `--view`, a lesson slide's "view", the screenshot tests
  char key;                  // the keyboard shortcut, also shown in the View menu
  const char* label;         // the tab and the View menu entry
  bool inPresenter;          // presenter mode keeps only the two diagrams: no clutter in front of a class
  ViewExportKind exportAs;   // what Save/Copy view write
  const char* exportSuffix;  // pollscope-<scenario>-<suffix>.<ext>
};

inline constexpr ViewInfo kViews[] = {
    {View::sequence, "sequence", '1', "Sequence", true, ViewExportKind::mermaidSequence, "sequence"},
    {View::state, "state", '2', "State", true, ViewExportKind::mermaidState, "state"},
    {View::timeline, "timeline", '3', "Timeline", false, ViewExportKind::chromeTrace, "perfetto"},
    {View::table, "table", '4', "Events", false, ViewExportKind::chromeTrace, "perfetto"},
};

static_assert(table_rows::oneRowPerEnumerator(kViews, &ViewInfo::view, kLastView),
              "kViews: one row per View, in the enum's order");
static_assert(table_rows::unique(kViews, &ViewInfo::name) && table_rows::unique(kViews, &ViewInfo::label),
              "kViews: two views share a name or a label");
namespace view_table_checks {
constexpr bool keysUnique() {
  for (size_t i = 0; i < std::size(kViews); ++i)
    for (size_t j = i + 1; j < std::size(kViews); ++j)
      if (kViews[i].key == kViews[j].key) return false;
  return true;
}
}  // namespace view_table_checks
static_assert(view_table_checks::keysUnique(), "kViews: two views share a key");

constexpr const ViewInfo& viewInfo(View v) {
  return kViews[static_cast<size_t>(v)];
}

// The view called `name` (as `--view` and lessons spell it); none if no view is.
inline std::optional<View> viewNamed(std::string_view name) {
  return table_rows::find(kViews, &ViewInfo::name, &ViewInfo::view, name);
}
inline std::string viewNamesInWords() {
  return table_rows::inWords(kViews, &ViewInfo::name);
}

}  // namespace pollscope::viz
