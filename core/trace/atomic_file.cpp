// Atomic file replacement: temporary file + rename(2) (see atomic_file.hpp).
#include "trace/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

namespace pollscope::trace {

bool writeFileAtomically(const std::string& path, const std::function<bool(std::ostream&)>& write, std::string* error) {
  auto say = [&](const std::string& what) {
    if (error) *error = what;
    return false;
  };
  auto slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.empty()) return say("cannot write " + path + ": it names a directory");
  std::string tmpl = dir + "." + base + ".tmp-XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) return say("cannot write " + path + ": " + std::strerror(errno));
  ::close(fd);
  std::string tmp(name.data());
  bool ok;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    ok = out && write(out) && out.flush();
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    return say("error while writing " + path);
  }
  // mkstemp makes the file 0600; a trace is as readable as any file the user writes.
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::chmod(tmp.c_str(), 0666 & ~mask);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return say("cannot write " + path + ": " + std::strerror(err));
  }
  return true;
}

bool sameFile(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

}  // namespace pollscope::trace
