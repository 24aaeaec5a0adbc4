// The fast path for reading traces (simdjson, about 1 GB/s). It accepts only
// what the SAX reader accepts and gives up on anything else, so the SAX reader
// stays the one judge of a bad file and the author of its error message.
#pragma once

#include <cstddef>

#include "traceio/json.hpp"

namespace pollscope::traceio {

enum class FastRead { ok, rejected, cancelled };

// `data` must have kFastPadding readable bytes after `len`.
inline constexpr size_t kFastPadding = 64;
// `chunkBytes`: how much of the events array one parse takes (tests make it tiny
// to put every line boundary under test).
FastRead readTraceFast(const char* data, size_t len, TraceModel* out, const ReadOptions& opt,
                       size_t chunkBytes = 4u << 20);

}  // namespace pollscope::traceio
