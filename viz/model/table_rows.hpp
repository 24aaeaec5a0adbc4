// Helpers shared by the viewer's vocabulary tables (views, languages, themes):
// each is a constexpr array with one row per enumerator, in the enum's order, so
// a row is found by index and a missing or misplaced row fails the build.
#pragma once

#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

namespace pollscope::viz::table_rows {

// Row i describes enumerator i, for every row, and there is a row up to `last`.
template <class Row, size_t N, class Enum>
constexpr bool oneRowPerEnumerator(const Row (&rows)[N], Enum Row::*key, Enum last) {
  if (N != static_cast<size_t>(last) + 1) return false;
  for (size_t i = 0; i < N; ++i)
    if (rows[i].*key != static_cast<Enum>(i)) return false;
  return true;
}

// No two rows share this text column.
template <class Row, size_t N>
constexpr bool unique(const Row (&rows)[N], const char* Row::*column) {
  for (size_t i = 0; i < N; ++i)
    for (size_t j = i + 1; j < N; ++j)
      if (std::string_view(rows[i].*column) == rows[j].*column) return false;
  return true;
}

// The enumerator whose row has `text` in `column`; none if no row has.
template <class Row, size_t N, class Enum>
std::optional<Enum> find(const Row (&rows)[N], const char* Row::*column, Enum Row::*key, std::string_view text) {
  for (const auto& row : rows)
    if (text == row.*column) return row.*key;
  return std::nullopt;
}

// "a, b or c": a column in words, for help texts and error messages.
template <class Row, size_t N>
std::string inWords(const Row (&rows)[N], const char* Row::*column) {
  std::string out;
  for (size_t i = 0; i < N; ++i) {
    if (i) out += i + 1 == N ? " or " : ", ";
    out += rows[i].*column;
  }
  return out;
}

}  // namespace pollscope::viz::table_rows
