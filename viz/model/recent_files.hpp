// Recently opened files, newest first, kept in $XDG_CONFIG_HOME/pollscope/recent
// (or ~/.config/pollscope/recent), one absolute path a line.
#pragma once

#include <string>
#include <vector>

namespace pollscope::viz {

class RecentFiles {
 public:
  static constexpr size_t kMax = 10;
  explicit RecentFiles(std::string storePath);  // "": remember nothing on disk
  static std::string defaultStorePath();        // "" when no home directory is known

  const std::vector<std::string>& list() const { return files_; }
  // Moves `path` (made absolute) to the front and saves; false if saving failed.
  bool add(const std::string& path);

 private:
  std::string store_;
  std::vector<std::string> files_;
};

}  // namespace pollscope::viz
