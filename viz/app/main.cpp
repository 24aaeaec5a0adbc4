// pollscope-gui: replay a trace, or run a scenario live, as sequence and state diagrams.
//   pollscope-gui [TRACE.json | SCENARIO.json] [--seek N] [--view sequence|state|timeline|table]
//                 [--pd N --mode r|w] [--screenshot OUT.png [--size WxH] [--frames N]]
//                 [--export-view OUT.mmd|OUT.json] [--live-steps N] [--open FILE]
// Interactive, a scenario runs live (the engine stops after every event and the
// player lets it go on) and a trace loads in the background. With --screenshot a
// file is loaded at once, except with --open (the interactive path, dialogs and
// all) or --live-steps (a live run stepped N events).
#define GL_GLEXT_PROTOTYPES  // framebuffer objects, exported by libGL (Mesa)
#include <GLFW/glfw3.h>
// After GLFW's gl.h, which defines the types glext.h uses.
#include <GL/glext.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <stb_image_write.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "app/export_view.hpp"
#include "app/viewer.hpp"
#include "trace/vocabulary.hpp"

using namespace pollscope;

namespace {
bool saveScreenshot(const std::string& path, int w, int h) {
  std::vector<unsigned char> px(static_cast<size_t>(w) * static_cast<size_t>(h) * 4);
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
  stbi_flip_vertically_on_write(1);
  return stbi_write_png(path.c_str(), w, h, 4, px.data(), w * 4) != 0;
}

void glfwError(int code, const char* msg) {
  std::fprintf(stderr, "pollscope-gui: GLFW error %d: %s\n", code, msg);
}

// Files dropped on the window, opened on the next frame.
std::vector<std::string> g_dropped;
void onDrop(GLFWwindow*, int count, const char** paths) {
  for (int i = 0; i < count; ++i) g_dropped.emplace_back(paths[i]);
}

// The classroom themes: a high-contrast dark one and a light one for bright projectors.
void applyTheme(bool light) {
  ImGuiStyle& st = ImGui::GetStyle();
  if (light) {
    ImGui::StyleColorsLight();
    st.Colors[ImGuiCol_WindowBg] = ImVec4(1, 1, 1, 1);
    st.Colors[ImGuiCol_ChildBg] = ImVec4(0.97f, 0.97f, 0.97f, 1);
    st.Colors[ImGuiCol_Text] = ImVec4(0, 0, 0, 1);
    st.Colors[ImGuiCol_TextDisabled] = ImVec4(0.30f, 0.30f, 0.30f, 1);
  } else {
    ImGui::StyleColorsDark();
    st.Colors[ImGuiCol_WindowBg] = ImVec4(0.02f, 0.02f, 0.03f, 1);
    st.Colors[ImGuiCol_ChildBg] = ImVec4(0.05f, 0.05f, 0.07f, 1);
    st.Colors[ImGuiCol_Text] = ImVec4(1, 1, 1, 1);
    st.Colors[ImGuiCol_TextDisabled] = ImVec4(0.70f, 0.70f, 0.74f, 1);
  }
  st.FrameRounding = 3.f;
}

// Rebuilds the font atlas at the size the mode, zoom and screen's DPI ask for.
void rebuildFonts(viz::Viewer& v, GLFWwindow* window) {
  float xs = 1.f, ys = 1.f;
  glfwGetWindowContentScale(window, &xs, &ys);
  float px = 15.f * v.fontScale * std::max(1.f, ys) * (v.presenter ? 1.6f : 1.f);
  auto texts = v.chineseTexts();
  v.fonts = viz::buildFonts(px, texts);
  v.cjkFonts = v.fonts.cjk;
  if (!v.fonts.note.empty() && v.fontNote != v.fonts.note) {
    v.fontNote = v.fonts.note;
    v.status = v.fonts.note;
    std::fprintf(stderr, "pollscope-gui: %s\n", v.fonts.note.c_str());
  }
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  v.fontsDirty = false;
}

// A framebuffer of its own size, for pictures at presentation resolution.
struct Offscreen {
  GLuint fbo = 0, tex = 0;
  int w = 0, h = 0;
  Offscreen(int width, int height) : w(width), h(height) {
    glGenTextures(1, &tex);
    glBindTexture(GL_TEXTURE_2D, tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glGenFramebuffers(1, &fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, tex, 0);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
  }
  ~Offscreen() {
    glDeleteFramebuffers(1, &fbo);
    glDeleteTextures(1, &tex);
  }
  bool save(const std::string& path) const {
    std::vector<unsigned char> px(static_cast<size_t>(w) * static_cast<size_t>(h) * 4);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    stbi_flip_vertically_on_write(1);
    return stbi_write_png(path.c_str(), w, h, 4, px.data(), w * 4) != 0;
  }
};

// One frame of the viewer, into the window or into `target` at its size.
void renderFrame(viz::Viewer& v, GLFWwindow* window, const Offscreen* target) {
  if (v.fontsDirty) rebuildFonts(v, window);
  if (v.themeDirty) {
    applyTheme(v.lightTheme);
    v.themeDirty = false;
  }
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  int fw, fh;
  glfwGetFramebufferSize(window, &fw, &fh);
  if (target) {
    ImGui::GetIO().DisplaySize = ImVec2(static_cast<float>(target->w), static_cast<float>(target->h));
    ImGui::GetIO().DisplayFramebufferScale = ImVec2(1, 1);
    fw = target->w;
    fh = target->h;
  }
  ImGui::NewFrame();
  viz::drawViewer(v, static_cast<float>(fw), static_cast<float>(fh));
  ImGui::Render();
  glBindFramebuffer(GL_FRAMEBUFFER, target ? target->fbo : 0);
  glViewport(0, 0, fw, fh);
  ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

// Renders a few frames at `w`x`h` (layout settles) and writes the PNG.
bool savePicture(viz::Viewer& v, GLFWwindow* window, int w, int h, const std::string& path) {
  Offscreen off(w, h);
  for (int i = 0; i < 3; ++i) renderFrame(v, window, &off);
  return off.save(path);
}

// An animated sequence for handouts: one PNG per step (each rg/wg transition and
// each scenario step) or per event, numbered, plus an index of what each shows.
int writeFrames(viz::Viewer& v, GLFWwindow* window, int w, int h, const std::string& dir, bool everyEvent) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::FILE* index = std::fopen((dir + "/index.txt").c_str(), "w");
  if (!index) {
    std::fprintf(stderr, "pollscope-gui: cannot write into %s\n", dir.c_str());
    return 1;
  }
  Offscreen off(w, h);
  int n = 0;
  size_t total = v.trace->events.size();
  for (size_t i = 0; i < total; ++i) {
    const auto& e = v.trace->events[i];
    if (!everyEvent && e.kind != trace::Kind::sem && e.kind != trace::Kind::step) continue;
    v.seek(i + 1);
    for (int k = 0; k < 2; ++k) renderFrame(v, window, &off);
    char name[64];
    std::snprintf(name, sizeof name, "frame-%04d.png", ++n);
    if (!off.save(dir + "/" + name)) {
      std::fclose(index);
      std::fprintf(stderr, "pollscope-gui: cannot write %s/%s\n", dir.c_str(), name);
      return 1;
    }
    std::fprintf(index, "%s\tevent %zu\t%s\n", name, i + 1, analysis::narrate(*v.trace, e, v.lang, true).c_str());
    if (n % 10 == 0) std::fprintf(stderr, "\rpollscope-gui: %d frames (event %zu of %zu)", n, i + 1, total);
  }
  std::fclose(index);
  std::fprintf(stderr, "\rpollscope-gui: wrote %d frames (%dx%d) and index.txt to %s\n", n, w, h, dir.c_str());
  return n > 0 ? 0 : 1;
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
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pollscope-gui: step through Go's network poller as sequence and state diagrams"};
  std::string file, screenshot, size = "1400x900", view = "sequence";
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
  std::string lang = "en", theme = "dark", picture, pictureSize = "1920x1080", framesDir, framesEvery = "step";
  float fontScale = 1.f;
  int slide = 1;
  app.add_option("file", file, "A trace (.json from pollscope run) or a scenario to run");
  app.add_option("--screenshot", screenshot, "Render, save a PNG and exit");
  app.add_option("--seek", seek, "Start with this many events applied (-1: all)");
  app.add_option("--size", size, "Window size WxH");
  app.add_option("--view", view, "sequence, state, timeline or table")
      ->check(CLI::IsMember({"sequence", "state", "timeline", "table"}));
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
  app.add_option("--lang", lang, "Narration language (L toggles)")->check(CLI::IsMember({"en", "zh"}));
  app.add_option("--theme", theme, "dark (high contrast) or light (projectors) (T toggles)")
      ->check(CLI::IsMember({"dark", "light"}));
  app.add_flag("--code", code, "Show the engine's C++ behind the current event (C toggles)");
  app.add_option("--font-scale", fontScale, "Text size (Ctrl +/- change it)")->check(CLI::Range(0.5, 4.0));
  app.add_option("--slide", slide, "With a lesson: start at this slide (1 = first; one past the last: questions)")
      ->check(CLI::Range(1, 1000));
  app.add_flag("--answers", answers, "With a lesson: show the answers to the questions");
  app.add_option("--picture", picture, "Save the view as a PNG at --picture-size (presentation resolution) and exit");
  app.add_option("--picture-size", pictureSize, "Size of --picture and --frames-dir pictures");
  app.add_option("--frames-dir", framesDir,
                 "Write one PNG per step of the run (an animated sequence for handouts) into this folder, and exit");
  app.add_option("--frames-every", framesEvery, "step: every rg/wg transition and scenario step; event: every event")
      ->check(CLI::IsMember({"step", "event"}));
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
  v.scenarioDir = scenarioDir;
  v.lessonDir = lessonDir;
  v.presenter = presenter;
  v.lang = lang == "zh" ? analysis::Lang::zh : analysis::Lang::en;
  v.lightTheme = theme == "light";
  v.showCode = code;
  v.fontScale = fontScale;
  v.showAnswers = answers;
  bool automated = !screenshot.empty() || !exportPath.empty() || !picture.empty() || !framesDir.empty();
  if (automated && !exportPath.empty() && file.empty()) {
    std::fprintf(stderr, "pollscope-gui: --export-view needs a file to open\n");
    return 2;
  }
  if (!file.empty() && liveSteps >= 0) {
    // A live run, single-stepped as a user would with the right arrow.
    scenario::Scenario s;
    std::string err;
    if (!scenario::loadScenarioFile(file, &s, &err)) {
      std::fprintf(stderr, "pollscope-gui: %s\n", err.c_str());
      return 1;
    }
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
  if (v.lesson) {
    if (slide > 1) v.goToSlide(static_cast<size_t>(slide - 1));
    if (!v.errorMessage.empty() && automated) {
      std::fprintf(stderr, "pollscope-gui: %s\n", v.errorMessage.c_str());
      return 1;
    }
  } else if (v.replay && liveSteps < 0) {
    v.replay->seek(seek < 0 ? v.replay->size() : static_cast<size_t>(seek));
  }
  if (pd) v.selection.pd = pd;
  if (app.count("--mode")) v.selection.mode = mode[0];
  if (app.count("--view") || !v.lesson)
    v.requestedView = view == "state"      ? viz::View::state
                      : view == "table"    ? viz::View::table
                      : view == "timeline" ? viz::View::timeline
                                           : viz::View::sequence;

  glfwSetErrorCallback(glfwError);
  if (!glfwInit()) {
    std::fprintf(stderr, "pollscope-gui: no display (is DISPLAY set? under CI use xvfb-run)\n");
    return 3;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
  if (!screenshot.empty() || !exportPath.empty()) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  GLFWwindow* window = glfwCreateWindow(width, height, "pollscope", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "pollscope-gui: cannot create an OpenGL 3.3 window\n");
    glfwTerminate();
    return 3;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(screenshot.empty() ? 1 : 0);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // never write imgui.ini into the working directory
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  glfwSetDropCallback(window, onDrop);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  // In screenshot mode the selected view's tab must be the one shown.
  if (automated) ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NoMouse;
  int windowedX = 0, windowedY = 0, windowedW = width, windowedH = height;
  int rc = 0;
  double last = glfwGetTime();
  for (int frame = 0; !glfwWindowShouldClose(window); ++frame) {
    glfwPollEvents();
    double now = glfwGetTime();
    for (const auto& f : g_dropped) v.open(f);
    g_dropped.clear();
    v.update(now - last);
    last = now;
    // --live-steps: release the engine one event at a time, as the right arrow does.
    bool settling = false;
    if (liveSteps >= 0 && v.live && v.trace) {
      if (static_cast<long long>(v.trace->events.size()) < liveSteps + 1) {
        // Only once the viewer holds every event recorded so far, so each step shows one.
        if (v.live->gate().waiting() > 0 && v.replay->cursor() == v.replay->size() &&
            v.trace->events.size() == v.live->recorded())
          v.stepForward();
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
      v.status =
          savePicture(v, window, picW, picH, out) ? "saved " + out + " (" + pictureSize + ")" : "cannot write " + out;
    }
    renderFrame(v, window, nullptr);
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
      rc = savePicture(v, window, picW, picH, picture) ? 0 : 1;
      std::fprintf(stderr, rc ? "pollscope-gui: cannot write %s\n" : "pollscope-gui: wrote %s (%dx%d)\n",
                   picture.c_str(), picW, picH);
      break;
    }
    if (!framesDir.empty() && frame + 1 >= frames && v.trace) {
      rc = writeFrames(v, window, picW, picH, framesDir, framesEvery == "event");
      break;
    }
    if (!screenshot.empty() && frame + 1 >= frames) {
      if (!saveScreenshot(screenshot, fw, fh)) {
        std::fprintf(stderr, "pollscope-gui: cannot write %s\n", screenshot.c_str());
        rc = 1;
      } else {
        std::fprintf(stderr, "pollscope-gui: wrote %s (%dx%d)\n", screenshot.c_str(), fw, fh);
        // What the picture shows, for tests and for people reading the log.
        if (v.trace)
          std::fprintf(stderr, "pollscope-gui: showing %zu events, cursor at %zu%s\n", v.trace->events.size(),
                       v.replay->cursor(),
                       v.live ? (v.live->gate().waiting() ? "; live, engine stopped at an event" : "; live") : "");
        if (!v.errorMessage.empty()) std::fprintf(stderr, "pollscope-gui: error dialog: %s\n", v.errorMessage.c_str());
        if (v.lesson)
          std::fprintf(stderr, "pollscope-gui: lesson slide %zu of %zu\n", v.slide + 1, v.lesson->slides.size());
        std::fprintf(stderr, "pollscope-gui: fonts: %s%s%s\n", v.fonts.ttf ? "TTF" : "built-in",
                     v.fonts.cjk ? " + Chinese" : "", v.presenter ? ", presenter mode" : "");
      }
      break;
    }
    glfwSwapBuffers(window);
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return rc;
}
