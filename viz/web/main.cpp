// pollscope's web page: the desktop viewer's model, views and renderer
// (viz/model, viz/views, viz/app/render.cpp) compiled to WebAssembly and driven
// by the browser's animation frames instead of a loop. It replays traces and
// lessons; the engine is not compiled in (see viewer_web.cpp). The page's
// JavaScript (index.html) handles what only a browser can: URL parameters,
// dropped and picked files, fetching a trace by URL. It calls the pollscope_*
// functions below, which are also what the browser tests read the state through.
//
// Sections: 1. the browser's side (EM_JS)  2. files in and out  3. the frame
//           4. functions the page calls
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <vector>

#include "app/render.hpp"
#include "model/viewer.hpp"
#include "web/glfw_compat.hpp"
#include "web/web_paths.hpp"

using namespace pollscope;
namespace fs = std::filesystem;

// ---- 1. the browser's side ------------------------------------------------------------------
// clang-format off
EM_JS(int, js_inner_width, (), { return window.innerWidth | 0; });
EM_JS(int, js_inner_height, (), { return window.innerHeight | 0; });
EM_JS(void, js_offer_download, (const char* path, const char* name), {
  const data = FS.readFile(UTF8ToString(path));
  const n = UTF8ToString(name);
  const type = n.endsWith(".png") ? "image/png" : n.endsWith(".json") ? "application/json" : "text/plain";
  const url = URL.createObjectURL(new Blob([data], {type: type}));
  const a = document.createElement("a");
  a.href = url; a.download = n; document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  (Module.downloads = Module.downloads || []).push({name: n, bytes: data.length,
      text: type === "image/png" ? null : new TextDecoder().decode(data)});
});
EM_JS(void, js_pick_file, (), { if (Module.pickFile) Module.pickFile(); });
EM_JS(void, js_toggle_fullscreen, (), {
  if (document.fullscreenElement) document.exitFullscreen(); else document.documentElement.requestFullscreen();
});
EM_JS(void, js_copy_text, (const char* text), {
  const s = UTF8ToString(text);
  Module.clipboard = s;
  if (navigator.clipboard) navigator.clipboard.writeText(s).catch(() => {});
});
// clang-format on

// Declared in glfw_compat.hpp (Emscripten 3.1.6 has GLFW 3.2); app/render.cpp asks it for the screen's DPI.
// The page draws in CSS pixels, so fonts are sized for a scale of 1.
extern "C" void glfwGetWindowContentScale(GLFWwindow*, float* xs, float* ys) {
  if (xs) *xs = 1.f;
  if (ys) *ys = 1.f;
}

