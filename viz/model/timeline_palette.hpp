// The timeline's colours and its legend, one table: every lane state has one
// colour, no colour means two things, and the colours stay apart for people
// with red-green colour blindness (Okabe & Ito's palette; tests/viz checks the
// table under a simulated deuteranopia). No ImGui here: plain RGB.
#pragma once

#include <cstdint>
#include <optional>

#include "model/timeline.hpp"
#include "model/ui_text.hpp"

namespace pollscope::viz {

struct Rgb {
  uint8_t r, g, b;
};

struct LaneColour {
  Lane::Kind lane;
  int state;  // GStatus / SemState value; netpoll: 1 blocking, 0 non-blocking
  Rgb rgb;
  Ui legend;  // the legend's word for it (model/ui_text.hpp: English and Chinese)
};

// clang-format off
inline constexpr LaneColour kLaneColours[] = {
    {Lane::Kind::goroutine, 2, {0, 158, 115}, Ui::legendRunning},    // bluish green
    {Lane::Kind::goroutine, 1, {240, 228, 66}, Ui::legendRunnable},  // yellow
    {Lane::Kind::goroutine, 3, {213, 94, 0}, Ui::legendWaiting},     // vermillion
    {Lane::Kind::semaphore, 2, {86, 180, 233}, Ui::legendPdWait},    // sky blue
    {Lane::Kind::semaphore, 3, {204, 121, 167}, Ui::legendGParked}, // reddish purple
    {Lane::Kind::semaphore, 1, {0, 114, 178}, Ui::legendPdReady},    // blue
    {Lane::Kind::netpoll, 1, {120, 70, 200}, Ui::legendBlockingPoll},  // violet
    {Lane::Kind::netpoll, 0, {170, 170, 170}, Ui::legendNonBlockingPoll},
};
// clang-format on
inline constexpr Rgb kLaneIdle{75, 75, 85};  // idle, dead, pdNil: no colour of its own

inline Rgb laneColour(Lane::Kind lane, int state) {
  for (const auto& c : kLaneColours)
    if (c.lane == lane && c.state == state) return c.rgb;
  return kLaneIdle;
}

// A colour as seen with deuteranopia (Viénot, Brettel & Mollon 1999, in linear RGB).
Rgb simulateDeuteranopia(Rgb c);
// Perceptual distance (CIE76 delta E in L*a*b*).
double deltaE(Rgb a, Rgb b);

}  // namespace pollscope::viz
