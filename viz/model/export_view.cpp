#include "model/export_view.hpp"

#include <fmt/format.h>

#include <fstream>

#include "export/export.hpp"

namespace pollscope::viz {

ViewExport exportCurrentView(const Viewer& v) {
  ViewExport x;
  exporting::Filter f;
  if (const trace::Event* e = v.replay->current()) f.toSeq = e->seq;  // what is on screen: up to the cursor
  switch (viewInfo(v.view).exportAs) {
    case ViewExportKind::mermaidSequence:
      x.parts = exporting::mermaidSequence(*v.trace, f, exporting::Level::user);
      x.extension = ".mmd";
      x.describe = "sequence diagram up to the cursor";
      break;
    case ViewExportKind::mermaidState: {
      std::optional<int64_t> pd;
      if (v.selection.pd) pd = v.selection.pd;
      x.parts = {exporting::mermaidState(*v.trace, f, exporting::Machine::semaphore, pd)};
      x.extension = ".mmd";
      x.describe = v.selection.pd ? fmt::format("state diagram of pd{} up to the cursor", v.selection.pd)
                                  : "state diagram up to the cursor";
      break;
    }
    case ViewExportKind::chromeTrace:
      x.parts = {exporting::chromeTrace(*v.trace, f)};
      x.extension = ".json";
      x.describe = "Chrome/Perfetto trace up to the cursor";
      break;
  }
  return x;
}

std::string defaultExportPath(const Viewer& v, const ViewExport& x) {
  std::string name = v.trace->meta.scenario.empty() ? "trace" : v.trace->meta.scenario;
  return fmt::format("pollscope-{}-{}{}", name, viewInfo(v.view).exportSuffix, x.extension);
}

std::vector<std::string> saveExport(const ViewExport& x, const std::string& path, std::string* error) {
  std::vector<std::string> files;
  auto dot = path.rfind('.');
  std::string stem = dot == std::string::npos ? path : path.substr(0, dot);
  std::string ext = dot == std::string::npos ? "" : path.substr(dot);
  for (size_t i = 0; i < x.parts.size(); ++i) {
    std::string file = x.parts.size() == 1 ? path : fmt::format("{}.{}{}", stem, i + 1, ext);
    std::ofstream out(file, std::ios::binary);
    if (!out || !(out << x.parts[i]) || !out.flush()) {
      *error = "cannot write " + file;
      return {};
    }
    files.push_back(file);
  }
  return files;
}

}  // namespace pollscope::viz
