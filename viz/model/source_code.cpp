#include "model/source_code.hpp"

#include <algorithm>

namespace pollscope::viz {

std::optional<std::string_view> engineSource(std::string_view path) {
  for (size_t i = 0; i < kEmbeddedSourceCount; ++i)
    if (path == kEmbeddedSources[i].path) return std::string_view(kEmbeddedSources[i].text);
  return std::nullopt;
}

namespace {
std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      if (start < text.size()) out.push_back(text.substr(start));
      break;
    }
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

// clang-format puts every function body's closing brace, and nothing else, at
// column 0 on a line of its own ("}" or "};" for classes and lambdas at file scope).
bool closesTopLevel(std::string_view l) {
  return l == "}" || l == "};";
}
bool startsTopLevel(std::string_view l) {
  return !l.empty() && l[0] != ' ' && l[0] != '}' && l[0] != '#' && l.rfind("//", 0) != 0 &&
         l.rfind("namespace", 0) != 0 && l.back() == '{';
}
}  // namespace

std::optional<SourceExcerpt> functionAround(std::string_view path, int line, int maxLines) {
  auto text = engineSource(path);
  if (!text || line < 1) return std::nullopt;
  auto lines = splitLines(*text);
  if (static_cast<size_t>(line) > lines.size()) return std::nullopt;
  int focus = line - 1;
  int first = focus, last = focus;
  while (first > 0 && !startsTopLevel(lines[static_cast<size_t>(first)]) &&
         !closesTopLevel(lines[static_cast<size_t>(first - 1)]))
    --first;
  // The signature may span lines above the one that ends with '{'.
  while (first > 0 && !lines[static_cast<size_t>(first - 1)].empty() &&
         lines[static_cast<size_t>(first - 1)][0] != ' ' && !closesTopLevel(lines[static_cast<size_t>(first - 1)]) &&
         lines[static_cast<size_t>(first - 1)].back() != ';' &&
         lines[static_cast<size_t>(first - 1)].rfind("//", 0) != 0)
    --first;
  while (static_cast<size_t>(last + 1) < lines.size() && !closesTopLevel(lines[static_cast<size_t>(last)])) ++last;
  // Too long: a window around the line.
  if (last - first + 1 > maxLines) {
    first = std::max(first, focus - maxLines / 2);
    last = std::min(last, first + maxLines - 1);
  }
  SourceExcerpt ex;
  ex.path = std::string(path);
  ex.firstLine = first + 1;
  ex.focusLine = line;
  for (int i = first; i <= last; ++i) ex.lines.emplace_back(lines[static_cast<size_t>(i)]);
  return ex;
}

int operationLine(const SourceExcerpt& ex) {
  static constexpr std::string_view kOperations[] = {"compare_exchange", ".exchange(", "fetch_add",  "fetch_sub",
                                                     ".store(",          "sys::",      "::epoll_",   "::read(",
                                                     "::write(",         "::close(",   "casgstatus", "eventfd"};
  auto isOperation = [](std::string_view l) {
    if (l.find("PS_EMIT") != std::string_view::npos || l.find("PS_SEM") != std::string_view::npos) return false;
    for (auto op : kOperations)
      if (l.find(op) != std::string_view::npos) return true;
    return false;
  };
  int focus = ex.focusLine - ex.firstLine;
  for (int i = focus; i >= 0 && focus - i <= 8; --i)
    if (static_cast<size_t>(i) < ex.lines.size() && isOperation(ex.lines[static_cast<size_t>(i)]))
      return ex.firstLine + i;
  return ex.focusLine;
}

}  // namespace pollscope::viz
