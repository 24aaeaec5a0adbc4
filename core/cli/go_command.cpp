// pollscope go: the Go program behind a scenario, or --list of every scenario's
// translation fidelity.
#include "cli/go_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/article_command.hpp"
#include "gosource/go_program.hpp"
#include "scenario/scenario.hpp"

namespace pollscope::cli {

namespace {
int listScenarios(const std::string& argv0) {
  std::string dir = findScenarioDir(argv0);
  if (dir.empty()) {
    std::fprintf(stderr, "pollscope: no scenarios/ folder found (set POLLSCOPE_SCENARIOS)\n");
    return 2;
  }
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  int counts[3] = {0, 0, 0};
  for (const auto& f : files) {
    scenario::Scenario s;
    std::string err;
    if (!scenario::loadScenarioFile(f, &s, &err)) {
      std::fprintf(stderr, "pollscope: %s\n", err.c_str());
      return 1;
    }
    std::vector<std::string> why;
    auto fid = gosource::classify(s, &why);
    counts[static_cast<int>(fid)]++;
    std::cout << fmt::format("{:<28} {}\n", s.name, gosource::fidelityName(fid));
    for (const auto& w : why) std::cout << fmt::format("{:<28}   {}\n", "", w);
  }
  std::cout << fmt::format("{} scenarios: {} exact, {} approximate, {} not translatable\n", files.size(), counts[0],
                           counts[1], counts[2]);
  return 0;
}
}  // namespace

int cmdGo(const GoArgs& a) {
  if (a.list) return listScenarios(a.argv0);
  if (a.scenario.empty()) {
    std::fprintf(stderr, "pollscope: go needs a scenario file, or --list\n");
    return 2;
  }
  scenario::Scenario s;
  std::string err;
  if (!scenario::loadScenarioFile(a.scenario, &s, &err)) {
    std::fprintf(stderr, "pollscope: %s\n", err.c_str());
    return 2;
  }
  auto prog = gosource::goProgram(s, std::filesystem::path(a.scenario).filename().string());
  if (a.out.empty() || a.out == "-") {
    std::cout << prog.text;
  } else {
    std::ofstream f(a.out, std::ios::binary);
    f << prog.text;
    if (!f.good()) {
      std::fprintf(stderr, "pollscope: cannot write %s\n", a.out.c_str());
      return 1;
    }
  }
  if (prog.fidelity != gosource::Fidelity::exact)
    std::fprintf(stderr, "pollscope: %s translates %s: %s\n", s.name.c_str(), gosource::fidelityName(prog.fidelity),
                 prog.why.empty() ? "" : prog.why.front().c_str());
  return 0;
}

}  // namespace pollscope::cli
