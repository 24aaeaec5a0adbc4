// Keep-all recording's chunks, reused instead of fresh pages.
//
// A fresh chunk costs the kernel a zeroed page per 40 events (perf on a traced
// server: ~8% of the CPU in page faults). Chunks a finished recorder (or, later,
// a streaming writer) gives back are kept here, already mapped, and handed out
// again; only when the pool is empty does a chunk come from mmap (pre-faulted
// with MAP_POPULATE where the OS has it). Taken once per kChunkEvents events,
// never per event, so a mutex is cheap enough.
#pragma once

#include <cstddef>

#include "trace/event.hpp"

namespace pollscope::trace {

inline constexpr size_t kChunkEvents = 4096;

// A chunk of kChunkEvents events; nullptr when memory is exhausted.
Event* takeChunk();
// Returns a chunk: kept for reuse up to kChunkPoolMax chunks, unmapped beyond.
void giveChunk(Event* chunk);
inline constexpr size_t kChunkPoolMax = 64;  // 64 x 4096 x 96 B = 25 MB kept at most
size_t pooledChunks();                       // for tests

}  // namespace pollscope::trace
