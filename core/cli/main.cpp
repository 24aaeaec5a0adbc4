// pollscope: run scenarios on the engine and inspect traces.
//   pollscope run SCENARIO.json -o TRACE.json [--gomaxprocs N] [--ring N] [--explain]
//                 [--listen ADDR [--no-trace | --stream [--max-trace-size SIZE]]]
//   pollscope info TRACE.json
//   pollscope lint TRACE.json
//   pollscope explain TRACE.json [--lang en|zh] [--all]
//   pollscope export mermaid-sequence|mermaid-state|mermaid-flow|chrome TRACE.json -o OUT|- [filters]
//   pollscope export mermaid-sequence --article SECTION|list [-o OUT] [--lang zh]
//   pollscope schema [--scenario]
//   pollscope go SCENARIO.json [-o prog.go] | --list
//   pollscope compare-go SCENARIO.json [--json] [--work DIR] [--go-runs N]
#include <fcntl.h>
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "analysis/explain.hpp"
#include "analysis/info.hpp"
#include "analysis/lint.hpp"
#include "cli/article_command.hpp"
#include "cli/go_command.hpp"
#include "export/article.hpp"
#include "export/export.hpp"
#include "platform/platform.hpp"
#include "scenario/scenario.hpp"
#include "scenario/schema.hpp"
#include "trace/atomic_file.hpp"
#include "traceio/json.hpp"
#include "traceio/schema.hpp"
#include "traceio/trace_stream.hpp"

using namespace pollscope;

namespace {
int fail(const std::string& msg, int code = 1) {
  std::fprintf(stderr, "pollscope: %s\n", msg.c_str());
  return code;
}

bool loadTrace(const std::string& path, traceio::TraceModel* t, std::string* err) {
  if (!traceio::readTraceFile(path, t, err)) return false;
  if (!t->meta.cut.empty()) std::fprintf(stderr, "pollscope: warning: %s: %s\n", path.c_str(), t->meta.cut.c_str());
  return true;
}

// Serving real peers: SIGINT/SIGTERM are taken by a thread that writes one byte
// to a pipe; a goroutine parked on that pipe (through the poller, like any socket)
// then closes every connection and the listeners, so the run ends and the trace is
// written. A second signal does not wait for that: it writes the trace recorded so
// far (marked partial) and exits at once (128 + the signal, as a shell reports it).
// A streamed trace is closed where it is (its tables and the reason), not rewritten.
struct StopSignal {
  int pipeFds[2] = {-1, -1};
  std::thread waiter;

  bool start(scenario::RunControl* control, std::string out, bool streaming) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    // Blocked here, before any runtime thread exists, so every thread inherits it.
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    if (platform::pipeNonblockCloexec(pipeFds) != 0) return false;
    int wfd = pipeFds[1];
    waiter = std::thread([set, wfd, control, out = std::move(out), streaming] {
      for (int count = 1;; ++count) {
        int sig = 0;
        sigwait(&set, &sig);
        const char* name = sig == SIGINT ? "SIGINT" : "SIGTERM";
        if (count == 1) {
          std::fprintf(stderr, "\npollscope: %s received, stopping and writing the trace (again to exit now)...\n",
                       name);
          char b = 1;
          (void)!write(wfd, &b, 1);
          continue;
        }
        traceio::TraceModel t;
        if (!control->snapshot(std::string("stopped by a second ") + name, &t)) {
          // The run has ended and the trace is being written: a third signal exits unwritten.
          if (count == 2) {
            std::fprintf(stderr, "pollscope: the run has stopped; writing the trace (again to exit without it)\n");
            continue;
          }
          std::_Exit(128 + sig);
        }
        std::string err;
        if (out.empty())
          std::fprintf(stderr, "pollscope: second %s: exiting now\n", name);
        else if (streaming)
          std::fprintf(stderr, "pollscope: second %s: closed the streamed trace %s (partial); exiting now\n", name,
                       out.c_str());
        else if (traceio::writeTraceFile(out, t, &err))
          std::fprintf(stderr, "pollscope: second %s: wrote %zu events (partial) to %s; exiting now\n", name,
                       t.events.size(), out.c_str());
        else
          std::fprintf(stderr, "pollscope: second %s: %s\n", name, err.c_str());
        std::_Exit(128 + sig);
      }
    });
    waiter.detach();  // it may never see a signal; the process exit ends it
    return true;
  }
};

