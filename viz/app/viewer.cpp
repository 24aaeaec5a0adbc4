#include "app/viewer.hpp"

#include <imgui.h>

#include <fstream>

#include "scenario/scenario.hpp"
#include "trace/vocabulary.hpp"
#include "traceio/json.hpp"
#include "views/views.hpp"

namespace pollscope::viz {

bool Viewer::load(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": cannot open file";
    return false;
  }
  std::string head(256, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  if (head.find("pollscope-scenario") != std::string::npos) {
    scenario::Scenario s;
    if (!scenario::loadScenarioFile(path, &s, error)) return false;
    if (s.serve) {
      *error = path + ": a serving scenario needs real clients; run it with `pollscope run --listen`";
      return false;
    }
    auto r = scenario::runScenario(s);
    auto t = std::make_unique<traceio::TraceModel>(std::move(r.trace));
    adopt(std::move(t), s.name);
    return true;
  }
  auto t = std::make_unique<traceio::TraceModel>();
  if (!traceio::readTraceFile(path, t.get(), error)) return false;
  adopt(std::move(t), path);
  return true;
}

void Viewer::adopt(std::unique_ptr<traceio::TraceModel> t, std::string name) {
  trace = std::move(t);
  title = trace->meta.titleEn.empty() ? name : trace->meta.titleEn;
  replay = std::make_unique<Replay>(*trace);
  timeline.reset();
  std::vector<size_t> all(trace->events.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  sequence = std::make_unique<SequenceLayout>(analysis::buildSequence(*trace, all, analysis::SeqLevel::user));
  selectDefaults();
}

void Viewer::selectDefaults() {
  for (const auto& e : trace->events)
    if (e.kind == trace::Kind::sem && e.a[5] == static_cast<int64_t>(trace::SemBy::blockCommit)) {
      selection.pd = e.a[0];
      selection.mode = static_cast<char>(e.a[2]);
      selection.goroutine = e.a[7];
      return;
    }
}

void Viewer::tick(double dt) {
  if (!playing || !replay) return;
  playAccumulator += dt * speed;
  while (playAccumulator >= 1.0) {
    playAccumulator -= 1.0;
    if (!replay->stepForward()) {
      playing = false;
      break;
    }
  }
}

void drawViewer(Viewer& v, float width, float height) {
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(width, height));
  ImGui::Begin("pollscope", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoBringToFrontOnFocus);
  if (!v.trace) {
    ImGui::TextUnformatted("No trace loaded. Start with: pollscope-gui TRACE.json | SCENARIO.json");
    ImGui::End();
    return;
  }
  drawPlayerBar(v);
  ImGui::Separator();
  if (ImGui::BeginTabBar("views")) {
    auto tab = [&](const char* label, View view) {
      ImGuiTabItemFlags flags = v.requestedView == view ? ImGuiTabItemFlags_SetSelected : 0;
      if (ImGui::BeginTabItem(label, nullptr, flags)) {
        v.view = view;
        ImGui::EndTabItem();
      }
    };
    tab("Sequence", View::sequence);
    tab("State", View::state);
    tab("Timeline", View::timeline);
    tab("Events", View::table);
    ImGui::EndTabBar();
    if (v.requestedView && v.view == *v.requestedView) v.requestedView.reset();
  }
  switch (v.view) {
    case View::sequence: drawSequenceView(v); break;
    case View::state: drawStateView(v); break;
    case View::timeline: drawTimelineView(v); break;
    case View::table: drawTableView(v); break;
  }
  ImGui::End();
}

}  // namespace pollscope::viz
