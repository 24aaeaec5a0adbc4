// The viewer's logic without GL: stepping and seeking give the state that
// replaying from the start gives; the sequence layout shows the right prefix.
#include <algorithm>
#include <catch2/catch.hpp>

#include "model/replay.hpp"
#include "model/sequence_layout.hpp"
#include "model/timeline.hpp"
#include "support/golden_trace.hpp"
#include "trace/fields.hpp"
#include "traceio/json.hpp"

using namespace pollscope;

namespace {
viz::WorldState fromScratch(const traceio::TraceModel& t, size_t n) {
  viz::WorldState w;
  for (size_t i = 0; i < n; ++i) viz::Replay::apply(w, t.events[i], i);
  return w;
}

bool same(const viz::WorldState& a, const viz::WorldState& b) {
  if (a.sems.size() != b.sems.size() || a.gstatus != b.gstatus || a.pdFd != b.pdFd || a.waiters != b.waiters)
    return false;
  for (const auto& [k, v] : a.sems) {
    auto it = b.sems.find(k);
    if (it == b.sems.end() || it->second.state != v.state || it->second.g != v.g) return false;
  }
  return true;
}
}  // namespace

TEST_CASE("seeking anywhere, forwards or back, gives the replayed state", "[viz]") {
  auto t = pstest::goldenTrace("ping-pong-loop");
  viz::Replay r(t, 256);  // small snapshots so seeks cross several
  for (size_t n : {size_t{0}, size_t{1}, size_t{255}, size_t{256}, size_t{257}, t.events.size() / 2, size_t{3},
                   t.events.size(), size_t{1000}}) {
    r.seek(n);
    INFO(n);
    CHECK(r.cursor() == n);
    CHECK(same(r.state(), fromScratch(t, n)));
  }
  r.seek(5000);
  REQUIRE(r.stepBack());
  CHECK(same(r.state(), fromScratch(t, 4999)));
  REQUIRE(r.stepForward());
  REQUIRE(r.stepForward());
  CHECK(same(r.state(), fromScratch(t, 5001)));
  r.seek(0);
  CHECK_FALSE(r.stepBack());
  r.seek(t.events.size() + 10);
  CHECK(r.cursor() == t.events.size());
  CHECK_FALSE(r.stepForward());
}

TEST_CASE("the state at a cursor shows the parked goroutine in rg", "[viz]") {
  auto t = pstest::goldenTrace("read-before-data");
  viz::Replay r(t);
  // Find the commit of the server's read: after it, rg holds the goroutine.
  for (size_t i = 0; i < t.events.size(); ++i) {
    auto s = trace::as<trace::Kind::sem>(t.events[i]);
    if (s && s->by() == trace::SemBy::blockCommit && s->mode() == trace::Mode::r) {
      r.seek(i + 1);
      auto cell = r.state().sems.at({s->pd(), 'r'});
      CHECK(cell.state == trace::SemState::G);
      CHECK(cell.g == s->toG());
      CHECK(cell.event == i);
      r.seek(i);
      CHECK(r.state().sems.at({s->pd(), 'r'}).state == trace::SemState::pdWait);
      return;
    }
  }
  FAIL("no commit in the trace");
}

TEST_CASE("next and previous change follow one pollDesc", "[viz]") {
  auto t = pstest::goldenTrace("read-before-data");
  viz::Replay r(t);
  viz::Follow f{3, std::nullopt};
  std::vector<size_t> stops;
  for (auto c = r.nextChange(f); c; c = r.nextChange(f)) {
    r.seek(*c);
    stops.push_back(*c);
    CHECK(viz::Replay::touches(t.events[*c - 1], f));
  }
  REQUIRE(stops.size() > 5);
  auto back = r.prevChange(f);
  REQUIRE(back);
  CHECK(*back == stops[stops.size() - 2]);
}

TEST_CASE("indexed next/previous change equals walking the events", "[viz]") {
  auto t = pstest::goldenTrace("ping-pong-loop");
  auto walkNext = [&](const viz::Follow& f, size_t cursor) -> std::optional<size_t> {
    for (size_t i = cursor; i < t.events.size(); ++i)
      if (viz::Replay::touches(t.events[i], f)) return i + 1;
    return std::nullopt;
  };
  auto walkPrev = [&](const viz::Follow& f, size_t cursor) -> std::optional<size_t> {
    for (size_t i = cursor >= 1 ? cursor - 1 : 0; i-- > 0;)
      if (viz::Replay::touches(t.events[i], f)) return i + 1;
    return std::nullopt;
  };
  std::vector<viz::Follow> follows{{1, std::nullopt}, {2, std::nullopt}, {std::nullopt, 2}, {std::nullopt, 3}, {3, 2}};
  // The index lists blocks of events: small blocks make the searches cross many.
  for (size_t block : {size_t{4096}, size_t{64}, size_t{1}}) {
    viz::Replay r(t, block);
    for (size_t cursor = 0; cursor <= t.events.size(); cursor += 97) {
      r.seek(cursor);
      for (const auto& f : follows) {
        INFO("block " << block << " cursor " << cursor);
        CHECK(r.nextChange(f) == walkNext(f, cursor));
        CHECK(r.prevChange(f) == walkPrev(f, cursor));
      }
    }
  }
}

