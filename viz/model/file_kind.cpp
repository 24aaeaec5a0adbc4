#include "model/file_kind.hpp"

#include <unistd.h>

#include <algorithm>

#include "trace/regular_file.hpp"

namespace pollscope::viz {

bool fileSays(const std::string& path, const char* format) {
  size_t size = 0;
  int fd = trace::openRegularFile(path, &size, nullptr);
  if (fd < 0) return false;
  std::string head(std::min<size_t>(size, 512), '\0');
  ssize_t n = ::pread(fd, head.data(), head.size(), 0);
  ::close(fd);
  head.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return head.find(format) != std::string::npos;
}

}  // namespace pollscope::viz
