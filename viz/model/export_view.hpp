// Export what the viewer shows: the sequence diagram up to the cursor, the state
// machine of the selected pollDesc, or (timeline, table) Chrome/Perfetto JSON up
// to the cursor. The same exporters as `pollscope export`.
#pragma once

#include <string>
#include <vector>

#include "model/viewer.hpp"

namespace pollscope::viz {

struct ViewExport {
  std::vector<std::string> parts;  // Mermaid may need several parts; JSON has one
  std::string extension;           // ".mmd" or ".json"
  std::string describe;            // what was exported, for the status line
};

ViewExport exportCurrentView(const Viewer& v);
// Writes the export next to `path` (numbered parts when needed); returns the files written.
std::vector<std::string> saveExport(const ViewExport& x, const std::string& path, std::string* error);
std::string defaultExportPath(const Viewer& v, const ViewExport& x);

}  // namespace pollscope::viz
