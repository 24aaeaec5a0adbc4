// Drawing the viewer into the window or into an off-screen framebuffer, and the
// pictures made from it: screenshots, presentation-size PNGs, frame sequences.
// Also the theme and the font atlas, which must change between frames.
//
// Sections: 0. the window  1. theme and fonts  2. frames  3. pictures
#define GL_GLEXT_PROTOTYPES  // framebuffer objects, exported by libGL (Mesa)
#include "app/render.hpp"
// After GLFW's gl.h, which defines the types glext.h uses.
#include <GL/glext.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <imgui_internal.h>  // FindWindowByName: does the frame have its menu bar
#include <stb_image_write.h>

#include <cstdio>
#include <filesystem>
#include <vector>

#include "analysis/explain.hpp"
#include "app/fonts.hpp"
#include "app/gif_writer.hpp"
#include "model/compare_run.hpp"
#include "model/lesson.hpp"
#include "trace/vocabulary.hpp"
#include "views/views.hpp"

namespace pollscope::viz {

namespace {
// The faces in ImGui's font atlas. The atlas belongs to the one ImGui context
// openViewerWindow makes, so its faces are kept beside it, not in the Viewer.
Fonts g_fonts;
}  // namespace

// ---- 0. the window -------------------------------------------------------------------------
GLFWwindow* openViewerWindow(int w, int h, const char* title, bool visible, bool installCallbacks) {
#ifdef __EMSCRIPTEN__
  // The web page (viz/web): WebGL 2, which is OpenGL ES 3.0.
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  const char* glsl = "#version 300 es";
#else
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
  const char* glsl = "#version 330 core";
#endif
  glfwWindowHint(GLFW_VISIBLE, visible ? GLFW_TRUE : GLFW_FALSE);
  GLFWwindow* window = glfwCreateWindow(w, h, title, nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "pollscope-gui: cannot create an OpenGL 3.3 window\n");
    return nullptr;
  }
  glfwMakeContextCurrent(window);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // never write imgui.ini into the working directory
  ImGui_ImplGlfw_InitForOpenGL(window, installCallbacks);
  ImGui_ImplOpenGL3_Init(glsl);
  return window;
}

void closeViewerWindow(GLFWwindow* window) {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  g_fonts = {};  // its faces went with the context's atlas
  glfwDestroyWindow(window);
  glfwTerminate();
}

bool saveScreenshot(const std::string& path, int w, int h) {
  std::vector<unsigned char> px(static_cast<size_t>(w) * static_cast<size_t>(h) * 4);
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
  stbi_flip_vertically_on_write(1);
  return stbi_write_png(path.c_str(), w, h, 4, px.data(), w * 4) != 0;
}

// ---- 1. theme and fonts ----------------------------------------------------------------
namespace {
// The classroom themes (model/theme_table.hpp): a high-contrast dark one and a
// light one for bright projectors.
void applyTheme(Theme theme) {
  ImGuiStyle& st = ImGui::GetStyle();
  if (theme == Theme::light) {
    ImGui::StyleColorsLight();
    st.Colors[ImGuiCol_WindowBg] = ImVec4(1, 1, 1, 1);
    st.Colors[ImGuiCol_Text] = ImVec4(0, 0, 0, 1);
    st.Colors[ImGuiCol_TextDisabled] = ImVec4(0.30f, 0.30f, 0.30f, 1);
  } else {
    ImGui::StyleColorsDark();
    st.Colors[ImGuiCol_WindowBg] = ImVec4(0.02f, 0.02f, 0.03f, 1);
    st.Colors[ImGuiCol_Text] = ImVec4(1, 1, 1, 1);
    st.Colors[ImGuiCol_TextDisabled] = ImVec4(0.70f, 0.70f, 0.74f, 1);
  }
  // Child windows stay transparent: under llvmpipe every opaque full-window layer
  // costs a millisecond or two of fill per frame.
  st.Colors[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
  st.FrameRounding = 3.f;
}

// Rebuilds the font atlas at the size the mode, zoom and screen's DPI ask for.
void rebuildFonts(Viewer& v, GLFWwindow* window) {
  float xs = 1.f, ys = 1.f;
  glfwGetWindowContentScale(window, &xs, &ys);
  float px = 15.f * v.fontScale() * std::max(1.f, ys) * (v.presenter() ? 1.6f : 1.f);
  auto texts = v.chineseTexts();
  g_fonts = buildFonts(px, texts);
  v.ttfFonts = g_fonts.ttf;
  v.cjkFonts = g_fonts.cjk;
  if (!g_fonts.note.empty() && v.fontNote.find(g_fonts.note) == std::string::npos) {
    v.fontNote += (v.fontNote.empty() ? "" : "; ") + g_fonts.note;
    v.status = g_fonts.note;
    std::fprintf(stderr, "pollscope-gui: %s\n", g_fonts.note.c_str());
  }
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  v.fontsDirty = false;
  if (v.chinese() && !g_fonts.cjk) {
    // Question marks teach nothing: say why, and narrate in English.
    v.setLanguage(analysis::Lang::en);
    v.status = (g_fonts.cjkMissing.empty() ? "no Chinese font found (install fonts-noto-cjk)" : g_fonts.cjkMissing) +
               ": narration shown in English";
    if (v.fontNote.find(v.status) == std::string::npos) v.fontNote += (v.fontNote.empty() ? "" : "; ") + v.status;
    std::fprintf(stderr, "pollscope-gui: %s\n", v.status.c_str());
  }
}

}  // namespace

// ---- 2. frames ---------------------------------------------------------------------------
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
  // Bottom row first, as GL reads it.
  std::vector<unsigned char> read() const {
    std::vector<unsigned char> px(static_cast<size_t>(w) * static_cast<size_t>(h) * 4);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    return px;
  }
  bool save(const std::string& path) const {
    auto px = read();
    stbi_flip_vertically_on_write(1);
    return stbi_write_png(path.c_str(), w, h, 4, px.data(), w * 4) != 0;
  }
  // Top row first, opaque (the frame's clear colour has no meaning in a GIF).
  std::vector<uint8_t> readTopDown() const {
    auto px = read();
    std::vector<uint8_t> out(px.size());
    size_t stride = static_cast<size_t>(w) * 4;
    for (int y = 0; y < h; ++y)
      std::copy_n(&px[static_cast<size_t>(h - 1 - y) * stride], stride, &out[static_cast<size_t>(y) * stride]);
    return out;
  }
};

