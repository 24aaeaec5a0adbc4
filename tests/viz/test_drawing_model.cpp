// What the views draw, checked without ImGui: labels fitted to their room, the
// state machines' labels beside their own edges, the timeline's colours under a
// simulated deuteranopia, the M lanes of a real two-thread trace.
#include <catch2/catch.hpp>
#include <cmath>
#include <tuple>

#include "analysis/explain.hpp"
#include "analysis/sequence.hpp"
#include "model/label_fit.hpp"
#include "model/source_code.hpp"
#include "model/state_machines.hpp"
#include "model/thread_lanes.hpp"
#include "model/timeline_palette.hpp"
#include "support/golden_trace.hpp"
#include "trace/fields.hpp"

using namespace pollscope;

namespace {
// A monospaced measure: 8 px a character (UTF-8 continuation bytes are free).
float mono(std::string_view s) {
  float w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80 ? 8.f : 0.f;
  return w;
}
}  // namespace

TEST_CASE("a label is drawn whole, smaller, cut short or not at all, never wider than its room", "[viz][labels]") {
  std::string text = "netpollunblock: pd3.rg G2 -> pdReady";  // 36 characters: 288 px
  auto whole = viz::fitLabel(text, 300, mono);
  CHECK(whole.text == text);
  CHECK(whole.scale == 1.f);
  auto smaller = viz::fitLabel(text, 250, mono);
  CHECK(smaller.text == text);
  CHECK(smaller.scale < 1.f);
  CHECK(smaller.scale >= 0.75f);
  auto cut = viz::fitLabel(text, 120, mono);
  CHECK(cut.cut);
  CHECK(cut.text.substr(cut.text.size() - 2) == "..");
  CHECK(mono(cut.text) * cut.scale <= 120.f);
  CHECK(viz::fitLabel(text, 20, mono).text.empty());  // not even three characters: nothing
  for (float room = 1; room < 400; room += 7) {
    auto f = viz::fitLabel("等待 pdWait → pdReady", room, mono);
    if (f.drawn()) CHECK(mono(f.text) * f.scale <= room + 0.01f);
  }
}

TEST_CASE("each state machine label sits beside its own edge, crossing no edge, node or label", "[viz][labels]") {
  for (const viz::MachineDef* def : {&viz::semMachine(), &viz::goroutineMachine()}) {
    // Scale and text width as the view has them: a 1400x900 window (13 px text), presenter mode
    // at 1280x720 (24 px text shrunk to 0.7) and at 1920x1080 (24 px).
    for (auto [k, charW, lineH] : {std::tuple{1.f, 7.f, 15.f}, {0.87f, 10.f, 19.f}, {1.43f, 13.f, 26.f}}) {
      std::vector<viz::Pt> sizes;
      for (const auto& e : def->edges) {  // a label may have two lines
        std::string l = viz::uiText(e.label, analysis::Lang::en);
        size_t nl = l.find('\n');
        size_t longest = nl == std::string::npos ? l.size() : std::max(nl, l.size() - nl - 1);
        sizes.push_back({charW * static_cast<float>(longest), lineH * (nl == std::string::npos ? 1.f : 2.f)});
      }
      viz::Pt half{std::max(62 * k, charW * 5 + 8), std::max(26 * k, lineH * 0.5f + 8)};
      auto lay = viz::layoutMachine(*def, k, {0, 0}, sizes, half);
      INFO("scale " << k);
      CHECK(lay.conflicts == 0);
      // How far a box is from a segment (0: they touch).
      auto gapTo = [&](const viz::Box& b, size_t j) {
        auto [a, e] = lay.edges[j];
        float best = 1e9f;
        for (int s = 0; s <= 100; ++s) {
          float x = a.x + (e.x - a.x) * static_cast<float>(s) / 100,
                y = a.y + (e.y - a.y) * static_cast<float>(s) / 100;
          float dx = std::max({b.x0 - x, 0.f, x - b.x1}), dy = std::max({b.y0 - y, 0.f, y - b.y1});
          best = std::min(best, std::hypot(dx, dy));
        }
        return best;
      };
      for (size_t i = 0; i < def->edges.size(); ++i) {
        INFO(viz::uiText(def->edges[i].label, analysis::Lang::en));
        const auto& b = lay.labels[i];
        for (size_t j = 0; j < lay.edges.size(); ++j)
          CHECK_FALSE(viz::segmentHitsBox(lay.edges[j].first, lay.edges[j].second, b));
        // Beside its own edge: close to it, and touching no other.
        CHECK(gapTo(b, i) <= 1.5f * lineH);  // within a line and a half of it
        for (size_t j = 0; j < lay.edges.size(); ++j)
          if (j != i) CHECK(gapTo(b, j) >= 1.5f);
      }
    }
  }
}

