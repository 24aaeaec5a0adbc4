#include "model/timeline_palette.hpp"

#include <algorithm>
#include <cmath>

namespace pollscope::viz {

namespace {
double toLinear(uint8_t v) {
  double c = v / 255.0;
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}
uint8_t toSrgb(double c) {
  c = std::clamp(c, 0.0, 1.0);
  double v = c <= 0.0031308 ? c * 12.92 : 1.055 * std::pow(c, 1 / 2.4) - 0.055;
  return static_cast<uint8_t>(std::lround(v * 255));
}
struct Lab {
  double l, a, b;
};
Lab toLab(Rgb c) {
  double r = toLinear(c.r), g = toLinear(c.g), b = toLinear(c.b);
  double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  auto f = [](double t) { return t > 216.0 / 24389 ? std::cbrt(t) : (24389.0 / 27 * t + 16) / 116; };
  return {116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
}
}  // namespace

Rgb simulateDeuteranopia(Rgb c) {
  double r = toLinear(c.r), g = toLinear(c.g), b = toLinear(c.b);
  // Viénot et al.'s deuteranope projection, applied in linear RGB.
  double rr = 0.29275 * r + 0.70725 * g;
  double gg = 0.29275 * r + 0.70725 * g;
  double bb = -0.02234 * r + 0.02234 * g + b;
  return {toSrgb(rr), toSrgb(gg), toSrgb(bb)};
}

double deltaE(Rgb a, Rgb b) {
  Lab x = toLab(a), y = toLab(b);
  return std::sqrt((x.l - y.l) * (x.l - y.l) + (x.a - y.a) * (x.a - y.a) + (x.b - y.b) * (x.b - y.b));
}

}  // namespace pollscope::viz
