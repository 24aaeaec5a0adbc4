// The viewer's colour themes, one row each: `--theme`, the T key's toggle, the
// presenter's button and the Classroom menu read this table (app/render.cpp
// holds each theme's colours).
#pragma once

#include "model/table_rows.hpp"
#include "model/ui_text.hpp"

namespace pollscope::viz {

enum class Theme { dark, light };
inline constexpr Theme kLastTheme = Theme::light;  // kThemes has one row per enumerator up to here

struct ThemeInfo {
  Theme theme;
  const char* code;        // `--theme`
  const char* name;        // the presenter's button that switches to it (English; `label` on screen)
  Ui label;                // that button in the viewer's language
  const char* use;         // what it is for, in `--help`
  std::optional<Ui> menu;  // the Classroom menu's toggle into it; none: the default, the toggles' "off"
};

inline constexpr ThemeInfo kThemes[] = {
    {Theme::dark, "dark", "Dark", Ui::themeDark, "high contrast", std::nullopt},
    {Theme::light, "light", "Light", Ui::themeLight, "projectors", Ui::menuLightTheme},
};

static_assert(table_rows::oneRowPerEnumerator(kThemes, &ThemeInfo::theme, kLastTheme),
              "kThemes: one row per Theme, in the enum's order");
static_assert(table_rows::unique(kThemes, &ThemeInfo::code) && table_rows::unique(kThemes, &ThemeInfo::name),
              "kThemes: two themes share a code or a name");

constexpr const ThemeInfo& themeInfo(Theme t) {
  return kThemes[static_cast<size_t>(t)];
}
// The T key: each theme in turn.
constexpr Theme nextTheme(Theme t) {
  return kThemes[(static_cast<size_t>(t) + 1) % std::size(kThemes)].theme;
}
inline std::optional<Theme> themeCoded(std::string_view code) {
  return table_rows::find(kThemes, &ThemeInfo::code, &ThemeInfo::theme, code);
}

}  // namespace pollscope::viz
