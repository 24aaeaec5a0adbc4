// The timeline's colours and its legend, one table: every lane state has one
// colour, no colour means two things, and the colours stay apart for people
// with red-green colour blindness (Okabe & Ito's palette; tests/viz checks the
// table under a simulated deuteranopia). No ImGui here: plain RGB.
#pragma once

#include <cstdint>
#include <optional>

#include "model/timeline.hpp"

namespace pollscope::viz {

struct Rgb {
  uint8_t r, g, b;
};

struct LaneColour {
  Lane::Kind lane;
  int state;  // GStatus / SemState value; netpoll: 1 blocking, 0 non-blocking
  Rgb rgb;
  const char* legend;  // the legend's word for it
};

// clang-format off
inline constexpr LaneColour kLaneColours[] = {
    {Lane::Kind::goroutine, 2, {0, 158, 115}, "running"},    // bluish green
    {Lane::Kind::goroutine, 1, {240, 228, 66}, "runnable"},  // yellow
    {Lane::Kind::goroutine, 3, {213, 94, 0}, "waiting"},     // vermillion
    {Lane::Kind::semaphore, 2, {86, 180, 233}, "pdWait"},    // sky blue
    {Lane::Kind::semaphore, 3, {204, 121, 167}, "G parked"}, // reddish purple
    {Lane::Kind::semaphore, 1, {0, 114, 178}, "pdReady"},    // blue
    {Lane::Kind::netpoll, 1, {120, 70, 200}, "blocking poll"},  // violet
    {Lane::Kind::netpoll, 0, {170, 170, 170}, "non-blocking poll"},
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
