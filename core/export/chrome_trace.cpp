// Trace -> Chrome trace event JSON (chrome://tracing, ui.perfetto.dev).
//
// Tracks: one per goroutine (pid 1, tid = goroutine id) with running / runnable /
// waiting slices; one per M (pid 2, tid = M id) with netpoll slices and an
// instant for each kernel event; rg/wg transitions are instants on the goroutine
// track (or the M track when g0 made them). A flow arrow (bind_id, flow_out on
// the netpoll_ready instant, flow_in on the next "running" slice) links each
// netpoll wakeup to the goroutine it resumes.
#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "export/export.hpp"
#include "export/selection.hpp"
#include "trace/fields.hpp"

namespace pollscope::exporting {
using nlohmann::ordered_json;
using trace::FieldType;
using trace::Kind;

namespace {
constexpr int kGoroutinePid = 1;
constexpr int kMPid = 2;

double us(int64_t ns) {
  return static_cast<double>(ns) / 1000.0;
}

ordered_json argsOf(const trace::Event& e) {
  ordered_json args = ordered_json::object();
  for (trace::FieldValue f : trace::fieldsOf(e)) args[f.spec.name] = trace::formatValue(f.spec.type, f.raw);
  args["seq"] = e.seq;
  if (e.site) args["site"] = fmt::format("{}:{} ({})", e.site->file, e.site->line, e.site->goFunc);
  return args;
}
}  // namespace

std::string chromeTrace(const traceio::TraceModel& t, const Filter& f) {
  auto events = select(t, f);
  // Each trace event is written out as soon as it is made, one per line: the document is
  // never held as a JSON tree too (a million events used to peak at 1.6 GB that way).
  std::string text = "{\"traceEvents\":[\n";
  bool firstEvent = true;
  auto emit = [&](const ordered_json& ev) {
    if (!firstEvent) text += ",\n";
    firstEvent = false;
    text += ev.dump();
  };
  auto meta = [&](int pid, int64_t tid, const std::string& what, const std::string& name) {
    emit({{"ph", "M"}, {"pid", pid}, {"tid", tid}, {"name", what}, {"args", {{"name", name}}}});
  };
  meta(kGoroutinePid, 0, "process_name", "goroutines");
  meta(kMPid, 0, "process_name", "Ms (OS threads)");

  struct Open {
    std::string state;
    int64_t since;
  };
  std::map<int64_t, Open> gState;        // the slice each goroutine is in
  std::map<int64_t, uint64_t> flowTo;    // goroutine -> flow id waiting for its next run
  std::map<int16_t, int64_t> pollSince;  // M -> netpoll start
  uint64_t nextFlow = 1;
  int64_t lastTs = 0;
  auto closeSlice = [&](int64_t g, int64_t ts) {
    auto it = gState.find(g);
    if (it == gState.end()) return;
    if (ts > it->second.since || it->second.state == "running") {
      ordered_json slice = {{"ph", "X"},
                            {"pid", kGoroutinePid},
                            {"tid", g},
                            {"name", it->second.state},
                            {"cat", "goroutine"},
                            {"ts", us(it->second.since)},
                            {"dur", us(std::max<int64_t>(ts - it->second.since, 0))}};
      emit(slice);
    }
    gState.erase(it);
  };
  // The goroutines the selection mentions, found in one pass (not one pass per goroutine:
  // 20,000 goroutines took 31 s that way).
  std::set<int64_t> mentioned;
  for (const trace::Event* e : events)
    for (int64_t g : goroutinesOf(*e)) mentioned.insert(g);
  for (const auto& [id, name] : t.goroutines)
    if (mentioned.count(id)) meta(kGoroutinePid, id, "thread_name", fmt::format("G{} {}", id, name));
  std::set<int16_t> ms;
  for (const trace::Event* e : events) {
    const auto& ev = *e;
    lastTs = ev.ts;
    if (ev.m >= 0 && ms.insert(ev.m).second) meta(kMPid, ev.m, "thread_name", fmt::format("M{}", ev.m));
    switch (ev.kind) {
      case Kind::gStatus: {
        const trace::View<Kind::gStatus> gs{ev};
        int64_t g = gs.goid();
        closeSlice(g, ev.ts);
        auto to = gs.to();
        if (to == trace::GStatus::Gdead) break;
        std::string state = to == trace::GStatus::Grunning    ? "running"
                            : to == trace::GStatus::Grunnable ? "runnable"
                            : to == trace::GStatus::Gwaiting  ? fmt::format("waiting ({})", trace::name(gs.reason()))
                                                              : "idle";
        gState[g] = {state, ev.ts};
        if (to == trace::GStatus::Grunning) {
          auto fl = flowTo.find(g);
          if (fl != flowTo.end()) {
            // The arrow's head: a zero-length marker at the start of the running slice.
            emit({{"ph", "X"},
                  {"pid", kGoroutinePid},
                  {"tid", g},
                  {"name", "resumed by netpoll"},
                  {"cat", "flow"},
                  {"ts", us(ev.ts)},
                  {"dur", 0},
                  {"bind_id", fl->second},
                  {"flow_in", true}});
            flowTo.erase(fl);
          }
        }
        break;
      }
      case Kind::pollEnter:
        if (ev.m >= 0) pollSince[ev.m] = ev.ts;
        break;
      case Kind::pollExit: {
        auto it = pollSince.find(ev.m);
        if (it == pollSince.end()) break;
        emit({{"ph", "X"},
              {"pid", kMPid},
              {"tid", ev.m},
              {"name", fmt::format("netpoll ({})", trace::name(trace::View<Kind::pollExit>(ev).caller()))},
              {"cat", "netpoll"},
              {"ts", us(it->second)},
              {"dur", us(ev.ts - it->second)},
              {"args", argsOf(ev)}});
        pollSince.erase(it);
        break;
      }
      case Kind::netpollReady: {
        const trace::View<Kind::netpollReady> ready{ev};
        for (int64_t g : {ready.rgG(), ready.wgG()}) {
          if (!g) continue;
          uint64_t id = nextFlow++;
          flowTo[g] = id;
          emit({{"ph", "X"},
                {"pid", kMPid},
                {"tid", std::max<int16_t>(ev.m, 0)},
                {"name", fmt::format("netpollready G{}", g)},
                {"cat", "flow"},
                {"ts", us(ev.ts)},
                {"dur", 0},
                {"bind_id", id},
                {"flow_out", true},
                {"args", argsOf(ev)}});
        }
        break;
      }
      case Kind::sem: {
        const trace::View<Kind::sem> s{ev};
        std::string name = fmt::format("pd{}.{} {}→{}", s.pd(), s.mode() == trace::Mode::w ? "wg" : "rg",
                                       trace::name(s.from()), trace::name(s.to()));
        bool onG = ev.g != 0;
        emit({{"ph", "i"},
              {"s", "t"},
              {"pid", onG ? kGoroutinePid : kMPid},
              {"tid", onG ? ev.g : std::max<int16_t>(ev.m, 0)},
              {"name", name},
              {"cat", "rg/wg"},
              {"ts", us(ev.ts)},
              {"args", argsOf(ev)}});
        break;
      }
      case Kind::hook:  // arranged by the scenario: its own category, so a view can tell it apart
      case Kind::ready:
      case Kind::evict:
      case Kind::timer:
      case Kind::mp:
        emit({{"ph", "i"},
              {"s", "t"},
              {"pid", kMPid},
              {"tid", std::max<int16_t>(ev.m, 0)},
              {"name", trace::kindSpec(ev.kind).name},
              {"cat", ev.kind == Kind::hook ? "arranged" : "sched"},
              {"ts", us(ev.ts)},
              {"args", argsOf(ev)}});
        break;
      case Kind::pollEvent:
      case Kind::deadlineFire:
      case Kind::netpollBreak:
      case Kind::breakConsume:
        emit({{"ph", "i"},
              {"s", "t"},
              {"pid", kMPid},
              {"tid", std::max<int16_t>(ev.m, 0)},
              {"name", trace::kindSpec(ev.kind).name},
              {"cat", "kernel"},
              {"ts", us(ev.ts)},
              {"args", argsOf(ev)}});
        break;
      default: break;
    }
  }
  for (auto& [g, open] : std::map<int64_t, Open>(gState)) closeSlice(g, lastTs);
  ordered_json metadata = {{"source", "pollscope"},
                           {"scenario", t.meta.scenario},
                           {"backend", t.meta.backend},
                           {"gomaxprocs", t.meta.gomaxprocs}};
  text += "\n],\n\"displayTimeUnit\":\"ns\",\n\"metadata\":" + metadata.dump() + "}\n";
  return text;
}

}  // namespace pollscope::exporting
