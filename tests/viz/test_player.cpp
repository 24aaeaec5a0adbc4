// The player's model without GL and without the engine: breakpoints and
// bookmarks, recent files, the sequence layout's folded groups and windowed
// parked spans, the background loader, lessons. Live runs: test_live.cpp.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "model/breakpoints.hpp"
#include "model/lesson.hpp"
#include "model/recent_files.hpp"
#include "model/sequence_layout.hpp"
#include "model/source_code.hpp"
#include "model/trace_loader.hpp"
#include "trace/fields.hpp"
#include "traceio/json.hpp"

using namespace pollscope;
using namespace std::chrono_literals;

namespace {
const std::string kSource = POLLSCOPE_SOURCE_DIR;

traceio::TraceModel golden(const std::string& name) {
  traceio::TraceModel t;
  std::string err;
  REQUIRE(traceio::readTraceFile(kSource + "/traces/" + name + ".trace.json", &t, &err));
  return t;
}

std::string tempDir() {
  auto d = std::filesystem::temp_directory_path() / ("pollscope-viz-" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d.string();
}
}  // namespace

TEST_CASE("breakpoints find the next and previous hit and nothing else", "[viz]") {
  auto t = golden("read-before-data");
  std::vector<viz::Breakpoint> bs{{viz::Breakpoint::On::semState, static_cast<int64_t>(trace::SemState::pdReady)}};
  auto isHit = [&](size_t i) {
    auto s = trace::as<trace::Kind::sem>(t.events[i]);
    return s && s->to() == trace::SemState::pdReady;
  };
  // Walking hit to hit visits exactly the events that move rg/wg to pdReady.
  std::vector<size_t> expected, walked;
  for (size_t i = 0; i < t.events.size(); ++i)
    if (isHit(i)) expected.push_back(i + 1);
  REQUIRE(expected.size() >= 2);
  size_t c = 0;
  while (auto n = viz::nextBreak(t, c, bs)) {
    walked.push_back(*n);
    c = *n;
  }
  CHECK(walked == expected);
  CHECK(viz::prevBreak(t, expected[1], bs) == expected[0]);
  CHECK_FALSE(viz::prevBreak(t, expected[0], bs));
  bs[0].enabled = false;
  CHECK_FALSE(viz::nextBreak(t, 0, bs));

  // A goroutine breakpoint hits its own events and events that name it (a wake-up on g0).
  viz::Breakpoint g{viz::Breakpoint::On::goroutine, 2};
  size_t named = 0;
  for (const auto& e : t.events)
    if (viz::hits(g, e) && e.g != 2) ++named;
  CHECK(named > 0);
  viz::Breakpoint kind{viz::Breakpoint::On::kind, static_cast<int64_t>(trace::Kind::netpollBreak)};
  CHECK(kind.describe() == "kind break");
  viz::Breakpoint fd{viz::Breakpoint::On::fd, 5};
  auto first = viz::nextBreak(t, 0, {fd});
  REQUIRE(first);
  const auto& hit = t.events[*first - 1];
  bool names5 = false;
  for (trace::FieldValue f : trace::fieldsOf(hit)) names5 |= f.spec.type == trace::FieldType::Fd && f.raw == 5;
  CHECK(names5);
}

TEST_CASE("bookmarks toggle and stay sorted", "[viz]") {
  viz::Bookmarks b;
  b.toggle(30, "c");
  b.toggle(10, "a");
  b.toggle(20, "b");
  REQUIRE(b.list().size() == 3);
  CHECK(b.list()[0].label == "a");
  CHECK(b.next(10) == 20u);
  CHECK(b.prev(10) == std::nullopt);
  CHECK(b.prev(25) == 20u);
  b.toggle(20, "again");  // toggling the same cursor removes it
  CHECK(b.next(10) == 30u);
}

TEST_CASE("recent files keep the newest first, once each, and survive a restart", "[viz]") {
  std::string store = tempDir() + "/recent";
  std::filesystem::remove(store);
  {
    viz::RecentFiles r(store);
    CHECK(r.list().empty());
    for (int i = 0; i < 12; ++i) r.add("/tmp/f" + std::to_string(i) + ".json");
    r.add("/tmp/f5.json");
    CHECK(r.list().size() == viz::RecentFiles::kMax);
    CHECK(r.list().front() == "/tmp/f5.json");
    CHECK(std::count(r.list().begin(), r.list().end(), "/tmp/f5.json") == 1);
  }
  viz::RecentFiles again(store);
  REQUIRE(again.list().size() == viz::RecentFiles::kMax);
  CHECK(again.list()[0] == "/tmp/f5.json");
  CHECK(again.list()[1] == "/tmp/f11.json");
}

TEST_CASE("folding a group puts its lifelines in one column", "[viz]") {
  auto t = golden("read-before-data");
  viz::SequenceLayout L(t);
  float open = L.width();
  L.setCollapsed({static_cast<int>(analysis::SeqGroup::runtime)});
  std::set<float> runtimeX, userX;
  for (const auto& l : L.lifelines()) {
    if (l.group == analysis::SeqGroup::runtime) runtimeX.insert(l.x);
    if (l.group == analysis::SeqGroup::user) userX.insert(l.x);
    CHECK(l.folded == (l.group == analysis::SeqGroup::runtime));
  }
  CHECK(runtimeX.size() == 1);
  CHECK(userX.size() > 1);
  CHECK(L.width() < open);
  L.setCollapsed({});
  CHECK(L.width() == open);
}

TEST_CASE("parked spans on screen are the full list cut to the window", "[viz]") {
  auto t = golden("ping-pong-loop");
  viz::SequenceLayout L(t);
  size_t rows = L.rowCount();
  for (size_t cursor : {t.events.size() / 3, t.events.size()}) {
    auto full = L.parkedSpans(cursor);
    for (size_t first = 0; first < rows; first += rows / 7 + 1) {
      size_t last = first + 25;
      std::vector<std::tuple<uint16_t, size_t, size_t>> want, got;
      for (const auto& s : full)
        if (s.toRow > first && s.fromRow < last) want.emplace_back(s.lifeline, s.fromRow, s.toRow);
      for (const auto& s : L.parkedSpans(cursor, first, last)) got.emplace_back(s.lifeline, s.fromRow, s.toRow);
      INFO("cursor " << cursor << " rows " << first << ".." << last);
      CHECK(got == want);
    }
  }
}

TEST_CASE("the background loader opens a trace, reports a bad one, and can be cancelled", "[viz]") {
  {
    viz::TraceLoader ok(kSource + "/traces/read-before-data.trace.json");
    while (!ok.done()) std::this_thread::sleep_for(1ms);
    REQUIRE(ok.error().empty());
    CHECK(ok.progress() == 1.f);
    auto d = ok.takeDocument();
    REQUIRE(d.trace);
    CHECK(d.replay->size() == d.trace->events.size());
    CHECK(d.sequence->rowCount() > 0);
  }
  {
    std::string bad = tempDir() + "/truncated.trace.json";
    std::ifstream in(kSource + "/traces/read-before-data.trace.json");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    std::ofstream(bad) << text.substr(0, text.size() / 2);
    viz::TraceLoader loader(bad);
    while (!loader.done()) std::this_thread::sleep_for(1ms);
    // A file that stops mid-way (a killed streamed run) loads up to its last
    // complete event and says where it stops (docs/trace-format.md, "Streamed traces").
    REQUIRE(loader.error().empty());
    auto d = loader.takeDocument();
    REQUIRE(d.trace);
    CHECK(d.trace->meta.cut.find("stops at byte " + std::to_string(text.size() / 2)) != std::string::npos);
    CHECK_FALSE(d.trace->events.empty());
    CHECK(d.replay->size() == d.trace->events.size());
  }
  {
    std::string bad = tempDir() + "/headless.trace.json";  // cut before its first event: nothing to show
    std::ofstream(bad) << R"({"format":"pollscope-trace","version":2,"meta":{"backend":"ep)";
    viz::TraceLoader loader(bad);
    while (!loader.done()) std::this_thread::sleep_for(1ms);
    CHECK(loader.error().find("headless.trace.json") != std::string::npos);
    CHECK_FALSE(loader.takeDocument().trace);
  }
  {
    viz::TraceLoader gone(kSource + "/traces/no-such-file.json");
    while (!gone.done()) std::this_thread::sleep_for(1ms);
    CHECK(gone.error().find("cannot open") != std::string::npos);
  }
}

