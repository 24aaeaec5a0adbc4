#include "model/recent_files.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace pollscope::viz {
namespace fs = std::filesystem;

RecentFiles::RecentFiles(std::string storePath) : store_(std::move(storePath)) {
  if (store_.empty()) return;
  std::ifstream in(store_);
  std::string line;
  while (std::getline(in, line) && files_.size() < kMax)
    if (!line.empty()) files_.push_back(line);
}

std::string RecentFiles::defaultStorePath() {
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return std::string(x) + "/pollscope/recent";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.config/pollscope/recent";
  return "";
}

bool RecentFiles::add(const std::string& path) {
  std::error_code ec;
  std::string abs = fs::absolute(path, ec).lexically_normal().string();
  if (ec) abs = path;
  files_.erase(std::remove(files_.begin(), files_.end(), abs), files_.end());
  files_.insert(files_.begin(), abs);
  if (files_.size() > kMax) files_.resize(kMax);
  if (store_.empty()) return true;
  fs::create_directories(fs::path(store_).parent_path(), ec);
  std::ofstream out(store_, std::ios::trunc);
  for (const auto& f : files_) out << f << '\n';
  return static_cast<bool>(out);
}

}  // namespace pollscope::viz
