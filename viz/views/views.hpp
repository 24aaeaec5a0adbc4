// The viewer's views; each draws into the current ImGui window.
#pragma once

#include "app/viewer.hpp"

namespace pollscope::viz {

void drawPlayerBar(Viewer& v);
void drawSequenceView(Viewer& v);
void drawStateView(Viewer& v);
void drawTableView(Viewer& v);
void drawTimelineView(Viewer& v);

// Colours shared by the views (one palette, readable on a projector).
struct Palette {
  static constexpr unsigned kUserBox = 0x40F2E6D9;  // ABGR
  static constexpr unsigned kRuntimeBox = 0x40E5F4FF;
  static constexpr unsigned kKernelBox = 0x40EEEEEE;
  static constexpr unsigned kLit = 0xFF28AAFF;     // the current state / message (orange)
  static constexpr unsigned kParked = 0xC0A0A0FF;  // parked span (soft red)
};

}  // namespace pollscope::viz