TEST_CASE("the loader on the calling thread (the web page's) is done when constructed, with the same results",
          "[viz]") {
  using On = viz::TraceLoader::On;
  viz::TraceLoader here(kSource + "/traces/read-before-data.trace.json", On::callingThread);
  REQUIRE(here.done());  // no waiting: nothing ran elsewhere
  REQUIRE(here.error().empty());
  viz::TraceLoader there(kSource + "/traces/read-before-data.trace.json");
  while (!there.done()) std::this_thread::sleep_for(1ms);
  auto a = here.takeDocument(), b = there.takeDocument();
  REQUIRE(a.trace);
  CHECK(a.trace->events.size() == b.trace->events.size());
  CHECK(a.sequence->rowCount() == b.sequence->rowCount());
  viz::TraceLoader gone(kSource + "/traces/no-such-file.json", On::callingThread);
  REQUIRE(gone.done());
  CHECK(gone.error().find("cannot open") != std::string::npos);
}

TEST_CASE("wake links join netpoll's wake-up to the goroutine's resume", "[viz]") {
  auto t = golden("read-before-data");
  viz::SequenceLayout L(t);
  auto links = L.wakeLinks(t.events.size(), 0, L.rowCount());
  REQUIRE(links.size() >= 2);
  for (const auto& w : links) {
    const auto& id = L.lifelines()[w.lifeline].id;
    INFO(id << " rows " << w.fromRow << ".." << w.toRow);
    CHECK(L.text(L.row(w.fromRow)) == "netpollready: " + id + " runnable");
    CHECK(L.row(w.toRow).type() == analysis::SeqItem::Type::deactivate);
    CHECK(L.text(L.row(w.toRow - 1)) == "run " + id);
    CHECK(w.fromRow < w.toRow);
    // Not shown before the goroutine has resumed.
    CHECK(L.wakeLinks(L.row(w.toRow).event, 0, L.rowCount()).size() < links.size());
  }
}

