// pollscope-gui: replay a trace, or run a scenario live, as sequence and state diagrams.
//   pollscope-gui [TRACE.json | SCENARIO.json] [--seek N] [--view NAME (model/view_table.hpp)]
//                 [--pd N --mode r|w] [--screenshot OUT.png [--size WxH] [--frames N]]
//                 [--export-view OUT.mmd|OUT.json] [--live-steps N] [--open FILE]
//                 [--compare A B [C] [--align RULE]] [--picture OUT.png] [--gif OUT.gif]
// Interactive, a scenario runs live (the engine stops after every event and the
// player lets it go on) and a trace loads in the background. With --screenshot a
// file is loaded at once, except with --open (the interactive path, dialogs and
// all) or --live-steps (a live run stepped N events).
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <stb_image_write.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "app/picture_facts.hpp"
#include "app/render.hpp"
#include "model/compare_run.hpp"
#include "model/drawn_facts.hpp"
#include "model/export_view.hpp"
#include "model/live_run.hpp"
#include "model/viewer.hpp"
#include "scenario/scenario.hpp"
#include "trace/vocabulary.hpp"

using namespace pollscope;

namespace {
void glfwError(int code, const char* msg) {
  std::fprintf(stderr, "pollscope-gui: GLFW error %d: %s\n", code, msg);
}

// Files dropped on the window, opened on the next frame.
std::vector<std::string> g_dropped;
void onDrop(GLFWwindow*, int count, const char** paths) {
  for (int i = 0; i < count; ++i) g_dropped.emplace_back(paths[i]);
}

std::string defaultScenarioDir() {
  std::error_code ec;
  if (const char* env = std::getenv("POLLSCOPE_SCENARIOS")) return env;
  if (std::filesystem::is_directory("scenarios", ec)) return std::filesystem::absolute("scenarios", ec).string();
  return POLLSCOPE_SOURCE_DIR "/scenarios";
}

std::string defaultLessonDir() {
  std::error_code ec;
  if (std::filesystem::is_directory("docs/classroom", ec))
    return std::filesystem::absolute("docs/classroom", ec).string();
  return POLLSCOPE_SOURCE_DIR "/docs/classroom";
}

bool parseSize(const std::string& s, int* w, int* h) {
  return std::sscanf(s.c_str(), "%dx%d", w, h) == 2 && *w >= 200 && *h >= 200 && *w <= 8000 && *h <= 8000;
}

// A table's column as the values a CLI option accepts.
template <class Row, size_t N>
std::vector<std::string> column(const Row (&rows)[N], const char* Row::*field) {
  std::vector<std::string> out;
  for (const auto& row : rows) out.emplace_back(row.*field);
  return out;
}

// "dark (high contrast) or light (projectors)"
std::string themesInWords() {
  std::string out;
  for (size_t i = 0; i < std::size(viz::kThemes); ++i) {
    if (i) out += i + 1 == std::size(viz::kThemes) ? " or " : ", ";
    out += std::string(viz::kThemes[i].code) + " (" + viz::kThemes[i].use + ")";
  }
  return out;
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pollscope-gui: step through Go's network poller as sequence and state diagrams"};
  std::string file, screenshot, size = "1400x900", view = viz::viewInfo(viz::View::sequence).name;
  long long seek = -1;
  int frames = 3;
  int64_t pd = 0;
  std::string mode = "r";
  std::string exportPath;
  long long liveSteps = -1;
  std::string openPath;
  std::string scenarioDir = defaultScenarioDir();
  std::string lessonDir = defaultLessonDir();
  bool presenter = false, code = false, answers = false;
  std::string lang = viz::kLanguages[0].code, theme = viz::kThemes[0].code, picture, pictureSize = "1920x1080",
              framesDir, framesEvery = "step";
  float fontScale = 1.f;
  int slide = 1;
  std::vector<std::string> compareFiles;
  std::string align = viz::kAlignRules[0].name, gif, gifRange, drawnText;
  int gifDelay = 1000;
  long compareOffset = 0;
  app.add_option("file", file, "A trace (.json from pollscope run) or a scenario to run");
  app.add_option("--screenshot", screenshot, "Render, save a PNG and exit");
  app.add_option("--seek", seek, "Start with this many events applied (-1: all)");
  app.add_option("--size", size, "Window size WxH");
  app.add_option("--view", view, viz::viewNamesInWords())
      ->check(CLI::IsMember(column(viz::kViews, &viz::ViewInfo::name)));
  app.add_option("--frames", frames, "Frames to render before the screenshot")->check(CLI::Range(1, 1000));
  app.add_option("--pd", pd, "Select this pollDesc (state view)");
  app.add_option("--mode", mode, "Select rg (r) or wg (w)")->check(CLI::IsMember({"r", "w"}));
  app.add_option("--export-view", exportPath,
                 "Export the chosen view at the cursor (as its Save/Copy buttons do) to this file, copy it to "
                 "the clipboard, and exit");
  app.add_option("--live-steps", liveSteps,
                 "Run the scenario live, stopped after every event, and let the engine take N steps (with "
                 "--screenshot: then take the picture)")
      ->check(CLI::Range(0LL, 100000LL));
  app.add_option("--open", openPath, "Open this file as File > Open does (background load, error dialog)");
  app.add_option("--scenarios", scenarioDir, "Where the scenario picker looks (default: ./scenarios)");
  app.add_option("--lessons", lessonDir, "Where the lesson menu looks (default: ./docs/classroom)");
  app.add_flag("--presenter", presenter, "Presenter mode: big fonts, caption, phase strip, no clutter (F5)");
  app.add_option("--lang", lang, "Narration language (L toggles)")
      ->check(CLI::IsMember(column(viz::kLanguages, &viz::LanguageInfo::code)));
  app.add_option("--theme", theme, themesInWords() + " (T toggles)")
      ->check(CLI::IsMember(column(viz::kThemes, &viz::ThemeInfo::code)));
  app.add_flag("--code", code, "Show the engine's C++ behind the current event (C toggles)");
  bool goTab = false;
  app.add_flag("--go", goTab, "Show the code panel on its Go tab: the scenario's Go program, the current line lit");
  app.add_option("--font-scale", fontScale, "Text size (Ctrl +/- change it)")->check(CLI::Range(0.5, 4.0));
  app.add_option("--slide", slide, "With a lesson: start at this slide (1 = first; one past the last: questions)")
      ->check(CLI::Range(1, 1000));
  app.add_flag("--answers", answers, "With a lesson: show the answers to the questions");
  std::string slideShots, slideSizes = "1280x720,1920x1080";
  app.add_option("--slide-shots", slideShots,
                 "With a lesson: render every slide (and the questions) at each --slide-sizes into this folder, print "
                 "what each shows, and exit");
  app.add_option("--slide-sizes", slideSizes, "Sizes for --slide-shots, comma-separated WxH");
  app.add_option("--picture", picture, "Save the view as a PNG at --picture-size (presentation resolution) and exit");
  app.add_option("--picture-size", pictureSize, "Size of --picture and --frames-dir pictures");
  app.add_option("--frames-dir", framesDir,
                 "Write one PNG per step of the run (an animated sequence for handouts) into this folder, and exit");
  app.add_option("--frames-every", framesEvery, "step: every rg/wg transition and scenario step; event: every event")
      ->check(CLI::IsMember({"step", "event"}));
  app.add_option("--compare", compareFiles,
                 "Open 2 or 3 traces or scenarios side by side, aligned on --align and stepped together")
      ->expected(2, 3);
  app.add_option("--align", align, "With --compare: the event the runs are aligned on: " + viz::alignRuleNamesInWords())
      ->check([](const std::string& s) {
        return viz::alignRuleNamed(s) ? std::string() : "must be " + viz::alignRuleNamesInWords();
      });
  app.add_option("--compare-offset", compareOffset, "With --compare: start this many events after the aligned event");
  app.add_option("--gif", gif,
                 "Write an animated GIF (the lesson's slides, the comparison, or the run's steps) at --picture-size, "
                 "and exit");
  app.add_option("--gif-range", gifRange, "With --gif on a trace: only events FROM-TO (1 = the first)");
  app.add_option("--gif-delay", gifDelay, "With --gif: milliseconds a frame")->check(CLI::Range(20, 60000));
  app.add_option("--drawn-text", drawnText,
                 "With --screenshot or --picture: write every line of text the picture shows to this file");
  std::string openMenu;
  app.add_option("--open-menu", openMenu, "With --screenshot: draw this menu open (a submenu opens its parents)")
      ->check(CLI::IsMember({"file", "file/run", "file/recent", "live", "view", "classroom", "classroom/lessons"}));
  CLI11_PARSE(app, argc, argv);

  int width = 1400, height = 900;
  if (std::sscanf(size.c_str(), "%dx%d", &width, &height) != 2 || width < 200 || height < 200 || width > 8000 ||
      height > 8000) {
    std::fprintf(stderr, "pollscope-gui: --size must be WxH between 200x200 and 8000x8000, got \"%s\"\n", size.c_str());
    return 2;
  }

  int picW = 1920, picH = 1080;
  if (!parseSize(pictureSize, &picW, &picH)) {
    std::fprintf(stderr, "pollscope-gui: --picture-size must be WxH between 200x200 and 8000x8000\n");
    return 2;
  }
  viz::Viewer v;
  std::string printedWarning;  // the last slide warning said on stderr
  v.scenarioDir = scenarioDir;
  v.lessonDir = lessonDir;
  v.setPresenter(presenter);
  v.setLanguage(*viz::languageCoded(lang));  // CLI11 checked it
  v.setTheme(*viz::themeCoded(theme));
  v.setShowCode(code || goTab);
  v.setShowGo(goTab);
  v.setFontScale(fontScale);
  v.setShowAnswers(answers);
  v.openMenu = openMenu;
  bool automated = !screenshot.empty() || !exportPath.empty() || !picture.empty() || !framesDir.empty() ||
                   !slideShots.empty() || !gif.empty();
  size_t gifFrom = 0, gifTo = SIZE_MAX;
  if (!gifRange.empty()) {
    unsigned long long a = 0, b = 0;
    if (std::sscanf(gifRange.c_str(), "%llu-%llu", &a, &b) != 2 || a < 1 || b < a) {
      std::fprintf(stderr, "pollscope-gui: --gif-range must be FROM-TO with 1 <= FROM <= TO, got \"%s\"\n",
                   gifRange.c_str());
      return 2;
    }
    gifFrom = a - 1;
    gifTo = b;
  }
  if (automated && !exportPath.empty() && file.empty()) {
    std::fprintf(stderr, "pollscope-gui: --export-view needs a file to open\n");
    return 2;
  }
  int64_t liveStallMs = 0;  // --live-steps: the scenario's watchdog time, for a run that blocks
  if (!file.empty() && liveSteps >= 0) {
    // A live run, single-stepped as a user would with the right arrow.
    scenario::Scenario s;
    std::string err;
    if (!scenario::loadScenarioFile(file, &s, &err)) {
      std::fprintf(stderr, "pollscope-gui: %s\n", err.c_str());
      return 1;
    }
    liveStallMs = s.timeoutMs;
    v.startLive(std::move(s));
    v.playing = false;
  } else if (!file.empty() && automated) {
    std::string err;
    if (!v.loadNow(file, &err)) {
      std::fprintf(stderr, "pollscope-gui: %s\n", err.c_str());
      return 1;
    }
  } else if (!file.empty()) {
    v.open(file);  // a trace loads in the background; a scenario runs live
  }
  if (!openPath.empty()) v.open(openPath);
  if (!compareFiles.empty()) {
    std::string err;
    if (!viz::openComparison(v, compareFiles, align, &err)) {
      std::fprintf(stderr, "pollscope-gui: %s\n", err.c_str());
      return 1;
    }
    v.compare->seekOffset(compareOffset);
  }
  if (v.lesson) {
    // Slides count from 1; one past the last is the questions page. Anything else is a
    // typo the teacher should hear about, not a silent jump to the questions.
    size_t questionsPage = v.lesson->slides.size() + 1;
    if (slide < 1 || static_cast<size_t>(slide) > questionsPage) {
      std::fprintf(stderr, "pollscope-gui: --slide %d: the lesson has %zu slides (1-%zu; %zu = its questions)\n", slide,
                   v.lesson->slides.size(), v.lesson->slides.size(), questionsPage);
      return 2;
    }
    if (slide > 1) v.goToSlide(static_cast<size_t>(slide - 1));
    if (!v.errorMessage.empty() && automated) {
      std::fprintf(stderr, "pollscope-gui: %s\n", v.errorMessage.c_str());
      return 1;
    }
    if (!v.slideWarning.empty()) {
      std::fprintf(stderr, "pollscope-gui: warning: %s\n", v.slideWarning.c_str());
      printedWarning = v.slideWarning;
      if (automated) return 1;  // a picture of the wrong moment is not what was asked for
    }
  } else if (v.replay && liveSteps < 0) {
    v.replay->seek(seek < 0 ? v.replay->size() : static_cast<size_t>(seek));
  }
  if (pd) v.selection.pd = pd;
  if (app.count("--mode")) v.selection.mode = mode[0];
  if (app.count("--view") || (!v.lesson && !v.compare)) v.requestView(*viz::viewNamed(view));  // CLI11 checked it
  if (v.compare && !app.count("--view")) v.requestView(viz::View::state);  // side by side: the state machines

  glfwSetErrorCallback(glfwError);
  if (!glfwInit()) {
    std::fprintf(stderr, "pollscope-gui: no display (is DISPLAY set? under CI use xvfb-run)\n");
    return 3;
  }
  GLFWwindow* window = viz::openViewerWindow(width, height, "pollscope", !automated, true);
  if (!window) {
    glfwTerminate();
    return 3;
  }
  glfwSwapInterval(screenshot.empty() ? 1 : 0);
  glfwSetDropCallback(window, onDrop);

  // In screenshot mode the selected view's tab must be the one shown.
  if (automated) ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NoMouse;
  int windowedX = 0, windowedY = 0, windowedW = width, windowedH = height;
  int rc = 0;
  double last = glfwGetTime();
  size_t liveSeen = 0;
  double liveProgressAt = last;
  for (int frame = 0; !glfwWindowShouldClose(window); ++frame) {
    glfwPollEvents();
    if (!v.slideWarning.empty() && v.slideWarning != printedWarning) {  // a slide chosen in the window
      std::fprintf(stderr, "pollscope-gui: warning: %s\n", v.slideWarning.c_str());
      printedWarning = v.slideWarning;
    }
    double now = glfwGetTime();
    for (const auto& f : g_dropped) v.open(f);
    g_dropped.clear();
    v.update(now - last);
    last = now;
    // --live-steps: release the engine one event at a time, as the right arrow does.
    bool settling = false;
    if (liveSteps >= 0 && v.live && v.trace) {
      // A scenario that blocks forever records nothing more: after its watchdog time
      // without a new event, stop waiting and say so (it used to render forever).
      if (v.trace->events.size() != liveSeen) {
        liveSeen = v.trace->events.size();
        liveProgressAt = now;
      } else if ((now - liveProgressAt) * 1000 > static_cast<double>(liveStallMs)) {
        v.errorMessage = "the live run made no progress for " + std::to_string(liveStallMs) + " ms after " +
                         std::to_string(liveSeen) + " events (settings.timeout_ms): the scenario blocks";
        liveSteps = -1;
      }
    }
    if (liveSteps >= 0 && v.live && v.trace) {
      if (static_cast<long long>(v.trace->events.size()) < liveSteps + 1) {
        // Only once the viewer holds every event recorded so far, so each step shows one.
        // (A run opens paused on event 0: the first step shows the event already recorded.)
        if (v.live->gate().waiting() > 0 && v.trace->events.size() == v.live->recorded()) v.stepForward();
        settling = true;
      }
    }
    if (automated && v.loader) settling = true;  // --open: wait for the background load
    if (v.fullscreenToggle) {
      // F11: the whole monitor, or back to the window it was.
      v.fullscreenToggle = false;
      if (glfwGetWindowMonitor(window)) {
        glfwSetWindowMonitor(window, nullptr, windowedX, windowedY, windowedW, windowedH, 0);
      } else if (GLFWmonitor* mon = glfwGetPrimaryMonitor()) {
        glfwGetWindowPos(window, &windowedX, &windowedY);
        glfwGetWindowSize(window, &windowedW, &windowedH);
        const GLFWvidmode* mode = glfwGetVideoMode(mon);
        glfwSetWindowMonitor(window, mon, 0, 0, mode->width, mode->height, mode->refreshRate);
      }
    }
    if (v.pngRequest) {
      // Classroom > Save picture: the view at presentation resolution.
      std::string out = v.pngRequest->empty()
                            ? "pollscope-" + (v.trace ? v.trace->meta.scenario : std::string("view")) + "-" +
                                  std::to_string(v.replay ? v.replay->cursor() : 0) + ".png"
                            : *v.pngRequest;
      v.pngRequest.reset();
      v.status = viz::savePicture(v, window, picW, picH, out) ? "saved " + out + " (" + pictureSize + ")"
                                                              : "cannot write " + out;
    }
    if (v.gifRequest) {
      // Classroom > Save animated GIF: the lesson's slides, the comparison, or the run's steps.
      std::string out = v.gifRequest->empty()
                            ? "pollscope-" + (v.trace ? v.trace->meta.scenario : std::string("compare")) + ".gif"
                            : *v.gifRequest;
      v.gifRequest.reset();
      v.status = viz::writeGifFile(v, window, picW, picH, out, 0, SIZE_MAX, gifDelay) == 0 ? "saved " + out
                                                                                           : "cannot write " + out;
    }
    viz::renderFrame(v, window, nullptr);
    int fw, fh;
    glfwGetFramebufferSize(window, &fw, &fh);
    if (settling && frame < 20000) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    if (!exportPath.empty() && frame + 1 >= frames && v.trace) {
      auto x = viz::exportCurrentView(v);
      std::string err;
      auto files = viz::saveExport(x, exportPath, &err);
      if (files.empty()) {
        std::fprintf(stderr, "pollscope-gui: %s\n", err.c_str());
        rc = 1;
        break;
      }
      glfwSetClipboardString(window, x.parts.front().c_str());
      const char* back = glfwGetClipboardString(window);
      bool same = back && x.parts.front() == back;
      std::fprintf(stderr, "pollscope-gui: exported the %s to %s (%zu file(s)); clipboard %s\n", x.describe.c_str(),
                   files.front().c_str(), files.size(), same ? "holds it" : "does NOT hold it");
      rc = same ? 0 : 1;
      break;
    }
    if (!picture.empty() && frame + 1 >= frames) {
      rc = viz::savePicture(v, window, picW, picH, picture) ? 0 : 1;
      std::fprintf(stderr, rc ? "pollscope-gui: cannot write %s\n" : "pollscope-gui: wrote %s (%dx%d)\n",
                   picture.c_str(), picW, picH);
      if (!rc) viz::printPictureFacts(v, viz::lastFrameFacts(), drawnText);
      break;
    }
    if (!slideShots.empty() && frame + 1 >= frames) {
      if (!v.lesson) {
        std::fprintf(stderr, "pollscope-gui: --slide-shots needs a lesson\n");
        rc = 2;
        break;
      }
      rc = viz::writeSlideShots(v, window, slideShots, slideSizes);
      break;
    }
    if (!gif.empty() && frame + 1 >= frames) {
      rc = viz::writeGifFile(v, window, picW, picH, gif, gifFrom, gifTo, gifDelay);
      break;
    }
    if (!framesDir.empty() && frame + 1 >= frames && v.trace) {
      rc = viz::writeFrames(v, window, picW, picH, framesDir, framesEvery == "event");
      break;
    }
    if (!screenshot.empty() && frame + 1 >= frames) {
      if (!viz::saveScreenshot(screenshot, fw, fh)) {
        std::fprintf(stderr, "pollscope-gui: cannot write %s\n", screenshot.c_str());
        rc = 1;
      } else {
        std::fprintf(stderr, "pollscope-gui: wrote %s (%dx%d)\n", screenshot.c_str(), fw, fh);
        // What the picture shows, for tests and for people reading the log.
        viz::printPictureFacts(v, viz::lastFrameFacts(), drawnText);
      }
      break;
    }
    glfwSwapBuffers(window);
  }
  viz::closeViewerWindow(window);
  return rc;
}
