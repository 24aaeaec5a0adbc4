// The Viewer without ImGui: its vocabulary tables (views, languages, themes)
// and the methods every toggle and the live run's free run go through.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "model/export_view.hpp"
#include "model/live_run.hpp"
#include "model/viewer.hpp"
#include "scenario/scenario.hpp"

using namespace pollscope;
using namespace std::chrono_literals;

namespace {
const std::string kSource = POLLSCOPE_SOURCE_DIR;
const std::string kTrace = kSource + "/traces/read-before-data.trace.json";
}  // namespace

TEST_CASE("every view is found by its name and exports what its row says", "[viz][tables]") {
  viz::Viewer v;
  std::string err;
  REQUIRE(v.loadNow(kTrace, &err));
  v.seek(100);
  std::set<std::string> files;
  for (const auto& row : viz::kViews) {
    CAPTURE(row.name);
    REQUIRE(viz::viewNamed(row.name) == row.view);
    CHECK(&viz::viewInfo(row.view) == &row);
    v.view = row.view;
    auto x = viz::exportCurrentView(v);
    REQUIRE_FALSE(x.parts.empty());
    CHECK(x.extension == (row.exportAs == viz::ViewExportKind::chromeTrace ? ".json" : ".mmd"));
    std::string path = viz::defaultExportPath(v, x);
    CHECK(path.find(std::string("-") + row.exportSuffix + x.extension) != std::string::npos);
    files.insert(path);
  }
  CHECK_FALSE(viz::viewNamed("sideways"));
  CHECK(viz::viewNamesInWords() == "sequence, state, timeline or table");
  CHECK(files.size() == 3);  // timeline and table both save a Perfetto trace
}

