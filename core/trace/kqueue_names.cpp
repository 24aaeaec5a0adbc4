#include "trace/kqueue_names.hpp"

namespace pollscope::trace::kq {

std::string keventMaskName(int64_t m) {
  std::string out;
  m &= ~kMarker;
  auto add = [&](int64_t bit, const char* name) {
    if (m & bit) {
      if (!out.empty()) out += '|';
      out += name;
      m &= ~bit;
    }
  };
  add(kFilterRead, "EVFILT_READ");
  add(kFilterWrite, "EVFILT_WRITE");
  add(kFilterUser, "EVFILT_USER");
  add(kAdd, "EV_ADD");
  add(kDelete, "EV_DELETE");
  add(kEnable, "EV_ENABLE");
  add(kDisable, "EV_DISABLE");
  add(kOneshot, "EV_ONESHOT");
  add(kClear, "EV_CLEAR");
  add(kEof, "EV_EOF");
  add(kError, "EV_ERROR");
  add(kNoteTrigger, "NOTE_TRIGGER");
  if (m) {
    if (!out.empty()) out += '|';
    out += "kevent?0x";
    static const char* hex = "0123456789abcdef";
    std::string h;
    for (auto u = static_cast<uint64_t>(m); u; u >>= 4) h.insert(h.begin(), hex[u & 15]);
    out += h;
  }
  return out.empty() ? "0" : out;
}

}  // namespace pollscope::trace::kq