TEST_CASE("the timeline's colours stay apart for deuteranopes, and none means two things", "[viz][palette]") {
  // Red and green as the timeline had them are nearly one colour for a deuteranope:
  CHECK(viz::deltaE(viz::simulateDeuteranopia({80, 200, 120}), viz::simulateDeuteranopia({220, 90, 90})) < 15);
  for (size_t i = 0; i < std::size(viz::kLaneColours); ++i) {
    const auto& a = viz::kLaneColours[i];
    CHECK(viz::deltaE(viz::simulateDeuteranopia(a.rgb), viz::simulateDeuteranopia(viz::kLaneIdle)) > 20);
    for (size_t j = i + 1; j < std::size(viz::kLaneColours); ++j) {
      const auto& b = viz::kLaneColours[j];
      INFO(viz::uiText(a.legend, analysis::Lang::en) << " / " << viz::uiText(b.legend, analysis::Lang::en));
      CHECK((a.rgb.r != b.rgb.r || a.rgb.g != b.rgb.g || a.rgb.b != b.rgb.b));  // one meaning per colour
      if (a.lane == b.lane) CHECK(viz::deltaE(viz::simulateDeuteranopia(a.rgb), viz::simulateDeuteranopia(b.rgb)) > 20);
    }
  }
}

TEST_CASE("M lanes: which M recorded what, and when an M sleeps in a blocking netpoll", "[viz][threads]") {
  auto t = pstest::goldenTrace("netpoll-break");
  auto lanes = viz::buildThreadLanes(t);
  CHECK(lanes.ms.size() >= 2);
  REQUIRE_FALSE(lanes.sleeps.empty());
  for (const auto& s : lanes.sleeps) {
    CHECK(lanes.laneOf(s.m) >= 0);
    auto enter = trace::as<trace::Kind::pollEnter>(t.events[s.fromEvent]);
    REQUIRE(enter);
    CHECK(enter->delayNs() != 0);
    CHECK(t.events[s.fromEvent].m == s.m);
    if (s.toEvent < t.events.size()) {
      CHECK(t.events[s.toEvent].kind == trace::Kind::pollExit);
      CHECK(t.events[s.toEvent].m == s.m);
    }
  }
  CHECK(lanes.laneOf(99) == -1);
}

TEST_CASE("the code panel lights the operation (the CAS, the swap, the syscall), not the trace macro", "[viz][code]") {
  auto t = pstest::goldenTrace("event-while-wait");
  int checked = 0;
  for (const auto& e : t.events) {
    if (!e.site || (e.kind != trace::Kind::sem && e.kind != trace::Kind::park)) continue;
    auto ex = viz::functionAround(e.site->file, e.site->line);
    REQUIRE(ex);
    int op = viz::operationLine(*ex);
    const std::string& line = ex->lines[static_cast<size_t>(op - ex->firstLine)];
    INFO(e.site->file << ":" << e.site->line << " -> " << op << ": " << line);
    CHECK(op <= e.site->line);
    CHECK(line.find("PS_") == std::string::npos);  // never the macro
    // Every rg/wg transition and park result comes from an atomic on the semaphore word.
    CHECK((line.find("compare_exchange") != std::string::npos || line.find("exchange(") != std::string::npos));
    ++checked;
  }
  CHECK(checked > 10);
}

TEST_CASE("narration names no fd before the socket exists and no place in the scenario file", "[viz][narration]") {
  for (const char* name : {"read-before-data", "event-while-wait", "echo", "netpoll-break", "connect-in-progress"}) {
    auto t = pstest::goldenTrace(name);
    INFO(name);
    for (const auto& e : t.events)
      for (auto lang : {analysis::Lang::en, analysis::Lang::zh}) {
        std::string said = analysis::narrate(t, e, lang, true);
        INFO(said);
        CHECK(said.find("fd -1") == std::string::npos);
        CHECK(said.find("goroutines[") == std::string::npos);
      }
    std::vector<size_t> all(t.events.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    analysis::SequenceModel m = analysis::buildSequence(t, all, analysis::SeqLevel::runtime);
    CHECK(m.items.size() > 20);
    for (const auto& item : m.items) CHECK(item.text.find("fd -1") == std::string::npos);
  }
}