TEST_CASE("a lesson slide names its view by the views table", "[viz][tables][lesson]") {
  auto dir = std::filesystem::temp_directory_path() / "pollscope-viz-viewer-test";
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& view) {
    std::ofstream(dir / "v.lesson.json")
        << R"({"format":"pollscope-lesson","version":1,"title":"t","slides":[{"scenario":"echo","title":"a","text":"b","view":")"
        << view << R"(","at":{"kind":"sem"}}]})";
    viz::Lesson l;
    std::string err;
    bool ok = viz::loadLesson((dir / "v.lesson.json").string(), &l, &err);
    return ok ? std::string("ok") : err;
  };
  for (const auto& row : viz::kViews) CHECK(write(row.name) == "ok");
  CHECK(write("sideways").find("\"view\" must be sequence, state, timeline or table") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("the language table agrees with the engine's own language codes", "[viz][tables]") {
  std::set<analysis::Lang> seen;
  auto l = viz::kLanguages[0].lang;
  for (const auto& row : viz::kLanguages) {
    CAPTURE(row.code);
    analysis::Lang parsed{};
    REQUIRE(analysis::parseLang(row.code, &parsed));
    CHECK(parsed == row.lang);
    CHECK(viz::languageCoded(row.code) == row.lang);
    CHECK(!row.menu.has_value() == (&row == &viz::kLanguages[0]));  // only the default has no toggle
    seen.insert(l);
    l = viz::nextLanguage(l);  // L visits every language, then comes back
  }
  CHECK(seen.size() == std::size(viz::kLanguages));
  CHECK(l == viz::kLanguages[0].lang);
  CHECK_FALSE(viz::languageCoded("fr"));
}

TEST_CASE("the theme key visits every theme", "[viz][tables]") {
  auto t = viz::kThemes[0].theme;
  std::set<viz::Theme> seen;
  for (const auto& row : viz::kThemes) {
    CHECK(viz::themeCoded(row.code) == row.theme);
    seen.insert(t);
    t = viz::nextTheme(t);
  }
  CHECK(seen.size() == std::size(viz::kThemes));
  CHECK(t == viz::kThemes[0].theme);
}

TEST_CASE("each toggle keeps what depends on it consistent", "[viz][toggles]") {
  viz::Viewer v;
  std::string err;
  REQUIRE(v.loadNow(kTrace, &err));
  std::string titleEn = v.title;

  // The app clears its flags after each rebuild; every change must raise them again.
  v.fontsDirty = v.themeDirty = false;
  v.togglePresenter();
  CHECK(v.presenter());
  CHECK(v.fontsDirty);  // the presenter's fonts are larger
  v.fontsDirty = false;
  v.setPresenter(true);
  CHECK_FALSE(v.fontsDirty);  // no change, no rebuild

  v.toggleTheme();
  CHECK(v.theme() == viz::Theme::light);
  CHECK(v.themeDirty);
  CHECK_FALSE(v.fontsDirty);

  v.toggleLanguage();
  CHECK(v.chinese());
  CHECK(v.fontsDirty);  // the atlas needs this trace's Chinese glyphs
  CHECK(v.title != titleEn);
  CHECK(v.title == v.trace->meta.titleZh);
  v.toggleLanguage();
  CHECK(v.lang() == analysis::Lang::en);
  CHECK(v.title == titleEn);

  v.fontsDirty = false;
  for (int i = 0; i < 40; ++i) v.largerText();
  CHECK(v.fontScale() == viz::Viewer::kMaxFontScale);
  CHECK(v.fontsDirty);
  for (int i = 0; i < 40; ++i) v.smallerText();
  CHECK(v.fontScale() == viz::Viewer::kMinFontScale);
  v.setFontScale(1.f);
  CHECK(v.fontScale() == 1.f);

  CHECK_FALSE(v.showCode());
  v.toggleCode();
  CHECK(v.showCode());
  CHECK(v.followCursor());
  v.toggleFollowCursor();
  CHECK_FALSE(v.followCursor());
}

TEST_CASE("the live run's free run is set in one place and outlasts the run", "[viz][live][toggles]") {
  scenario::Scenario s;
  std::string err;
  REQUIRE(scenario::loadScenarioFile(kSource + "/scenarios/read-before-data.json", &s, &err));
  viz::Viewer v;
  CHECK(std::string(v.liveState()) == "no live run");
  v.startLive(s);
  REQUIRE(v.live);
  CHECK_FALSE(v.liveFreeRun());
  CHECK(v.live->gate().paused());  // stops after every event
  for (auto until = std::chrono::steady_clock::now() + 10s;
       v.live->gate().waiting() == 0 && std::chrono::steady_clock::now() < until;)
    std::this_thread::sleep_for(1ms);
  CHECK(std::string(v.liveState()) == "engine stopped at an event");

  v.setLiveFreeRun(true);
  CHECK(v.liveFreeRun());
  CHECK_FALSE(v.live->gate().paused());
  v.setLiveFreeRun(false);
  CHECK(v.live->gate().paused());

  // The choice is the viewer's, not the run's: the next run starts as it says.
  v.setLiveFreeRun(true);
  v.startLive(s);
  CHECK(v.liveFreeRun());
  CHECK_FALSE(v.live->gate().paused());
  for (auto until = std::chrono::steady_clock::now() + 20s;
       !v.live->finished() && std::chrono::steady_clock::now() < until;)
    std::this_thread::sleep_for(1ms);
  CHECK(std::string(v.liveState()) == "finished");
  v.live.reset();
  v.setLiveFreeRun(false);  // no run: only the choice changes
  CHECK_FALSE(v.liveFreeRun());
}

TEST_CASE("the views' and the player's settings change through the viewer", "[viz][toggles]") {
  viz::Viewer v;
  std::string err;
  REQUIRE(v.loadNow(kTrace, &err));

  // A request for a tab is met once the tab bar shows it, not before.
  v.requestView(viz::View::state);
  v.showingView(viz::View::sequence);
  CHECK(v.requestedView == viz::View::state);
  v.showingView(viz::View::state);
  CHECK(v.view == viz::View::state);
  CHECK_FALSE(v.requestedView);

  v.requestOpenDialog();
  CHECK(v.takeOpenDialogRequest());
  CHECK_FALSE(v.takeOpenDialogRequest());

  v.setZoom(100.f);
  CHECK(v.zoom == viz::Viewer::kMaxZoom);
  v.toggleGroup(1);
  CHECK(v.collapsedGroups.count(1) == 1);
  v.toggleGroup(1);
  CHECK(v.collapsedGroups.empty());

  CHECK_FALSE(v.timeline);
  const auto& lanes = v.timelineLanes();
  CHECK_FALSE(lanes.empty());
  CHECK(&v.timelineLanes() == &lanes);  // built once

  // Real time owes the player nanoseconds, event time owes it events: switching
  // must not turn a second of trace time into a burst of a billion steps.
  v.setRealTime(true);
  v.playAccumulator = 5e8;
  v.setRealTime(false);
  CHECK(v.playAccumulator == 0);
  v.seek(0);
  v.playing = true;
  v.setSpeed(4.f);
  v.update(0.5);  // half a second at 4 events per second
  CHECK(v.replay->cursor() == 2);

  v.addBreakpoint({viz::Breakpoint::On::kind, static_cast<int>(trace::Kind::sem), true});
  v.setBreakpointEnabled(0, false);
  CHECK_FALSE(v.breakpoints[0].enabled);
  v.removeBreakpoint(0);
  v.removeBreakpoint(0);  // nothing left: nothing happens
  CHECK(v.breakpoints.empty());
}