// "tcp://127.0.0.1:8080" -> is the host a loopback address (or a Unix socket)?
bool isLoopback(const std::string& bound) {
  auto scheme = bound.find("://");
  if (scheme == std::string::npos) return false;
  if (bound.compare(0, 4, "unix") == 0) return true;
  std::string host = bound.substr(scheme + 3);
  auto colon = host.rfind(':');
  if (colon != std::string::npos) host = host.substr(0, colon);
  return host.rfind("127.", 0) == 0 || host == "[::1]" || host == "localhost" || host == "[::ffff:127.0.0.1]";
}

// Go raises the soft limit on open files to the hard one at start-up (os package,
// since Go 1.19); a server needs it, one descriptor per client.
void raiseOpenFileLimit() {
  rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

bool writeFile(const std::string& path, const std::string& text, std::string* err) {
  return trace::writeFileAtomically(
      path, [&](std::ostream& out) { return static_cast<bool>(out << text); }, err);
}

// Writes an export's parts: one part to OUT (or stdout), several to OUT.1.ext,
// OUT.2.ext, ... as they come (the first is held until a second shows it is not alone).
struct PartWriter {
  PartWriter(std::string to, std::string in) : out(std::move(to)), input(std::move(in)) {}
  std::string out;    // "": stdout, which takes one part only
  std::string input;  // the trace being exported: never overwritten
  size_t count = 0;
  std::string first, err;
  int errCode = 1;

  bool write(const std::string& path, const std::string& text) {
    if (!input.empty() && trace::sameFile(path, input)) {
      err = fmt::format("-o {}: {} would replace the trace being exported", out, path);
      errCode = 2;
      return false;
    }
    return writeFile(path, text, &err);
  }

  std::string pathOf(size_t i) const {  // out.mmd -> out.1.mmd
    auto dot = out.rfind('.');
    if (dot != std::string::npos && out.find('/', dot) != std::string::npos) dot = std::string::npos;
    return dot == std::string::npos ? out + "." + std::to_string(i)
                                    : out.substr(0, dot) + "." + std::to_string(i) + out.substr(dot);
  }
  void add(std::string&& p) {
    if (++count == 1) {
      first = std::move(p);
      return;
    }
    if (out.empty() || !err.empty()) return;  // stdout: only counted, refused in finish()
    if (count == 2 && !write(pathOf(1), first)) return;
    if (count == 2) std::string().swap(first);
    write(pathOf(count), p);
  }
  int finish() {
    if (!err.empty()) return fail(err, errCode);
    if (out.empty()) {
      if (count > 1) return fail("the diagram needs " + std::to_string(count) + " parts; give -o FILE", 2);
      std::cout << first;
      return 0;
    }
    if (count == 1) {
      if (!write(out, first)) return fail(err, errCode);
      std::fprintf(stderr, "pollscope: wrote %s\n", out.c_str());
      return 0;
    }
    std::fprintf(stderr,
                 "pollscope: the diagram is larger than Mermaid's 50,000-character limit, so it was split into %zu "
                 "parts: %s .. %s\n",
                 count, pathOf(1).c_str(), pathOf(count).c_str());
    return 0;
  }
};

struct ExportArgs {
  std::string format, trace, out, goroutines, fds, range, steps, level = "user", lang = "en", machine = "semaphore";
  int64_t pd = 0;
  std::string article, argv0, mode;
};

int cmdExport(const ExportArgs& a) {
  traceio::TraceModel t;
  std::string err;
  exporting::StoryOptions story;
  std::string level = a.level;
  if (!a.article.empty()) {
    // --article SECTION: the scenario that reproduces it, drawn at the story level.
    std::string dir = cli::findScenarioDir(a.argv0);
    if (dir.empty()) return fail("cannot find the scenarios/ folder; set POLLSCOPE_SCENARIOS=DIR", 2);
    if (a.article == "list") {
      std::cout << cli::articleList(dir);
      return 0;
    }
    if (a.format != "mermaid-sequence") return fail("--article draws sequence diagrams: use mermaid-sequence", 2);
    if (!a.trace.empty()) return fail("give either a trace file or --article, not both", 2);
    std::string name;
    if (!cli::articleTrace(a.article, dir, &t, &name, &err)) return fail(err, 2);
    story = exporting::findArticleDiagram(a.article)->options();
    level = "story";
  } else if (a.trace.empty()) {
    return fail("give a trace file (or --article SECTION)", 2);
  } else if (!traceio::readTraceFile(a.trace, &t, &err)) {
    return fail(err);
  }
  exporting::Filter f;
  if (!a.goroutines.empty() && !(err = exporting::parseGoroutineList(a.goroutines, &f)).empty()) return fail(err, 2);
  if (!a.fds.empty() && !(err = exporting::parseFdList(a.fds, &f)).empty()) return fail(err, 2);
  if (!a.range.empty() && !(err = exporting::parseRange(a.range, &f.fromSeq, &f.toSeq)).empty())
    return fail("--range: " + err, 2);
  if (!a.steps.empty() && !(err = exporting::parseStepRange(a.steps, &f)).empty()) return fail(err, 2);
  if (!(err = exporting::validateFilter(t, f)).empty()) return fail(err, 2);
  // "the filters select no ..." only when there are filters; else the trace has none.
  bool filtered = !a.goroutines.empty() || !a.fds.empty() || !a.range.empty() || !a.steps.empty();
  auto nothingSelected = [&](const std::string& what) {
    return filtered ? "the filters select no " + what : "the trace has no " + what;
  };
  bool toStdout = a.out.empty() || a.out == "-";
  std::vector<std::string> parts;
  if (a.format == "mermaid-sequence") {
    if (level != "user" && level != "runtime" && level != "story")
      return fail("--level must be user, runtime or story", 2);
    if (a.lang != "en" && a.lang != "zh") return fail("--lang must be en or zh", 2);
    story.zh = a.lang == "zh";
    if (level == "story") {
      parts.push_back(exporting::mermaidStory(t, f, story));
      if (parts[0].find("->>") == std::string::npos)
        return fail(
            "the story level draws network calls (Read, Write, Accept...) and the selection has none; "
            "try --level user",
            2);
    } else {
      // Parts are written as they are made: a huge trace's diagram is never all in memory.
      PartWriter w(toStdout ? "" : a.out, a.trace);
      exporting::mermaidSequence(t, f, level == "user" ? exporting::Level::user : exporting::Level::runtime,
                                 a.lang == "zh", [&](std::string&& p) { w.add(std::move(p)); });
      // A diagram with nothing but its header: nothing was selected (or there is nothing to draw).
      if (w.count == 1 && w.first.find("->>") == std::string::npos && w.first.find("Note over") == std::string::npos)
        return fail(nothingSelected("events to draw at --level " + level), 2);
      return w.finish();
    }
  } else if (a.format == "mermaid-state") {
    if (a.machine != "semaphore" && a.machine != "goroutine")
      return fail("--machine must be semaphore or goroutine", 2);
    std::optional<int64_t> pd;
    if (a.pd) pd = a.pd;
    std::optional<trace::Mode> mode;
    if (!a.mode.empty() && a.mode != "r" && a.mode != "w") return fail("--mode must be r (rg) or w (wg)", 2);
    if (!a.mode.empty()) mode = a.mode == "r" ? trace::Mode::r : trace::Mode::w;
    if (a.lang != "en" && a.lang != "zh") return fail("--lang must be en or zh", 2);
    std::string d = exporting::mermaidState(
        t, f, a.machine == "semaphore" ? exporting::Machine::semaphore : exporting::Machine::goroutine, pd, mode,
        a.lang == "zh");
    if (d.find(" : ") == std::string::npos) return fail(nothingSelected("transitions to draw"), 2);
    parts.push_back(d);
  } else if (a.format == "mermaid-flow") {
    if (!a.mode.empty() && a.mode != "r" && a.mode != "w") return fail("--mode must be r (reads) or w (writes)", 2);
    if (a.lang != "en" && a.lang != "zh") return fail("--lang must be en or zh", 2);
    std::optional<trace::Mode> mode;
    if (!a.mode.empty()) mode = a.mode == "r" ? trace::Mode::r : trace::Mode::w;
    std::string d = exporting::mermaidFlow(t, f, mode, a.lang == "zh");
    if (d.empty()) return fail(nothingSelected("Read or Write to draw"), 2);
    parts.push_back(d);
  } else if (a.format == "chrome") {
    parts.push_back(exporting::chromeTrace(t, f));
  } else {
    return fail("unknown export format \"" + a.format + "\" (mermaid-sequence, mermaid-state, mermaid-flow, chrome)",
                2);
  }
  PartWriter w(toStdout ? "" : a.out, a.trace);
  for (auto& p : parts) w.add(std::move(p));
  return w.finish();
}

// Serving without --ring keeps the last 65,536 events of each thread (a few MB),
// so a server that runs for days cannot exhaust memory; --stream (or --ring 0)
// writes everything to the file as it goes, up to --max-trace-size.
constexpr size_t kServeRing = size_t{1} << 16;
constexpr uint64_t kDefaultMaxTraceSize = uint64_t{2} << 30;  // a streamed trace cannot fill the disk by default

struct RunArgs {
  std::string scenarioPath, out, lang = "en", listenAddr;
  int gomaxprocs = 0;
  std::optional<size_t> ring;
  bool explain = false, noTrace = false, stream = false;
  std::optional<uint64_t> maxTraceSize;
};

int cmdRun(const RunArgs& a) {
  const std::string& scenarioPath = a.scenarioPath;
  const std::string& out = a.out;
  const std::string& listenAddr = a.listenAddr;
  int gomaxprocs = a.gomaxprocs;
  std::optional<size_t> ringArg = a.ring;
  bool explain = a.explain, noTrace = a.noTrace;
  const std::string& lang = a.lang;
  scenario::Scenario s;
  std::string err;
  if (!out.empty() && !noTrace && trace::sameFile(out, scenarioPath))
    return fail(fmt::format("-o {} is the scenario itself: the trace would replace it", out), 2);
  if (!scenario::loadScenarioFile(scenarioPath, &s, &err)) return fail(err, 2);
  analysis::Lang l;
  if (!analysis::parseLang(lang, &l)) return fail("unknown language \"" + lang + "\" (use en or zh)", 2);
  scenario::RunOptions opt;
  if (gomaxprocs > 0) opt.gomaxprocs = gomaxprocs;
  bool serving = !listenAddr.empty();
  opt.ringCapacity = ringArg.value_or(serving ? kServeRing : 0);
  if (s.serve && !serving)
    return fail(fmt::format("scenario \"{}\" serves real clients until stopped: run it with --listen ADDR "
                            "(e.g. --listen 127.0.0.1:8080)",
                            s.name),
                2);
  opt.record = !(serving && noTrace);  // serving with --no-trace: the engine has no recorder at all
  std::string traceOut = noTrace ? "" : out;
  // Streaming: asked for, or everything kept while serving (in memory it would grow without bound).
  bool streaming = serving && !traceOut.empty() && (a.stream || (ringArg && *ringArg == 0));
  if (a.stream && !serving)
    return fail("--stream is for serving (--listen ADDR): a scenario's story is written whole when it ends", 2);
  if (a.stream && traceOut.empty())
    return fail(noTrace ? "--stream and --no-trace contradict each other" : "--stream needs -o TRACE.json", 2);
  if (a.stream && ringArg && *ringArg > 0) return fail("--stream keeps every event: it takes no --ring N", 2);
  if (a.maxTraceSize && !streaming)
    return fail("--max-trace-size caps a streamed trace: use it with --stream (or --ring 0) and --listen", 2);
  std::unique_ptr<traceio::TraceStream> stream;
  if (streaming) {
    stream = traceio::openJsonTraceStream(traceOut, a.maxTraceSize.value_or(kDefaultMaxTraceSize), &err);
    if (!stream) return fail(err);
    opt.stream = stream.get();
  }
  // -o names this run's trace or nothing: a stale file from an earlier run must not
  // pass for it if this one is killed (the new trace is renamed into place at the end).
  auto dropStale = [&] {
    if (!traceOut.empty()) ::unlink(traceOut.c_str());
  };
  scenario::RunControl control;
  opt.control = &control;
  opt.onStuck = [&](const traceio::TraceModel& t) {
    std::string e;
    if (traceOut.empty() || streaming) return;  // a streamed trace was closed by the snapshot
    if (traceio::writeTraceFile(traceOut, t, &e))
      std::fprintf(stderr, "pollscope: wrote %zu events (partial) to %s\n", t.events.size(), traceOut.c_str());
    else
      std::fprintf(stderr, "pollscope: %s\n", e.c_str());
  };
  StopSignal stop;
  if (serving) {
    opt.traceChecks = false;
    raiseOpenFileLimit();
    if (!stop.start(&control, traceOut, streaming)) return fail("cannot set up signal handling");
    opt.listenAddr = listenAddr;
    opt.stopFd = stop.pipeFds[0];
    opt.onListening = [&](const std::string& bound) {
      std::fprintf(stderr, "pollscope: listening on %s: serving scenario \"%s\" until Ctrl-C (SIGINT) or SIGTERM\n",
                   bound.c_str(), s.name.c_str());
      if (!isLoopback(bound))
        std::fprintf(stderr,
                     "pollscope: warning: %s is not a loopback address: other machines can connect (use "
                     "127.0.0.1:PORT to serve this machine only)\n",
                     bound.c_str());
      if (!streaming) dropStale();  // a stream's file was created for this run
    };
  } else {
    std::fprintf(stderr, "pollscope: running scenario \"%s\" (GOMAXPROCS=%d)...\n", s.name.c_str(),
                 opt.gomaxprocs.value_or(s.gomaxprocs));
    dropStale();
  }
  auto result = scenario::runScenario(s, opt);
  if (!result.listenError.empty()) {
    if (streaming) ::unlink(traceOut.c_str());  // nothing was served: no trace
    return fail(fmt::format("--listen {}: {}", listenAddr, result.listenError), 2);
  }
  if (streaming) {
    std::string note = stream->stoppedEarly();
    std::fprintf(stderr, "pollscope: streamed %llu events%s to %s\n",
                 static_cast<unsigned long long>(stream->eventsWritten()), note.empty() ? "" : " (partial)",
                 traceOut.c_str());
    if (!note.empty()) std::fprintf(stderr, "pollscope: %s\n", note.c_str());
  } else if (!traceOut.empty()) {
    if (!traceio::writeTraceFile(traceOut, result.trace, &err)) return fail(err);
    std::fprintf(stderr, "pollscope: wrote %zu events%s to %s\n", result.trace.events.size(),
                 result.trace.meta.partial.empty() ? "" : " (partial)", traceOut.c_str());
  }
  if (explain) std::cout << analysis::transcript(result.trace, l);
  for (const auto& f : result.failures) std::fprintf(stderr, "pollscope: FAIL %s\n", f.c_str());
  if (result.handlerErrors)
    std::fprintf(stderr, "pollscope: %llu handler(s) ended with an error; serving went on\n",
                 static_cast<unsigned long long>(result.handlerErrors));
  if (result.timedOut) return 3;
  if (!result.ok) return fail(fmt::format("scenario \"{}\" did not meet its expectations", s.name), 1);
  if (serving) {
    std::fprintf(stderr, "pollscope: stopped cleanly\n");
    return 0;
  }
  auto issues = analysis::lint(result.trace);
  for (const auto& i : issues)
    std::fprintf(stderr, "pollscope: lint: seq %llu: %s\n", static_cast<unsigned long long>(i.seq), i.message.c_str());
  if (!issues.empty()) return fail("the recorded trace breaks the netpoll state machine", 1);
  std::fprintf(stderr, "pollscope: scenario \"%s\" passed\n", s.name.c_str());
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  // A peer that goes away must never kill us (the engine also uses MSG_NOSIGNAL, or
  // SO_NOSIGPIPE on macOS).
  signal(SIGPIPE, SIG_IGN);

  CLI::App app{"pollscope: see how Go's network poller really works"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("pollscope ") + "0.1.0");

  std::string scenarioPath, out, lang = "en";
  int gomaxprocs = 0;
  size_t ring = 0;
  bool explainRun = false, all = false;
  auto* run = app.add_subcommand("run", "Run a scenario on the engine over real sockets and record a trace");
  run->add_option("scenario", scenarioPath, "Scenario file (JSON)")->required();
  run->add_option("-o,--output", out, "Write the trace to this file");
  run->add_option("--gomaxprocs", gomaxprocs, "Override the scenario's GOMAXPROCS")->check(CLI::Range(1, 64));
  // The ring is allocated up front (about 100 bytes an event, per thread), so an
  // absurd N must be refused before anything runs or any -o file is touched.
  constexpr size_t kMaxRing = size_t{1} << 22;
  run->add_option("--ring", ring,
                  "Flight-recorder mode: keep only the last N events per thread (at most 4194304; serving defaults "
                  "to 65536, and --ring 0 keeps everything: streamed to -o while serving, see --stream)")
      ->check(CLI::Range(size_t{0}, kMaxRing));
  run->add_flag("--explain", explainRun, "Print the narrated transcript after the run");
  run->add_option("--lang", lang, "Transcript language: en or zh");
  std::string listenAddr;
  bool noTrace = false;
  run->add_option("--listen", listenAddr,
                  "Serve real clients: the scenario's first listen binds to this address (e.g. 127.0.0.1:8080) and "
                  "the run lasts until SIGINT/SIGTERM");
  run->add_flag("--no-trace", noTrace, "Do not write the trace (with --listen)");
  bool streamTrace = false;
  run->add_flag("--stream", streamTrace,
                "With --listen: write every event to -o while serving (memory stays bounded; the file stays valid "
                "after SIGINT/SIGTERM, and a killed run's file loads up to its last complete event). --ring 0 with "
                "--listen does the same");
  uint64_t maxTraceSize = 0;
  run->add_option("--max-trace-size", maxTraceSize,
                  "Streaming: stop recording before the trace file passes SIZE (e.g. 500M, 4G; 0: no cap; default "
                  "2G); the trace then says where it stopped")
      ->transform(CLI::AsSizeValue(false));

  std::string tracePath;
  auto* info = app.add_subcommand("info", "Summarise a trace file");
  info->add_option("trace", tracePath, "Trace file")->required();
  auto* lint = app.add_subcommand("lint", "Check every event of a trace against the netpoll state machines");
  lint->add_option("trace", tracePath, "Trace file")->required();
  auto* explain = app.add_subcommand("explain", "Print a narrated transcript of a trace");
  explain->add_option("trace", tracePath, "Trace file")->required();
  explain->add_option("--lang", lang, "Language: en or zh");
  explain->add_flag("--all", all, "Narrate bookkeeping events too (publishInfo, fdMutex, lastpoll, ...)");

  auto* schema = app.add_subcommand("schema", "Print the JSON Schema of trace files (docs/trace.schema.json)");
  bool scenarioSchema = false;
  schema->add_flag("--scenario", scenarioSchema, "The schema of scenario files instead (docs/scenario.schema.json)");

  ExportArgs ex;
  auto* exp = app.add_subcommand("export", "Export a trace: Mermaid sequence/state diagrams or Chrome/Perfetto JSON");
  exp->add_option("format", ex.format, "mermaid-sequence, mermaid-state, mermaid-flow or chrome")
      ->required()
      ->check(CLI::IsMember({"mermaid-sequence", "mermaid-state", "mermaid-flow", "chrome"}));
  exp->add_option("trace", ex.trace, "Trace file (not with --article)");
  exp->add_option("-o,--output", ex.out,
                  "Output file, - for standard output (big Mermaid diagrams become FILE.1.mmd, FILE.2.mmd, ...)");
  exp->add_option("--article", ex.article,
                  "Draw the original article's diagram of this section (e.g. 5.3) from the scenario that reproduces "
                  "it, at the story level; \"list\" shows them");
  exp->add_option("--goroutines", ex.goroutines, "Only these goroutines (ids or names, comma-separated)");
  exp->add_option("--fds", ex.fds, "Only these file descriptors (comma-separated)");
  exp->add_option("--range", ex.range, "Only events with seq in FROM:TO");
  exp->add_option("--steps", ex.steps, "Only the scenario steps FROM:TO (step ids, the trace's bookmarks)");
  exp->add_option("--level", ex.level,
                  "Sequence detail: story (the article's picture), user or runtime (every rg/wg transition)");
  exp->add_option("--lang", ex.lang, "Labels and narration: en or zh");
  exp->add_option("--machine", ex.machine, "State diagram: semaphore (rg/wg) or goroutine (G status)");
  exp->add_option("--pd", ex.pd, "State diagram of one pollDesc only");
  exp->add_option("--mode", ex.mode,
                  "State diagram of rg (r) or wg (w) only; flowchart of reads (r) or writes (w) only");

  cli::GoArgs goArgs;
  auto* goCmd = app.add_subcommand("go", "Write the Go program behind a scenario (standard library only, go run)");
  goCmd->add_option("scenario", goArgs.scenario, "Scenario file (JSON)");
  goCmd->add_option("-o,--output", goArgs.out, "Write the program to this file (default: standard output)");
  goCmd->add_flag("--list", goArgs.list, "Which scenarios translate exactly, approximately or not at all, and why");
  cli::CompareGoArgs cmpArgs;
  auto* cmpGo = app.add_subcommand(
      "compare-go", "Run a scenario's Go program on Go's runtime and the scenario on the engine, side by side");
  cmpGo->add_option("scenario", cmpArgs.scenario, "Scenario file (JSON)")->required();
  cmpGo->add_flag("--json", cmpArgs.json, "Print the comparison as JSON");
  cmpGo->add_option("--work", cmpArgs.workDir,
                    "Work directory (program, Go build cache, straces); default: a temp dir");
  cmpGo->add_flag("--keep", cmpArgs.keep, "Keep the work directory");
  cmpGo
      ->add_option("--go-runs", cmpArgs.goRuns,
                   "Run the Go program up to N times, stopping at the first whose blocking order has no unexplained "
                   "difference, to tell Go's own variation from a fidelity gap (default 3)")
      ->check(CLI::Range(1, 50));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "pollscope: %s (see pollscope --help)\n", e.what());
    return 2;
  }

  if (*schema) {
    std::cout << (scenarioSchema ? scenario::scenarioJsonSchema() : traceio::traceJsonSchema());
    return 0;
  }
  ex.argv0 = argv[0];
  goArgs.argv0 = cmpArgs.argv0 = argv[0];
  if (*goCmd) return cli::cmdGo(goArgs);
  if (*cmpGo) return cli::cmdCompareGo(cmpArgs);
  if (*exp) return cmdExport(ex);
  if (*run) {
    RunArgs ra;
    ra.scenarioPath = scenarioPath;
    ra.out = out;
    ra.gomaxprocs = gomaxprocs;
    if (run->count("--ring")) ra.ring = ring;
    ra.explain = explainRun;
    ra.lang = lang;
    ra.listenAddr = listenAddr;
    ra.noTrace = noTrace;
    ra.stream = streamTrace;
    if (run->count("--max-trace-size")) ra.maxTraceSize = maxTraceSize;
    return cmdRun(ra);
  }

  traceio::TraceModel t;
  std::string err;
  if (!loadTrace(tracePath, &t, &err)) return fail(err);
  if (*info) {
    std::cout << analysis::info(t);
    return 0;
  }
  if (*lint) {
    auto issues = analysis::lint(t);
    for (const auto& i : issues) std::cout << fmt::format("{}: seq {}: {}\n", tracePath, i.seq, i.message);
    if (!issues.empty()) {
      std::fprintf(stderr, "pollscope: %zu problem(s) in %s (illegal transitions or impossible values)\n",
                   issues.size(), tracePath.c_str());
      return 1;
    }
    std::cout << fmt::format("{}: {} events, all transitions legal\n", tracePath, t.events.size());
    return 0;
  }
  if (*explain) {
    analysis::Lang l;
    if (!analysis::parseLang(lang, &l)) return fail("unknown language \"" + lang + "\" (use en or zh)", 2);
    std::cout << analysis::transcript(t, l, all);
    return 0;
  }
  return 0;
}
