// Go's error values for network I/O, as one small value type.
#pragma once

#include <cstdint>
#include <string>

#include "trace/event.hpp"

namespace pollscope::poll {

struct Error {
  trace::NetErr kind = trace::NetErr::ok;
  int64_t errnum = 0;  // for NetErr::errno_

  static Error ok() { return {}; }
  static Error fromErrno(int64_t e) { return {trace::NetErr::errno_, e}; }
  explicit operator bool() const { return kind != trace::NetErr::ok; }
  bool operator==(const Error&) const = default;
  // Go's message: "EOF", "use of closed network connection", "i/o timeout", ...
  std::string message() const;
  // Short kind used by scenarios: ok, eof, closed, timeout, refused, reset, ...
  std::string kindName() const;
};

// internal/poll convertErr: netpollcheckerr code -> error.
Error convertErr(int code);

}  // namespace pollscope::poll
