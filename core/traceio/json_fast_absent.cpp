// Builds without simdjson (the macOS cross build and the web page, where
// Debian's libsimdjson, built for the host only, is not available for the
// target): the fast path always declines, so the SAX reader (json_reader.cpp)
// reads every trace, with the same rules, at about 185 MB/s instead of about
// 1 GB/s. Linux builds use json_fast_reader.cpp instead.
#include "traceio/json_fast.hpp"

namespace pollscope::traceio {

FastRead readTraceFast(const char*, size_t, TraceModel*, const ReadOptions&, size_t) {
  return FastRead::rejected;
}

}  // namespace pollscope::traceio
