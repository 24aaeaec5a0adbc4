#include "model/state_machines.hpp"

#include <algorithm>
#include <cmath>

namespace pollscope::viz {

// Values as in core/trace/event.hpp (SemState: pdNil 0, pdReady 1, pdWait 2, G 3;
// GStatus: _Gidle 0, _Grunnable 1, _Grunning 2, _Gwaiting 3, _Gdead 4).
const MachineDef& semMachine() {
  // pdReady inside the triangle of the other three: the seven edges (K4 and a pair) cross nowhere.
  static const MachineDef def{{{0, Ui::stPdNil, {70, 360}},
                               {2, Ui::stPdWait, {390, 45}},
                               {3, Ui::stGParked, {710, 360}},
                               {1, Ui::stPdReady, {390, 290}}},
                              {{0, 2, Ui::edgePrepare},
                               {2, 3, Ui::edgeCommit},
                               {3, 1, Ui::edgeUnblock},
                               {1, 0, Ui::edgeConsume},  // consumes pdReady (no park), or swaps it back after waking
                               {0, 1, Ui::edgeNobody},
                               {2, 1, Ui::edgeWhileWait},
                               {3, 0, Ui::edgeTimeout}},
                              780,
                              400};
  return def;
}

const MachineDef& goroutineMachine() {
  static const MachineDef def{{{0, Ui::stGidle, {90, 40}},
                               {1, Ui::stGrunnable, {90, 200}},
                               {2, Ui::stGrunning, {380, 200}},
                               {3, Ui::stGwaiting, {235, 340}},
                               {4, Ui::stGdead, {380, 40}}},
                              {{0, 1, Ui::edgeNewproc},
                               {1, 2, Ui::edgeExecute},
                               {2, 3, Ui::edgeGopark},
                               {3, 1, Ui::edgeGoready},
                               {2, 1, Ui::edgeGosched},
                               {2, 4, Ui::edgeGoexit}},
                              470,
                              380};
  return def;
}

bool segmentHitsBox(Pt a, Pt b, const Box& box) {
  // Liang-Barsky clipping: does any part of the segment lie inside the box?
  float t0 = 0, t1 = 1, dx = b.x - a.x, dy = b.y - a.y;
  auto clip = [&](float p, float q) {
    if (p == 0) return q >= 0;
    float r = q / p;
    if (p < 0) {
      if (r > t1) return false;
      t0 = std::max(t0, r);
    } else {
      if (r < t0) return false;
      t1 = std::min(t1, r);
    }
    return true;
  };
  return clip(-dx, a.x - box.x0) && clip(dx, box.x1 - a.x) && clip(-dy, a.y - box.y0) && clip(dy, box.y1 - a.y) &&
         t0 <= t1;
}

MachineLayout layoutMachine(const MachineDef& def, float k, Pt origin, const std::vector<Pt>& labelSize, Pt nodeHalf) {
  MachineLayout out;
  auto centre = [&](int state) {
    for (const auto& n : def.nodes)
      if (n.state == state) return Pt{origin.x + n.pos.x * k, origin.y + n.pos.y * k};
    return origin;
  };
  for (const auto& n : def.nodes) {
    Pt c = centre(n.state);
    out.nodes.push_back({c.x - nodeHalf.x, c.y - nodeHalf.y, c.x + nodeHalf.x, c.y + nodeHalf.y});
  }
  std::vector<Pt> normals;
  for (const auto& e : def.edges) {
    Pt a = centre(e.from), b = centre(e.to);
    float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
    Pt u{dx / len, dy / len}, n{-u.y, u.x};  // opposite edges sit side by side
    float off = 10.f;
    float ta = std::min(std::abs(u.x) > 1e-3f ? (nodeHalf.x + 2) / std::abs(u.x) : 1e9f,
                        std::abs(u.y) > 1e-3f ? (nodeHalf.y + 2) / std::abs(u.y) : 1e9f);
    out.edges.push_back({{a.x + n.x * off + u.x * ta, a.y + n.y * off + u.y * ta},
                         {b.x + n.x * off - u.x * ta, b.y + n.y * off - u.y * ta}});
    normals.push_back(n);
  }
  // Each label beside its own edge: the first spot along it, on either side, that
  // crosses no edge, no node and no label placed before it.
  static constexpr float kAlong[] = {0.5f, 0.4f, 0.6f, 0.3f, 0.7f, 0.22f, 0.78f, 0.15f, 0.85f};
  for (size_t i = 0; i < def.edges.size(); ++i) {
    Pt sz = i < labelSize.size() ? labelSize[i] : Pt{0, 0};
    Box best{};
    int bestHits = 1 << 30;
    for (float gap : {4.f, 12.f, 20.f}) {
      for (float t : kAlong) {
        for (float side : {1.f, -1.f}) {
          auto [a, b] = out.edges[i];
          Pt p{a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t};
          Pt n{normals[i].x * side, normals[i].y * side};
          float reach = std::abs(n.x) * sz.x / 2 + std::abs(n.y) * sz.y / 2 + gap;
          Pt c{p.x + n.x * reach, p.y + n.y * reach};
          Box box{c.x - sz.x / 2, c.y - sz.y / 2, c.x + sz.x / 2, c.y + sz.y / 2};
          int hits = 0;
          // Not even touching an edge: a label on a line reads as that line's.
          Box clear{box.x0 - 2, box.y0 - 2, box.x1 + 2, box.y1 + 2};
          for (size_t j = 0; j < out.edges.size(); ++j)
            hits += segmentHitsBox(out.edges[j].first, out.edges[j].second, clear);
          for (const auto& nb : out.nodes) hits += nb.overlaps(box);
          for (const auto& lb : out.labels) hits += lb.overlaps(box);
          if (hits < bestHits) {
            bestHits = hits;
            best = box;
          }
          if (hits == 0) break;
        }
        if (bestHits == 0) break;
      }
      if (bestHits == 0) break;
    }
    if (bestHits > 0) ++out.conflicts;
    out.labels.push_back(best);
  }
  return out;
}

}  // namespace pollscope::viz
