// Writing output files (traces, exports) so that nobody ever sees half of one:
// the bytes go to a temporary file in the same directory (so the same file
// system), and only a complete file is renamed over the destination. A run that is
// killed while writing leaves the previous file (or none) and a ".PATH.tmp-*"
// file, never a truncated trace under the real name. Lives in the bottom library
// so every layer that writes can use it.
#pragma once

#include <functional>
#include <ostream>
#include <string>

namespace pollscope::trace {

// Calls `write` on a stream to the temporary file; if it returns true and every
// byte reached the file, renames the file to `path`. Otherwise removes it and
// returns false with a one-line message.
bool writeFileAtomically(const std::string& path, const std::function<bool(std::ostream&)>& write, std::string* error);

// True if both paths name the same existing file (hard links and symlinks too):
// an output that is also an input would destroy the input.
bool sameFile(const std::string& a, const std::string& b);

}  // namespace pollscope::trace
