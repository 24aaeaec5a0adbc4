// What a file says it is: scenario and lesson files name their format in their
// first bytes ("format": "pollscope-scenario"), so the viewer can tell them from
// traces before reading them whole.
#pragma once

#include <string>

namespace pollscope::viz {

// True when the first 512 bytes of the regular file `path` contain `format`. Only
// regular files are sniffed: reading a FIFO here would block the window (the loader
// that opens the file next reports what it really is).
bool fileSays(const std::string& path, const char* format);

inline bool isLessonFile(const std::string& path) {
  return fileSays(path, "pollscope-lesson");
}
inline bool isScenarioFile(const std::string& path) {
  return fileSays(path, "pollscope-scenario");
}

}  // namespace pollscope::viz
