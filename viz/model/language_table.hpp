// The narration languages the viewer offers, one row each: `--lang`, the L key's
// toggle, the presenter's button and the Classroom menu read this table.
#pragma once

#include "analysis/explain.hpp"
#include "model/table_rows.hpp"
#include "model/ui_text.hpp"

namespace pollscope::viz {

inline constexpr analysis::Lang kLastLang = analysis::Lang::zh;  // kLanguages has a row per Lang up to here

struct LanguageInfo {
  analysis::Lang lang;
  const char* code;        // `--lang`, as analysis::parseLang reads it
  const char* name;        // its name in English (tables, messages)
  Ui label;                // the presenter's button that switches to it, in the viewer's language
  std::optional<Ui> menu;  // the Classroom menu's toggle into it; none: the default, the toggles' "off"
};

inline constexpr LanguageInfo kLanguages[] = {
    {analysis::Lang::en, "en", "English", Ui::langEnglish, std::nullopt},
    {analysis::Lang::zh, "zh", "Chinese", Ui::langChinese, Ui::menuChinese},
};

static_assert(table_rows::oneRowPerEnumerator(kLanguages, &LanguageInfo::lang, kLastLang),
              "kLanguages: one row per analysis::Lang, in the enum's order");
static_assert(table_rows::unique(kLanguages, &LanguageInfo::code) &&
                  table_rows::unique(kLanguages, &LanguageInfo::name),
              "kLanguages: two languages share a code or a name");

constexpr const LanguageInfo& languageInfo(analysis::Lang l) {
  return kLanguages[static_cast<size_t>(l)];
}
// The L key: each language in turn.
constexpr analysis::Lang nextLanguage(analysis::Lang l) {
  return kLanguages[(static_cast<size_t>(l) + 1) % std::size(kLanguages)].lang;
}
inline std::optional<analysis::Lang> languageCoded(std::string_view code) {
  return table_rows::find(kLanguages, &LanguageInfo::code, &LanguageInfo::lang, code);
}

}  // namespace pollscope::viz