TEST_CASE("every recorded site's source is built in, and its function is found", "[viz]") {
  std::set<std::pair<std::string, int>> seen;
  size_t checked = 0;
  for (const char* name : {"read-before-data", "event-while-wait", "read-deadline", "netpoll-break", "echo"}) {
    auto t = golden(name);
    for (const auto& e : t.events) {
      if (!e.site || !seen.insert({e.site->file, e.site->line}).second) continue;
      INFO(e.site->file << ":" << e.site->line << " " << e.site->cppFunc);
      auto ex = viz::functionAround(e.site->file, e.site->line);
      REQUIRE(ex);
      REQUIRE(ex->focusLine >= ex->firstLine);
      REQUIRE(ex->focusLine < ex->firstLine + static_cast<int>(ex->lines.size()));
      // The excerpt is the file's own text at those lines...
      auto text = viz::engineSource(e.site->file);
      REQUIRE(text);
      CHECK(text->find(ex->lines[static_cast<size_t>(ex->focusLine - ex->firstLine)]) != std::string_view::npos);
      // ...and starts at the signature of the C++ function the site names.
      std::string head;
      for (int i = 0; i <= ex->focusLine - ex->firstLine; ++i) head += ex->lines[static_cast<size_t>(i)] + "\n";
      CHECK(head.find(e.site->cppFunc) != std::string::npos);
      ++checked;
    }
  }
  CHECK(checked > 40);
  CHECK_FALSE(viz::functionAround("core/no/such.cpp", 3));
}