namespace {
viz::Viewer* g_viewer = nullptr;
GLFWwindow* g_window = nullptr;
double g_last = 0;
int g_frame = 0;

// Frame times for the performance figures (pollscope_frame_times): with
// g_measure, each frame ends by reading one pixel back, so it includes the
// GPU's (swiftshader's) work, not only the recording of commands.
bool g_measure = false;
std::vector<float> g_frameMs;
double g_lastLoadMs = 0;  // the last trace or lesson opened, from the call to the document in hand

// ---- 2. files in and out --------------------------------------------------------------------
// Files in kWebHome: those the student opened (not offered back), and those the
// viewer wrote there (Save view, Save picture), offered as downloads.
std::map<std::string, fs::file_time_type> g_homeFiles;

void noteHomeFile(const std::string& name) {
  std::error_code ec;
  g_homeFiles[name] = fs::last_write_time(fs::path(viz::kWebHome) / name, ec);
}

void offerNewHomeFiles() {
  std::error_code ec;
  for (const auto& de : fs::directory_iterator(viz::kWebHome, ec)) {
    if (!de.is_regular_file(ec)) continue;
    std::string name = de.path().filename().string();
    auto t = de.last_write_time(ec);
    auto it = g_homeFiles.find(name);
    if (it != g_homeFiles.end() && it->second == t) continue;
    g_homeFiles[name] = t;
    js_offer_download(de.path().c_str(), name.c_str());
  }
}

void setClipboard(void*, const char* text) {
  js_copy_text(text);
}

const char* getClipboard(void*) {
  return "";
}

// ---- 3. the frame ---------------------------------------------------------------------------
void frame() {
  viz::Viewer& v = *g_viewer;
  double start = emscripten_get_now();
  int w = std::max(js_inner_width(), 320), h = std::max(js_inner_height(), 240);
  int cw = 0, ch = 0;
  glfwGetWindowSize(g_window, &cw, &ch);
  if (cw != w || ch != h) glfwSetWindowSize(g_window, w, h);
  glfwPollEvents();
  double now = glfwGetTime();
  v.update(now - g_last);
  g_last = now;
  // File > Open and Ctrl+O: the browser's file picker (index.html), not a dialog of
  // the page's own in-memory file system.
  if (v.takeOpenDialogRequest()) js_pick_file();
  if (v.fullscreenToggle) {
    v.fullscreenToggle = false;
    js_toggle_fullscreen();
  }
  if (v.pngRequest) {
    // Classroom > Save picture: the view at 1920x1080, offered as a download.
    std::string name = v.pngRequest->empty() ? "pollscope-" + (v.trace ? v.trace->meta.scenario : std::string("view")) +
                                                   "-" + std::to_string(v.replay ? v.replay->cursor() : 0) + ".png"
                                             : fs::path(*v.pngRequest).filename().string();
    v.pngRequest.reset();
    std::string out = std::string(viz::kWebHome) + "/" + name;
    v.status =
        viz::savePicture(v, g_window, 1920, 1080, out) ? "saved " + name + " (1920x1080)" : "cannot write " + name;
  }
  viz::renderFrame(v, g_window, nullptr);
  if (++g_frame % 10 == 0) offerNewHomeFiles();
  if (g_measure) {
    unsigned char px[4];
    glReadPixels(0, 0, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, px);
    g_frameMs.push_back(static_cast<float>(emscripten_get_now() - start));
  }
}

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// As the desktop's --slide check: one past the last slide is the questions page.
bool slideInRange(const viz::Viewer& v, int slide) {
  size_t questionsPage = v.lesson->slides.size() + 1;
  return slide >= 1 && static_cast<size_t>(slide) <= questionsPage;
}
}  // namespace