// One frame of the viewer, into the window or into `target` at its size.
void renderFrame(Viewer& v, GLFWwindow* window, const Offscreen* target) {
  if (v.fontsDirty) rebuildFonts(v, window);
  if (v.themeDirty) {
    applyTheme(v.theme());
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
  drawViewer(v, ViewFonts{g_fonts.caption, g_fonts.mono}, static_cast<float>(fw), static_cast<float>(fh));
  ImGui::Render();
  glBindFramebuffer(GL_FRAMEBUFFER, target ? target->fbo : 0);
  glViewport(0, 0, fw, fh);
  ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

// ---- 3. pictures ------------------------------------------------------------------------
FrameFacts lastFrameFacts() {
  FrameFacts f;
  f.text = readDrawnText(ImGui::GetDrawData());
  const ImGuiWindow* w = ImGui::FindWindowByName("pollscope");
  f.menuBar = w && w->WasActive && (w->Flags & ImGuiWindowFlags_MenuBar);
  return f;
}

namespace {
// Renders a handout frame: the diagrams, the caption and the phase strip, no controls.
void renderHandout(Viewer& v, GLFWwindow* window, const Offscreen& off, int frames) {
  v.drawingHandout = true;
  for (int i = 0; i < frames; ++i) renderFrame(v, window, &off);
  v.drawingHandout = false;
}
}  // namespace

// Renders a few frames at `w`x`h` (layout settles) and writes the PNG.
bool savePicture(Viewer& v, GLFWwindow* window, int w, int h, const std::string& path) {
  Offscreen off(w, h);
  renderHandout(v, window, off, 3);
  return off.save(path);
}

// The frames of a GIF: a lesson's slides, or the run's steps in [from, to).
int writeGifFile(Viewer& v, GLFWwindow* window, int w, int h, const std::string& path, size_t from, size_t to,
                 int delayMs) {
  Offscreen off(w, h);
  std::vector<GifFrame> frames;
  int delayCs = std::max(2, delayMs / 10);
  auto grab = [&] {
    renderHandout(v, window, off, 2);
    frames.push_back({off.readTopDown(), delayCs});
  };
  if (v.lesson) {
    size_t keep = v.slide;
    for (size_t i = 0; i < v.lesson->slides.size(); ++i) {
      v.goToSlide(i);
      if (!v.errorMessage.empty()) break;
      grab();
    }
    v.goToSlide(keep);
  } else if (v.compare) {
    long keep = v.compare->offset;
    // Side by side: from the aligned event on, a frame whenever a pane takes a step.
    for (long k = 0; k <= v.compare->maxOffset(); ++k) {
      v.compare->seekOffset(k);
      bool moved = k == 0;
      for (const auto& p : v.compare->panes)
        if (const trace::Event* e = p.viewer->replay->current();
            e && p.viewer->replay->cursor() == p.anchor + static_cast<size_t>(k))
          moved = moved || e->kind == trace::Kind::sem || e->kind == trace::Kind::step;
      if (moved) grab();
    }
    v.compare->seekOffset(keep);
  } else if (v.trace) {
    size_t keep = v.replay->cursor();
    to = std::min(to, v.trace->events.size());
    // One frame per step, as --frames-dir: each rg/wg transition and each scenario step.
    for (size_t i = from; i < to; ++i) {
      auto k = v.trace->events[i].kind;
      if (k != trace::Kind::sem && k != trace::Kind::step) continue;
      v.seek(i + 1);
      grab();
    }
    v.seek(keep);
  }
  if (frames.size() < 2) {
    std::fprintf(stderr, "pollscope-gui: %zu frame(s) in that range: a GIF needs 2 or more\n", frames.size());
    return 1;
  }
  std::string err;
  if (!writeGif(path, w, h, frames, &err)) {
    std::fprintf(stderr, "pollscope-gui: %s\n", err.c_str());
    return 1;
  }
  std::fprintf(stderr, "pollscope-gui: wrote %s (%zu frames, %dx%d)\n", path.c_str(), frames.size(), w, h);
  std::fprintf(stderr, "gif frames: %zu\n", frames.size());
  return 0;
}

// An animated sequence for handouts: one PNG per step (each rg/wg transition and
// each scenario step) or per event, numbered, plus an index of what each shows.
int writeFrames(Viewer& v, GLFWwindow* window, int w, int h, const std::string& dir, bool everyEvent) {
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
    renderHandout(v, window, off, 2);
    char name[64];
    std::snprintf(name, sizeof name, "frame-%04d.png", ++n);
    if (!off.save(dir + "/" + name)) {
      std::fclose(index);
      std::fprintf(stderr, "pollscope-gui: cannot write %s/%s\n", dir.c_str(), name);
      return 1;
    }
    std::fprintf(index, "%s\tevent %zu\t%s\n", name, i + 1, analysis::narrate(*v.trace, e, v.lang(), true).c_str());
    if (n % 10 == 0) std::fprintf(stderr, "\rpollscope-gui: %d frames (event %zu of %zu)", n, i + 1, total);
  }
  std::fclose(index);
  std::fprintf(stderr, "\rpollscope-gui: wrote %d frames (%dx%d) and index.txt to %s\n", n, w, h, dir.c_str());
  return n > 0 ? 0 : 1;
}

int writeSlideShots(Viewer& v, GLFWwindow* window, const std::string& dir, const std::string& sizes) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  size_t pages = v.lesson->slides.size() + 1;  // the questions too
  int written = 0;
  for (size_t at = 0; at <= sizes.size();) {
    size_t comma = std::min(sizes.find(',', at), sizes.size());
    std::string size = sizes.substr(at, comma - at);
    at = comma + 1;
    int w = 0, h = 0;
    if (std::sscanf(size.c_str(), "%dx%d", &w, &h) != 2 || w < 200 || h < 200 || w > 8000 || h > 8000) {
      std::fprintf(stderr, "pollscope-gui: --slide-sizes: \"%s\" is not WxH\n", size.c_str());
      return 2;
    }
    Offscreen off(w, h);
    for (size_t i = 0; i < pages; ++i) {
      v.goToSlide(i);
      if (!v.errorMessage.empty()) {
        std::fprintf(stderr, "pollscope-gui: %s\n", v.errorMessage.c_str());
        return 1;
      }
      // Enough frames for the views to scroll to the slide's event and settle.
      for (int k = 0; k < 4; ++k) renderFrame(v, window, &off);
      char name[64];
      std::snprintf(name, sizeof name, "slide-%02zu-%dx%d.png", i + 1, w, h);
      if (!off.save(dir + "/" + name)) {
        std::fprintf(stderr, "pollscope-gui: cannot write %s/%s\n", dir.c_str(), name);
        return 1;
      }
      ++written;
      std::fprintf(stderr, "slide: %zu of %zu at %dx%d (%s)%s\n", i + 1, pages - 1, w, h, name,
                   i + 1 == pages ? " questions" : "");
      if (i + 1 == pages) continue;
      for (const auto& fact : drawnFactLines(v)) std::fprintf(stderr, "%s\n", fact.c_str());
      if (v.view == View::sequence) continue;
      // The sequence diagram at the same event too: every lifeline must fit there as well.
      v.requestView(View::sequence);
      for (int k = 0; k < 4; ++k) renderFrame(v, window, &off);
      std::snprintf(name, sizeof name, "slide-%02zu-%dx%d-sequence.png", i + 1, w, h);
      if (!off.save(dir + "/" + name)) return 1;
      ++written;
      std::fprintf(stderr, "slide: %zu of %zu at %dx%d (%s) also\n", i + 1, pages - 1, w, h, name);
      for (const auto& fact : drawnFactLines(v)) std::fprintf(stderr, "%s\n", fact.c_str());
    }
  }
  std::fprintf(stderr, "pollscope-gui: wrote %d slide pictures to %s\n", written, dir.c_str());
  return 0;
}

}  // namespace pollscope::viz
