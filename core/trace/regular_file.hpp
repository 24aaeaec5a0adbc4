// Opening input files (scenarios, lessons, traces) without trusting what the path is.
// A FIFO would block open(2) or read(2) forever and /dev/zero never ends, so every
// reader opens without blocking, refuses what is not a regular file, and bounds the
// size before reading. Lives in the bottom library so every layer can use it.
#pragma once

#include <cstddef>
#include <string>

namespace pollscope::trace {

// Opens `path` read-only (never blocking on a FIFO) and checks it is a regular file.
// Returns the fd and its size, or -1 with a one-line "PATH: ..." message.
int openRegularFile(const std::string& path, size_t* size, std::string* error);

// The whole file as text, if it is a regular file of at most maxBytes.
// `what` names the file's role in the message ("a scenario", "a lesson").
bool readRegularFile(const std::string& path, size_t maxBytes, const char* what, std::string* text, std::string* error);

}  // namespace pollscope::trace