// ---- 4. functions the page calls ----------------------------------------------------------------
extern "C" {

// A file the student dropped or picked (index.html wrote it into kWebHome): opened as
// File > Open does on the desktop, errors in the same dialog with the same line.
EMSCRIPTEN_KEEPALIVE void pollscope_open(const char* name) {
  noteHomeFile(name);
  double t0 = emscripten_get_now();
  g_viewer->open(name);
  g_viewer->update(0);  // the loader ran on this thread: take its document now
  g_lastLoadMs = emscripten_get_now() - t0;
}

// ?trace=...&seek=N&view=V: a bundled golden trace by name, or a file the page fetched.
EMSCRIPTEN_KEEPALIVE void pollscope_open_trace(const char* file, int seek, const char* view) {
  viz::Viewer& v = *g_viewer;
  std::string path = file;
  if (path.find('/') == std::string::npos && !path.ends_with(".json"))
    path = std::string(viz::kWebTraceDir) + "/" + path + ".trace.json";
  else if (path.find('/') == std::string::npos)
    noteHomeFile(path);
  double t0 = emscripten_get_now();
  std::string err;
  if (!v.loadNow(path, &err)) {
    v.errorMessage = err;
    return;
  }
  g_lastLoadMs = emscripten_get_now() - t0;
  if (v.replay) v.seek(seek < 0 ? v.replay->size() : std::min<size_t>(static_cast<size_t>(seek), v.replay->size()));
  if (auto named = viz::viewNamed(view)) v.requestView(*named);
}

// ?lesson=NAME&slide=N: a bundled lesson (docs/classroom/NAME.lesson.json).
EMSCRIPTEN_KEEPALIVE void pollscope_open_lesson(const char* name, int slide) {
  viz::Viewer& v = *g_viewer;
  std::string path = std::string(viz::kWebLessonDir) + "/" + name + ".lesson.json";
  double t0 = emscripten_get_now();
  std::string err;
  if (!v.loadNow(path, &err)) {
    v.errorMessage = err;
    return;
  }
  if (!slideInRange(v, slide)) {
    v.errorMessage = "slide " + std::to_string(slide) + ": the lesson has " + std::to_string(v.lesson->slides.size()) +
                     " slides (1-" + std::to_string(v.lesson->slides.size()) + "; " +
                     std::to_string(v.lesson->slides.size() + 1) + " = its questions)";
    return;
  }
  if (slide > 1) v.goToSlide(static_cast<size_t>(slide - 1));
  g_lastLoadMs = emscripten_get_now() - t0;
}

EMSCRIPTEN_KEEPALIVE void pollscope_set_language(const char* code) {
  if (auto l = viz::languageCoded(code)) g_viewer->setLanguage(*l);
}

EMSCRIPTEN_KEEPALIVE void pollscope_set_presenter(int on) {
  g_viewer->setPresenter(on != 0);
}

// A problem the page met before the viewer could see the file (a failed fetch).
EMSCRIPTEN_KEEPALIVE void pollscope_error(const char* message) {
  g_viewer->errorMessage = message;
}

// What the page shows, as JSON: for the browser tests and for anyone debugging.
EMSCRIPTEN_KEEPALIVE const char* pollscope_state() {
  static std::string out;
  viz::Viewer& v = *g_viewer;
  std::string narration;
  if (v.replay && v.replay->current()) narration = analysis::narrate(*v.trace, *v.replay->current(), v.lang(), true);
  out = "{\"frame\":" + std::to_string(g_frame) +
        ",\"events\":" + std::to_string(v.trace ? v.trace->events.size() : 0) +
        ",\"cursor\":" + std::to_string(v.replay ? v.replay->cursor() : 0) +
        ",\"lesson\":" + (v.lesson ? jsonString(v.lesson->title.en) : "null") +
        ",\"slide\":" + std::to_string(v.slide + 1) +
        ",\"slides\":" + std::to_string(v.lesson ? v.lesson->slides.size() : 0) +
        ",\"lang\":" + jsonString(viz::languageInfo(v.lang()).code) +
        ",\"presenter\":" + (v.presenter() ? "true" : "false") + ",\"view\":" + jsonString(viz::viewInfo(v.view).name) +
        ",\"title\":" + jsonString(v.title) + ",\"narration\":" + jsonString(narration) +
        ",\"error\":" + jsonString(v.errorMessage) + ",\"status\":" + jsonString(v.status) +
        ",\"fontNote\":" + jsonString(v.fontNote) + ",\"ttf\":" + (v.ttfFonts ? "true" : "false") +
        ",\"cjk\":" + (v.cjkFonts ? "true" : "false") + ",\"loadMs\":" + std::to_string(g_lastLoadMs) + "}";
  return out.c_str();
}

// Frame timing for the performance figures: start(1) clears and measures, then
// pollscope_frame_times() gives the frames' milliseconds, comma-separated.
EMSCRIPTEN_KEEPALIVE void pollscope_measure(int on) {
  g_measure = on != 0;
  g_frameMs.clear();
}

EMSCRIPTEN_KEEPALIVE const char* pollscope_frame_times() {
  static std::string out;
  out.clear();
  for (float ms : g_frameMs) out += (out.empty() ? "" : ",") + std::to_string(ms);
  return out.c_str();
}

}  // extern "C"

int main() {
  std::error_code ec;
  fs::create_directories(viz::kWebHome, ec);
  fs::current_path(viz::kWebHome, ec);  // Save view writes beside the student's files
  if (!glfwInit()) {
    std::fprintf(stderr, "pollscope: WebGL is not available in this browser\n");
    return 1;
  }
  g_window =
      viz::openViewerWindow(std::max(js_inner_width(), 320), std::max(js_inner_height(), 240), "pollscope", true, true);
  if (!g_window) return 1;
  static viz::Viewer v;
  g_viewer = &v;
  v.scenarioDir = viz::kWebTraceDir;
  v.lessonDir = viz::kWebLessonDir;
  v.noLiveRuns =
      "Live runs need the desktop app: the engine's threads, epoll and sockets do not run in a browser. "
      "This page replays the golden traces the engine recorded for each scenario.";
  ImGuiIO& io = ImGui::GetIO();
  io.SetClipboardTextFn = setClipboard;
  io.GetClipboardTextFn = getClipboard;
  g_last = glfwGetTime();
  emscripten_set_main_loop(frame, 0, false);
  return 0;
}