TEST_CASE("the sequence layout groups lifelines and shows the prefix up to the cursor", "[viz]") {
  auto t = pstest::goldenTrace("read-before-data");
  std::vector<size_t> all(t.events.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  viz::SequenceLayout L(analysis::buildSequence(t, all, analysis::SeqLevel::user));
  const auto& ls = L.lifelines();
  REQUIRE(ls.size() >= 5);
  for (size_t i = 1; i < ls.size(); ++i) {
    CHECK(ls[i].x > ls[i - 1].x);
    CHECK(static_cast<int>(ls[i].group) >= static_cast<int>(ls[i - 1].group));  // user | runtime | kernel
  }
  CHECK(L.visibleRows(0) == 0);
  // Streamed straight from the trace, the layout has the same rows as from the model.
  auto model = analysis::buildSequence(t, all, analysis::SeqLevel::user);
  viz::SequenceLayout streamed(t);
  REQUIRE(streamed.rowCount() == model.items.size());
  for (size_t r = 0; r < model.items.size(); ++r) {
    const auto& row = streamed.row(r);
    INFO("row " << r);
    CHECK(streamed.text(row) == model.items[r].text);
    CHECK(row.event == model.items[r].event);
    CHECK(row.type() == model.items[r].type);
    CHECK(streamed.lifelines()[row.from].id == model.items[r].from);
    if (!model.items[r].to.empty()) CHECK(streamed.lifelines()[row.to].id == model.items[r].to);
  }
  CHECK(L.visibleRows(t.events.size()) == L.rowCount());
  size_t mid = t.events.size() / 2;
  size_t rows = L.visibleRows(mid);
  for (size_t r = 0; r < rows; ++r) CHECK(L.row(r).event < mid);
  if (rows < L.rowCount()) CHECK(L.row(rows).event >= mid);
  // Parked spans never end before they start, and at the end none is left open.
  for (const auto& s : L.parkedSpans(t.events.size())) CHECK(s.toRow > s.fromRow);
  // Mid-way, spans are clipped to the visible rows, and a goroutine parked at the
  // cursor has a span reaching it.
  for (size_t cur : {mid, mid / 2, mid + mid / 2}) {
    size_t n = L.visibleRows(cur);
    for (const auto& s : L.parkedSpans(cur)) {
      CHECK(s.fromRow < s.toRow);
      CHECK(s.toRow <= n);
    }
  }
  size_t open = 0, n = L.visibleRows(mid);
  for (size_t r = 0; r < n; ++r) {
    if (L.row(r).type() == analysis::SeqItem::Type::activate) ++open;
    if (L.row(r).type() == analysis::SeqItem::Type::deactivate) --open;
  }
  size_t reaching = 0;
  for (const auto& s : L.parkedSpans(mid)) reaching += s.toRow == n;
  CHECK(reaching == open);
}

TEST_CASE("timeline lanes cover the trace and show the read path on the server's rg", "[viz]") {
  auto t = pstest::goldenTrace("read-before-data");
  auto lanes = viz::buildTimeline(t);
  size_t goroutines = 0;
  for (const auto& l : lanes) {
    goroutines += l.kind == viz::Lane::Kind::goroutine;
    if (l.kind == viz::Lane::Kind::netpoll) continue;
    REQUIRE(!l.spans.empty());
    for (size_t i = 1; i < l.spans.size(); ++i) CHECK(l.spans[i].from == l.spans[i - 1].to);  // contiguous
    CHECK(l.spans.back().to == t.events.size());
  }
  CHECK(goroutines == t.goroutines.size());
  // The server's connection (pd3) rg goes pdWait -> G -> pdReady somewhere along its lane.
  std::vector<int> states;
  for (const auto& l : lanes)
    if (l.kind == viz::Lane::Kind::semaphore && l.id == 3 && l.mode == 'r')
      for (const auto& s : l.spans) states.push_back(s.state);
  const int path[] = {2, 3, 1};  // pdWait, G, pdReady
  auto at = std::search(states.begin(), states.end(), std::begin(path), std::end(path));
  CHECK(at != states.end());
}
