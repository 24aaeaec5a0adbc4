// export --article (article_command.hpp).
#include "cli/article_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "export/article.hpp"
#include "scenario/scenario.hpp"
#include "traceio/json.hpp"

namespace pollscope::cli {
namespace fs = std::filesystem;

std::string findScenarioDir(const std::string& argv0) {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("POLLSCOPE_SCENARIOS")) candidates.emplace_back(env);
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) exe = fs::absolute(argv0, ec);
  if (!exe.empty()) {
    // build/bin/pollscope (a build tree in the repository) or PREFIX/bin/pollscope
    candidates.push_back(exe.parent_path().parent_path().parent_path() / "scenarios");
    candidates.push_back(exe.parent_path().parent_path() / "scenarios");
    candidates.push_back(exe.parent_path().parent_path() / "share" / "pollscope" / "scenarios");
  }
  candidates.emplace_back("scenarios");
  for (const auto& c : candidates)
    if (fs::is_directory(c, ec)) return c.lexically_normal().string();
  return "";
}

namespace {
struct Found {
  std::string path, name;
};
std::vector<std::pair<std::string, Found>> scenariosBySection(const std::string& dir) {
  std::vector<std::pair<std::string, Found>> out;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    scenario::Scenario s;
    std::string err;
    if (!scenario::loadScenarioFile(f.string(), &s, &err)) continue;  // not every file is for us to judge
    for (const auto& sec : s.article) out.push_back({sec, {f.string(), s.name}});
  }
  return out;
}
}  // namespace

bool articleTrace(const std::string& section, const std::string& scenarioDir, traceio::TraceModel* t,
                  std::string* scenarioName, std::string* err) {
  if (!exporting::findArticleDiagram(section)) {
    *err = "the original article has no sequence diagram in section \"" + section + "\" (see --article list)";
    return false;
  }
  for (const auto& [sec, found] : scenariosBySection(scenarioDir)) {
    if (sec != section) continue;
    *scenarioName = found.name;
    fs::path golden = fs::path(scenarioDir).parent_path() / "traces" / (found.name + ".trace.json");
    std::error_code ec;
    if (fs::exists(golden, ec)) return traceio::readTraceFile(golden.string(), t, err);
    scenario::Scenario s;
    if (!scenario::loadScenarioFile(found.path, &s, err)) return false;
    auto result = scenario::runScenario(s, {});
    if (!result.ok) {
      *err = "scenario \"" + s.name + "\" did not meet its expectations";
      return false;
    }
    *t = std::move(result.trace);
    return true;
  }
  *err = fmt::format("no scenario in {} declares \"article\": [\"{}\"]", scenarioDir, section);
  return false;
}

std::string articleList(const std::string& scenarioDir) {
  auto found = scenariosBySection(scenarioDir);
  std::string out;
  for (const auto& d : exporting::articleDiagrams()) {
    std::string name = "(no scenario)";
    for (const auto& [sec, f] : found)
      if (sec == d.section) name = f.name;
    out += fmt::format("{:<5} {:<26} {}\n", d.section, name, d.titleEn);
  }
  return out;
}

}  // namespace pollscope::cli
