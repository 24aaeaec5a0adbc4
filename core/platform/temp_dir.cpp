// A private temporary directory for Unix socket paths where Linux's abstract
// namespace does not exist: created once (mkdtemp, mode 0700, so no other user can
// plant a socket there) and removed with whatever sockets remain at exit.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <string>

#include "platform/platform.hpp"

namespace pollscope::platform {
namespace {
std::string gDir;

void removeDir() {
  if (gDir.empty()) return;
  if (DIR* d = ::opendir(gDir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != "..") ::unlink((gDir + "/" + name).c_str());
    }
    ::closedir(d);
  }
  ::rmdir(gDir.c_str());
}
}  // namespace

const char* privateTempDir() {
  static std::once_flag once;
  std::call_once(once, [] {
    const char* base = std::getenv("TMPDIR");
    // sun_path holds about 104 bytes: macOS's per-user TMPDIR is long but fits.
    std::string tmpl = std::string(base && *base ? base : "/tmp");
    if (tmpl.back() == '/') tmpl.pop_back();
    tmpl += "/pollscope-XXXXXX";
    if (::mkdtemp(tmpl.data())) {
      gDir = tmpl;
      std::atexit(removeDir);
    }
  });
  return gDir.c_str();
}

}  // namespace pollscope::platform
