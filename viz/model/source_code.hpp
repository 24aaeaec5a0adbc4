// The engine's own source, built into the viewer (tools/embed-sources), and the
// function around a line: what the code panel shows for the current event.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pollscope::viz {

struct EmbeddedSource {
  const char* path;  // relative to the repository root, as trace sites name files
  const char* text;
};
extern const EmbeddedSource kEmbeddedSources[];
extern const size_t kEmbeddedSourceCount;

std::optional<std::string_view> engineSource(std::string_view path);

// The function that contains `line` (1-based): from its signature to its closing
// brace at column 0, at most `maxLines` lines centred on `line`.
struct SourceExcerpt {
  std::string path;
  int firstLine = 0;  // 1-based number of lines[0]
  int focusLine = 0;
  std::vector<std::string> lines;
};
std::optional<SourceExcerpt> functionAround(std::string_view path, int line, int maxLines = 60);

// The line that did what the event records: the atomic CAS/swap or the system
// call just above the trace macro that recorded it (at most a few lines up, in
// the same function); the macro's own line if there is none.
int operationLine(const SourceExcerpt& ex);

}  // namespace pollscope::viz
