// The two state machines the state view draws (the rg/wg semaphore and a
// goroutine's status), as geometry without ImGui: nodes in diagram units, edges
// named by the functions that take them, and where each edge's label goes, so
// that it sits beside its own edge and crosses no edge, node or other label
// (placeEdgeLabels; tests/viz checks both machines).
#pragma once

#include <string>
#include <vector>

#include "model/ui_text.hpp"

namespace pollscope::viz {

struct Pt {
  float x, y;
};
struct Box {
  float x0, y0, x1, y1;
  bool overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};

struct MachineNode {
  int state;  // SemState or GStatus value
  Ui label;   // model/ui_text.hpp: English and Chinese
  Pt pos;     // centre, diagram units
};
struct MachineEdge {
  int from, to;
  Ui label;
};
struct MachineDef {
  std::vector<MachineNode> nodes;
  std::vector<MachineEdge> edges;
  float width, height;  // diagram units
};

const MachineDef& semMachine();        // pdNil, pdWait, G, pdReady
const MachineDef& goroutineMachine();  // _Gidle ... _Gdead

// One machine laid out at scale `k` from `origin`: node boxes, edge segments
// (opposite edges side by side, ending at the boxes), label boxes.
struct MachineLayout {
  std::vector<Box> nodes;  // as def.nodes
  std::vector<std::pair<Pt, Pt>> edges;
  std::vector<Box> labels;  // as def.edges; empty box: no room found
  int conflicts = 0;        // labels that had to cross something
};
// `labelSize[i]`: the width and height of edge i's label; `nodeHalf`: half a node box.
MachineLayout layoutMachine(const MachineDef& def, float k, Pt origin, const std::vector<Pt>& labelSize, Pt nodeHalf);

// A segment crosses a box (or lies in it).
bool segmentHitsBox(Pt a, Pt b, const Box& box);

}  // namespace pollscope::viz
