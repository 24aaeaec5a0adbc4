// Where the web page's bundled files are in its in-memory file system (the
// build packs them there: viz/web/CMakeLists.txt).
#pragma once

namespace pollscope::viz {

inline constexpr const char* kWebTraceDir = "/pollscope/traces";    // the golden traces
inline constexpr const char* kWebLessonDir = "/pollscope/lessons";  // docs/classroom/*.lesson.json
inline constexpr const char* kWebSansFont = "/pollscope/fonts/DejaVuSans.ttf";
inline constexpr const char* kWebMonoFont = "/pollscope/fonts/DejaVuSansMono.ttf";
inline constexpr const char* kWebCjkFont = "/pollscope/fonts/NotoSansCJKsc-subset.otf";
inline constexpr const char* kWebHome = "/home/student";  // files opened from disk; Save view writes here

}  // namespace pollscope::viz
