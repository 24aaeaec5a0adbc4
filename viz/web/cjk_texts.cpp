// pollscope-cjk-texts: prints every Chinese text the viewer would draw for the
// given traces and lessons (Viewer::chineseTexts() in Chinese, plus the UI's
// words), one per line. make web subsets the page's Chinese font to exactly these
// characters. Built for the host (it reads the files as the page will).
//   pollscope-cjk-texts FILE.trace.json... FILE.lesson.json...
#include <cstdio>
#include <string>

#include "model/viewer.hpp"
#include "traceio/json.hpp"

using namespace pollscope;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: pollscope-cjk-texts FILE.trace.json... FILE.lesson.json...\n");
    return 2;
  }
  viz::Viewer v;
  v.setLanguage(analysis::Lang::zh);
  auto print = [&] {
    for (const auto& t : v.chineseTexts()) {
      std::string line = t;
      for (char& c : line)
        if (c == '\n') c = ' ';
      std::printf("%s\n", line.c_str());
    }
  };
  for (int i = 1; i < argc; ++i) {
    std::string file = argv[i], err;
    if (file.ends_with(".lesson.json")) {
      // The lesson's own words; its slides' traces are among the files given.
      auto l = std::make_unique<viz::Lesson>();
      if (!viz::loadLesson(file, l.get(), &err)) {
        std::fprintf(stderr, "pollscope-cjk-texts: %s\n", err.c_str());
        return 1;
      }
      v.lesson = std::move(l);
      print();
      v.lesson.reset();
      continue;
    }
    auto t = std::make_unique<traceio::TraceModel>();
    if (!traceio::readTraceFile(file, t.get(), &err)) {
      std::fprintf(stderr, "pollscope-cjk-texts: %s\n", err.c_str());
      return 1;
    }
    v.adopt(std::move(t), file);
    print();
  }
  return 0;
}
