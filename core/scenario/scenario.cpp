#include "scenario/scenario.hpp"

namespace pollscope::scenario {

const char* opName(Op op) {
  switch (op) {
    case Op::listen: return "listen";
    case Op::accept: return "accept";
    case Op::dial: return "dial";
    case Op::read: return "read";
    case Op::write: return "write";
    case Op::close: return "close";
    case Op::closeWrite: return "close_write";
    case Op::sleep: return "sleep";
    case Op::setReadDeadline: return "set_read_deadline";
    case Op::setWriteDeadline: return "set_write_deadline";
    case Op::setDeadline: return "set_deadline";
  }
  return "?";
}

}  // namespace pollscope::scenario
