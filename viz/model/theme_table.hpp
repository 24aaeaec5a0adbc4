// The viewer's colour themes, one row each: `--theme`, the T key's toggle, the
// presenter's button and the Classroom menu read this table (app/render.cpp
// holds each theme's colours).
#pragma once

#include "model/table_rows.hpp"

namespace pollscope::viz {

enum class Theme { dark, light };
inline constexpr Theme kLastTheme = Theme::light;  // kThemes has one row per enumerator up to here

struct ThemeInfo {
  Theme theme;
  const char* code;  // `--theme`
  const char* name;  // the presenter's button that switches to it
  const char* use;   // what it is for, in `--help`
  const char* menu;  // the Classroom menu's toggle into it; null: the default, the toggles' "off"
};

inline constexpr ThemeInfo kThemes[] = {
    {Theme::dark, "dark", "Dark", "high contrast", nullptr},
    {Theme::light, "light", "Light", "projectors", "Light theme (projectors)"},
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
