#include "poll/error.hpp"

#include <cerrno>
#include <cstring>

#include "trace/vocabulary.hpp"

namespace pollscope::poll {
using trace::NetErr;

std::string Error::message() const {
  switch (kind) {
    case NetErr::ok: return "<nil>";
    case NetErr::eof: return "EOF";
    case NetErr::closing: return "use of closed network connection";
    case NetErr::timeout: return "i/o timeout";
    case NetErr::notPollable: return "not pollable";
    case NetErr::unexpectedEof: return "unexpected EOF";
    case NetErr::errno_:
      return std::string(std::strerror(static_cast<int>(errnum))) + " (" + trace::errnoName(errnum) + ")";
  }
  return "?";
}

std::string Error::kindName() const {
  switch (kind) {
    case NetErr::ok: return "ok";
    case NetErr::eof: return "eof";
    case NetErr::closing: return "closed";
    case NetErr::timeout: return "timeout";
    case NetErr::notPollable: return "not_pollable";
    case NetErr::unexpectedEof: return "unexpected_eof";
    case NetErr::errno_:
      if (errnum == ECONNREFUSED) return "refused";
      if (errnum == ECONNRESET) return "reset";
      if (errnum == EPIPE) return "broken_pipe";
      return "errno";
  }
  return "?";
}

Error convertErr(int code) {
  switch (code) {
    case 0: return Error::ok();
    case 1: return {NetErr::closing, 0};
    case 2: return {NetErr::timeout, 0};
    case 3: return {NetErr::notPollable, 0};
  }
  std::abort();  // Go panics: "unreachable"
}

}  // namespace pollscope::poll