TEST_CASE("a lesson with a mistake says where", "[viz][lesson]") {
  std::string dir = tempDir();
  auto write = [&](const std::string& body) {
    std::ofstream(dir + "/bad.lesson.json") << body;
    viz::Lesson l;
    std::string err;
    CHECK_FALSE(viz::loadLesson(dir + "/bad.lesson.json", &l, &err));
    return err;
  };
  CHECK(write("{\"format\":\"x\"}").find("not a lesson") != std::string::npos);
  CHECK(
      write(
          R"({"format":"pollscope-lesson","version":1,"title":"t","slides":[{"scenario":"echo","title":"a","text":"b","at":{"kind":"nope"}}]})")
          .find("slides[0]: unknown event kind \"nope\"") != std::string::npos);
  CHECK(
      write(
          R"({"format":"pollscope-lesson","version":1,"title":"t","slides":[{"scenario":"echo","title":"a","text":"b","at":{"kind":"sem","by":"sideways"}}]})")
          .find("\"by\" has no value \"sideways\"") != std::string::npos);
  CHECK(write("{\"format\":").find("bad.lesson.json") != std::string::npos);
  // An anchor the run does not have is reported, not guessed.
  viz::Anchor a;
  a.where = viz::Anchor::Where::event;
  a.kind = trace::Kind::throw_;
  a.describe = "a throw";
  std::string err;
  CHECK_FALSE(viz::resolveAnchor(golden("echo"), a, &err));
  CHECK(err.find("no event matches a throw") != std::string::npos);
}

TEST_CASE("a background load cancelled at once ends as cancelled, with nothing adopted", "[viz]") {
  viz::TraceLoader loader(kSource + "/traces/ping-pong-loop.trace.json");  // 2 MB: milliseconds of work
  loader.cancel();
  while (!loader.done()) std::this_thread::sleep_for(1ms);
  CHECK(loader.error() == "cancelled");
  CHECK_FALSE(loader.takeDocument().trace);
}

// Issue #18: a slide text of 20,000 characters aborted the viewer on ImGui's 16-bit vertex
// index assertion (and 10 MB used 1 GB first). Texts are cut when the lesson is read, at a
// character boundary, and the cut says so.
TEST_CASE("a lesson's long texts are cut when read, at a character boundary", "[viz][lesson]") {
  std::string dir = tempDir();
  for (size_t n : {size_t{20000}, size_t{10} << 20}) {
    INFO(n);
    std::string en(n, 'x'), zh;
    while (zh.size() < std::min(n, size_t{1} << 20)) zh += "挂起";  // the file stays under 16 MiB
    std::ofstream(dir + "/long.lesson.json")
        << R"({"format":"pollscope-lesson","version":1,"title":"t","slides":[{"scenario":"echo","title":"a","text":{"en":")"
        << en << R"(","zh":")" << zh << R"("}}]})";
    viz::Lesson l;
    std::string err;
    REQUIRE(viz::loadLesson(dir + "/long.lesson.json", &l, &err));
    for (const std::string* t : {&l.slides[0].text.en, &l.slides[0].text.zh}) {
      CHECK(t->size() < 4200);
      CHECK(t->find("[... cut: ") != std::string::npos);
      size_t body = t->find(" [... cut");
      CHECK((body % 3 == 0 || t == &l.slides[0].text.en));  // whole 3-byte characters only
    }
  }
}

// nth was read with get<int>: 1e10 wrapped around. A slide naming a goroutine the run does
// not have says that (it used to say only "no event matches").
TEST_CASE("a slide's nth is bounded and an unknown goroutine is named", "[viz][lesson]") {
  std::string dir = tempDir();
  std::ofstream(dir + "/nth.lesson.json")
      << R"({"format":"pollscope-lesson","version":1,"title":"t","slides":[{"scenario":"echo","title":"a","text":"b","at":{"kind":"sem","nth":10000000000}}]})";
  viz::Lesson l;
  std::string err;
  CHECK_FALSE(viz::loadLesson(dir + "/nth.lesson.json", &l, &err));
  CHECK(err.find("\"nth\" must be 1..1000000") != std::string::npos);

  viz::Anchor a;
  a.where = viz::Anchor::Where::event;
  a.kind = trace::Kind::sem;
  a.goroutine = "nobody";
  a.describe = "a sem of nobody";
  CHECK_FALSE(viz::resolveAnchor(golden("echo"), a, &err));
  CHECK(err.find("no goroutine in this run is named \"nobody\"") != std::string::npos);
}
