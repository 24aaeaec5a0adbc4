#include "trace/regular_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pollscope::trace {

int openRegularFile(const std::string& path, size_t* size, std::string* error) {
  // O_NONBLOCK: open(2) of a FIFO with no writer would otherwise wait for one.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (error) *error = path + ": cannot open file (" + std::strerror(errno) + ")";
    return -1;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    if (error) *error = path + ": not a regular file (a directory, device, FIFO or socket cannot be read as input)";
    return -1;
  }
  // Back to blocking reads: a regular file never blocks, and callers may mmap it.
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  *size = static_cast<size_t>(st.st_size);
  return fd;
}

bool readRegularFile(const std::string& path, size_t maxBytes, const char* what, std::string* text,
                     std::string* error) {
  size_t size = 0;
  int fd = openRegularFile(path, &size, error);
  if (fd < 0) return false;
  if (size > maxBytes) {
    ::close(fd);
    *error = path + ": " + std::to_string(size) + " bytes is more than " + what + " may have (" +
             std::to_string(maxBytes >> 20) + " MiB)";
    return false;
  }
  text->assign(size, '\0');
  size_t got = 0;
  while (got < size) {
    ssize_t n = ::read(fd, text->data() + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the file shrank while we read it: parse what is there
    got += static_cast<size_t>(n);
  }
  text->resize(got);
  ::close(fd);
  return true;
}

}  // namespace pollscope::trace
