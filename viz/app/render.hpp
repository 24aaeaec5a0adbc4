// Drawing the viewer into the window or off screen, and the pictures made from
// it (render.cpp says more).
#pragma once

#include <GLFW/glfw3.h>

#include <string>

#include "app/viewer.hpp"

namespace pollscope::viz {

struct Offscreen;  // a framebuffer of its own size (render.cpp)

// One frame: fonts and theme brought up to date first, then drawn into the
// window's back buffer, or into `target` at its size.
void renderFrame(Viewer& v, GLFWwindow* window, const Offscreen* target = nullptr);

// The window's back buffer as a PNG.
bool saveScreenshot(const std::string& path, int w, int h);
// The view rendered off screen at `w`x`h` (presentation resolution), as a PNG.
bool savePicture(Viewer& v, GLFWwindow* window, int w, int h, const std::string& path);
// One PNG per step (each rg/wg transition and scenario step) or per event, and
// index.txt naming what each shows. Returns a process exit code.
int writeFrames(Viewer& v, GLFWwindow* window, int w, int h, const std::string& dir, bool everyEvent);

}  // namespace pollscope::viz
