// Drawing the viewer into the window or off screen, and the pictures made from
// it (render.cpp says more).
#pragma once

#include <GLFW/glfw3.h>

#include <string>

#include "app/picture_facts.hpp"
#include "model/viewer.hpp"

namespace pollscope::viz {

struct Offscreen;  // a framebuffer of its own size (render.cpp)

// After glfwInit: a GL 3.3 core window with an ImGui context and its GLFW and
// OpenGL backends (no imgui.ini written); nullptr, with the reason on stderr,
// if none can be made. `installCallbacks`: ImGui takes the window's input.
GLFWwindow* openViewerWindow(int w, int h, const char* title, bool visible, bool installCallbacks);
// Tears down what openViewerWindow set up, and GLFW.
void closeViewerWindow(GLFWwindow* window);

// One frame: fonts and theme brought up to date first, then drawn into the
// window's back buffer, or into `target` at its size.
void renderFrame(Viewer& v, GLFWwindow* window, const Offscreen* target = nullptr);

// The window's back buffer as a PNG.
bool saveScreenshot(const std::string& path, int w, int h);
// The view rendered off screen at `w`x`h` (presentation resolution), as a PNG.
bool savePicture(Viewer& v, GLFWwindow* window, int w, int h, const std::string& path);
// What the frame just rendered shows (its text, read back from the draw data, and
// whether it has the menu bar); valid until the next frame.
FrameFacts lastFrameFacts();
// An animated GIF of the lesson's slides, of the comparison from its aligned
// event on, or of the run's steps between events `from` and `to`; `delayMs` a
// frame. Returns a process exit code.
int writeGifFile(Viewer& v, GLFWwindow* window, int w, int h, const std::string& path, size_t from, size_t to,
                 int delayMs);
// One PNG per step (each rg/wg transition and scenario step) or per event, and
// index.txt naming what each shows. Returns a process exit code.
int writeFrames(Viewer& v, GLFWwindow* window, int w, int h, const std::string& dir, bool everyEvent);
// Every slide of the open lesson and its questions page, at each of `sizes`
// ("1280x720,1920x1080"), as slide-NN-WxH.png in `dir`, each followed on stderr by
// what it shows (model/drawn_facts.hpp). Returns a process exit code.
int writeSlideShots(Viewer& v, GLFWwindow* window, const std::string& dir, const std::string& sizes);

}  // namespace pollscope::viz
