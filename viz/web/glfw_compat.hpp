// What app/render.cpp needs from GLFW and GL on the web, forced into it by
// viz/web/CMakeLists.txt: WebGL 2's functions (framebuffers and all) come from
// GLES3/gl3.h, and Emscripten 3.1.6's GLFW is version 3.2, which lacks
// glfwGetWindowContentScale (3.3), declared here and defined in main.cpp.
#pragma once

#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>

extern "C" void glfwGetWindowContentScale(GLFWwindow* window, float* xscale, float* yscale);
