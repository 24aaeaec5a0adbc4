// The documentation names every event kind and every value the engine can
// record, and nothing in the repository points outside it.
#include <catch2/catch.hpp>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <vector>

#include "trace/vocabulary.hpp"

using namespace pollscope::trace;

TEST_CASE("docs/trace-format.md documents every event kind and field", "[docs]") {
  std::ifstream in(std::string(POLLSCOPE_SOURCE_DIR) + "/docs/trace-format.md");
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  for (int k = 0; k < kKindCount; ++k) {
    const auto& spec = kindSpec(static_cast<Kind>(k));
    INFO(spec.name);
    CHECK(doc.find(std::string("`") + spec.name + "`") != std::string::npos);
    for (int i = 0; i < spec.fieldCount(); ++i) {
      INFO(spec.fields[i].name);
      CHECK(doc.find(std::string("`") + spec.fields[i].name + "`") != std::string::npos);
    }
  }
}

// ---- Pointers stay inside the repository -------------------------------------
// Code and docs cite docs/go-netpoll.md ("docs/go-netpoll.md §6"); a user's clone
// has nothing beside the repository, so nothing may point outside it.

namespace {
namespace fs = std::filesystem;

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The repository's text files: what git tracks when this is a git checkout
// (the exact set a clone gets), else every file but .git, node_modules and
// build trees.
std::vector<fs::path> sourceTextFiles() {
  const fs::path root(POLLSCOPE_SOURCE_DIR);
  std::vector<fs::path> candidates;
  const std::string cmd = "git -C '" + root.string() + "' ls-files 2>/dev/null";
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char line[4096];
    while (fgets(line, sizeof line, p)) {
      std::string rel(line);
      if (!rel.empty() && rel.back() == '\n') rel.pop_back();
      candidates.push_back(root / rel);
    }
    pclose(p);
  }
  if (candidates.empty()) {
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
      const auto name = it->path().filename().string();
      if (it->is_directory() && (name == ".git" || name == "node_modules" || name.rfind("build", 0) == 0 ||
                                 fs::exists(it->path() / "CMakeCache.txt")))
        it.disable_recursion_pending();
      else if (it->is_regular_file())
        candidates.push_back(it->path());
    }
  }
  std::vector<fs::path> out;
  for (const auto& f : candidates) {
    if (!fs::is_regular_file(f)) continue;                              // deleted but not yet committed
    if (readFile(f).find('\0') == std::string::npos) out.push_back(f);  // skip images, fonts
  }
  return out;
}

// Section numbers of docs/go-netpoll.md: its "## N. Title" headings, and the
// GitHub anchor of each heading.
std::set<int> docSections(const std::string& doc, std::set<std::string>* anchors) {
  std::set<int> out;
  std::istringstream lines(doc);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("#", 0) != 0) continue;
    std::smatch m;
    if (std::regex_match(line, m, std::regex(R"(## (\d+)\. .*)"))) out.insert(std::stoi(m[1]));
    std::string title = line.substr(line.find_first_not_of('#'));
    std::string anchor;
    for (unsigned char c : title) {
      if (std::isalnum(c) || c == '-' || c == '_')
        anchor += static_cast<char>(std::tolower(c));
      else if (c == ' ')
        anchor += '-';
    }
    anchors->insert(anchor.substr(anchor.find_first_not_of('-')));
  }
  return out;
}
}  // namespace

TEST_CASE("docs and code point nowhere outside the repository", "[docs]") {
  // Spelled in pieces so that this file does not match itself. The last is the
  // old way of citing a document that was never part of the repository.
  const std::vector<std::string> outside = {std::string("../") + "shared", std::string("/") + "work/",
                                            std::string("shared") + "/reference", std::string("shared") + "/seed",
                                            std::string("reference ") + "section"};
  auto files = sourceTextFiles();
  REQUIRE(files.size() > 100);
  for (const auto& f : files) {
    std::string text = readFile(f);
    for (const auto& bad : outside) {
      INFO(f.string() << " mentions " << bad);
      CHECK(text.find(bad) == std::string::npos);
    }
  }
}

TEST_CASE("every docs/go-netpoll.md section that is cited exists", "[docs]") {
  fs::path root(POLLSCOPE_SOURCE_DIR);
  std::set<std::string> anchors;
  const std::string doc = readFile(root / "docs/go-netpoll.md");
  auto sections = docSections(doc, &anchors);
  for (int s = 1; s <= 10; ++s) {
    INFO("section " << s);
    CHECK(sections.count(s) == 1);
  }
  // The document's own index links.
  const std::regex localLink(R"(\]\(#([A-Za-z0-9_-]+)\))");
  for (std::sregex_iterator m(doc.begin(), doc.end(), localLink), end; m != end; ++m) {
    INFO("go-netpoll.md links #" << (*m)[1]);
    CHECK(anchors.count((*m)[1]) == 1);
  }
  int cited = 0;
  const std::regex sectionRef(R"(§(\d+))");
  const std::regex anchorRef(R"(go-netpoll\.md#([A-Za-z0-9_-]+))");
  for (const auto& f : sourceTextFiles()) {
    std::string text = readFile(f);
    // A file that names the document may use bare "§N" after it (netpoll.hpp).
    if (text.find("go-netpoll.md") == std::string::npos) continue;
    for (std::sregex_iterator m(text.begin(), text.end(), sectionRef), end; m != end; ++m) {
      INFO(f.string() << " cites §" << (*m)[1]);
      CHECK(sections.count(std::stoi((*m)[1])) == 1);
      ++cited;
    }
    for (std::sregex_iterator m(text.begin(), text.end(), anchorRef), end; m != end; ++m) {
      INFO(f.string() << " links #" << (*m)[1]);
      CHECK(anchors.count((*m)[1]) == 1);
    }
  }
  CHECK(cited > 10);
}
