// pollscope compare-go: a scenario's Go program on Go's own runtime beside the
// scenario on the engine. Both run under strace; the Go program also runs with
// runtime/trace, up to --go-runs times, because Go's blocking order varies from
// run to run (go_runs.hpp). Printed side by side: the results each program saw,
// the order goroutines block in and return from the network, and the normalised
// socket/epoll syscalls (docs/go-programs.md, "compare-go").
//
// Sections: 1. running tools  2. the two runs  3. explaining differences  4. the report
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "cli/go_command.hpp"
#include "gosource/blocking_order.hpp"
#include "gosource/go_program.hpp"
#include "gosource/go_results.hpp"
#include "gosource/go_runs.hpp"
#include "gosource/syscall_shape.hpp"
#include "scenario/scenario.hpp"
#include "traceio/json.hpp"

namespace pollscope::cli {
namespace fs = std::filesystem;
using gosource::Fidelity;

namespace {
// ---- 1. running tools -------------------------------------------------------------------
bool onPath(const std::string& tool) {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::stringstream ss(path);
  std::string dir;
  while (std::getline(ss, dir, ':'))
    if (!dir.empty() && access((dir + "/" + tool).c_str(), X_OK) == 0) return true;
  return false;
}

std::string readFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

struct Proc {
  int status = -1;  // exit code; -1: did not run; 124: timed out
  std::string out, err;
};

// Runs argv in `cwd` with `env` added, standard output and error to files; kills it
// (and its process group) after `timeoutSec`.
Proc run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env, const fs::path& cwd,
         const std::string& tag, int timeoutSec) {
  fs::path outFile = cwd / (tag + ".stdout"), errFile = cwd / (tag + ".stderr");
  pid_t pid = fork();
  if (pid < 0) return {};
  if (pid == 0) {
    setpgid(0, 0);
    if (chdir(cwd.c_str()) != 0) _exit(127);
    int o = open(outFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int e = open(errFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (o < 0 || e < 0 || in < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0 || dup2(in, 0) < 0) _exit(127);
    for (const auto& [k, v] : env) {
      if (v.empty())
        unsetenv(k.c_str());
      else
        setenv(k.c_str(), v.c_str(), 1);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  Proc p;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeoutSec);
  for (;;) {
    int st = 0;
    pid_t r = waitpid(pid, &st, WNOHANG);
    if (r == pid) {
      p.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-pid, SIGKILL);
      waitpid(pid, &st, 0);
      p.status = 124;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  p.out = readFile(outFile);
  p.err = readFile(errFile);
  return p;
}

std::string firstLines(const std::string& s, int n = 12) {
  std::stringstream in(s), out;
  std::string l;
  for (int i = 0; i < n && std::getline(in, l); ++i) out << "  " << l << "\n";
  return out.str();
}

// ---- 3. explaining differences -----------------------------------------------------------------
struct Explanation {
  std::string label;  // go-version, platform, scheduler, approximate, ... ; "gap" when none applies
  std::string why;
};

struct SyscallRule {
  const char* contains;
  const char* label;
  const char* why;
};
const SyscallRule kSyscallRules[] = {
    {"close(epfd)", "exit",
     "the engine's runtime closes its poller when the run ends; a Go process just exits (fidelity.md, difference 9)"},
    {"close(wake)", "exit",
     "the engine's runtime closes its poller when the run ends; a Go process just exits (fidelity.md, difference 9)"},
    {"wake", "go-version",
     "the poller's wakeup: Go 1.19 uses a non-blocking pipe, Go 1.23+ (which the engine follows) an eventfd"},
    {"TCP_NODELAY", "platform", "Go sets TCP_NODELAY on every TCP connection; the engine does not set it"},
    {"SO_KEEPALIVE", "platform", "Go enables TCP keep-alive on dialled and accepted connections; the engine does not"},
    {"TCP_KEEP", "platform", "Go sets the keep-alive period (TCP_KEEPINTVL/TCP_KEEPIDLE); the engine does not"},
    {"epoll_wait", "scheduler",
     "when a thread polls, and how often, depends on the scheduler's moment: Go also has sysmon's 10 ms poll, "
     "spinning Ms and GC; the engine has no preemption and no GC (fidelity.md, differences 5 and 6)"},
    {"getsockname", "go-net",
     "Go's net package asks the kernel for each socket's local address after bind/connect/accept"},
    {"getpeername", "go-net", "Go's net package asks the kernel for each connection's peer address"},
};

Explanation explainSyscall(const std::string& line) {
  for (const auto& r : kSyscallRules)
    if (line.find(r.contains) != std::string::npos) return {r.label, r.why};
  return {"gap", "no documented cause"};
}

// A blocking event Go's trace attributes to something the engine does not do.
Explanation explainGoCause(const std::string& cause, const scenario::Scenario& s) {
  if (cause == "sysmon" && !s.sysmon)
    return {"sysmon",
            "Go's sysmon polled the network (no thread had polled for 10 ms) and readied this goroutine early; the "
            "engine runs sysmon only when a scenario asks for it (settings.sysmon; go-netpoll.md section 7)"};
  if (cause == "gc")
    return {"gc",
            "inside a Go GC cycle: its stop-the-world phases poll the network when the world restarts; the "
            "engine has no GC (fidelity.md, difference 5)"};
  if (cause == "preempt")
    return {"preempt",
            "Go preempted a running goroutine just before this (sysmon's 10 ms rule or a GC); the engine "
            "never preempts (fidelity.md, difference 5)"};
  if (cause == "retake")
    return {"retake",
            "a Go thread blocked in a syscall and sysmon handed its P to another thread; the engine has "
            "no blocking syscalls (fidelity.md, difference 5)"};
  return {"gap", "no documented cause"};
}

Explanation explainBlocking(Fidelity f, const std::vector<std::string>& why) {
  if (f == Fidelity::approximate)
    return {"approximate", "the translation is approximate: " + (why.empty() ? std::string() : why.front())};
  return {"gap", "no documented cause"};
}

// ---- 4. the report -------------------------------------------------------------------------------
struct Row {
  std::string engine, go;  // "" when one side has nothing there
  Explanation ex;          // for one-sided rows
  std::string across;      // an unexplained blocking-order row: what the other Go runs showed
};

// `explain(side, index)`: side 0 is the engine, 1 is Go.
std::vector<Row> sideBySide(const std::vector<std::string>& a, const std::vector<std::string>& b,
                            const std::function<Explanation(int, size_t)>& explain) {
  std::vector<Row> rows;
  std::vector<std::pair<int, int>> at;  // the aligned indices of each row
  for (auto [i, j] : gosource::align(a, b)) {
    Row r;
    if (i >= 0) r.engine = a[static_cast<size_t>(i)];
    if (j >= 0) r.go = b[static_cast<size_t>(j)];
    if (i < 0 || j < 0) r.ex = i >= 0 ? explain(0, static_cast<size_t>(i)) : explain(1, static_cast<size_t>(j));
    rows.push_back(r);
    at.push_back({i, j});
  }
  // A call or event both sides have, at different places in their sequences: the
  // pair is "moved", or takes the explanation one of its two rows has.
  std::vector<bool> paired(rows.size(), false);
  for (size_t k = 0; k < rows.size(); ++k) {
    Row& r = rows[k];
    if (!(r.engine.empty() || r.go.empty()) || paired[k]) continue;
    const std::string& text = r.go.empty() ? r.engine : r.go;
    for (size_t m = k + 1; m < rows.size(); ++m) {
      Row& o = rows[m];
      bool otherSide = r.go.empty() ? (o.engine.empty() && o.go == text) : (o.go.empty() && o.engine == text);
      if (!otherSide || paired[m]) continue;
      Explanation ex = r.ex.label != "gap" ? r.ex : o.ex.label != "gap" ? o.ex : Explanation{"moved", ""};
      if (ex.label == "moved") ex.why = "both sides have this, in a different order";
      r.ex = o.ex = ex;
      paired[k] = paired[m] = true;
      break;
    }
  }
  return rows;
}

// After one side's goroutine is readied early (sysmon, GC, preemption), the two
// runs no longer share their timing: a later difference, or one within kNear
// matched rows before, follows from the first attributed one.
void followCauses(std::vector<Row>& rows) {
  constexpr int kNear = 3;
  auto oneSided = [](const Row& r) { return r.engine.empty() || r.go.empty(); };
  auto attributed = [&](const Row& r) { return oneSided(r) && r.ex.label != "gap" && r.ex.label != "moved"; };
  std::vector<Row> before = rows;  // attribution comes only from rows attributed in their own right
  auto follow = [&](Row& r, const Row& cause) {
    r.ex = {cause.ex.label, "follows from the " + cause.ex.label + " difference near it: " + cause.ex.why};
  };
  const Row* first = nullptr;
  for (size_t k = 0; k < rows.size(); ++k) {
    if (!oneSided(rows[k])) continue;
    if (attributed(before[k])) {
      if (!first) first = &before[k];
      continue;
    }
    if (first) {
      follow(rows[k], *first);
      continue;
    }
    int matched = 0;
    for (size_t m = k + 1; m < rows.size() && matched <= kNear; ++m) {
      if (!oneSided(before[m])) {
        ++matched;
      } else if (attributed(before[m])) {
        follow(rows[k], before[m]);
        break;
      }
    }
  }
}

bool unexplained(const Row& r) {
  return (r.engine.empty() || r.go.empty()) && (r.ex.label == "gap" || r.ex.label == "moved");
}

// A row's tag: its label; a blocking-order difference weighed against every Go run
// also says what the runs showed ("matches Go run 2 of 2", "in all 3 Go runs").
std::string tag(const Row& r) {
  if (r.ex.label == "go-varies") return r.ex.why;
  if (unexplained(r) && !r.across.empty()) return r.ex.label + ": " + r.across;
  return r.ex.label;
}

// `movedIsGap`: in the blocking order a move is a gap; among syscalls it is counted apart.
void printRows(const std::vector<Row>& rows, bool movedIsGap) {
  for (const auto& r : rows) {
    bool oneSided = r.engine.empty() || r.go.empty();
    bool gap = r.ex.label == "gap" || (movedIsGap && r.ex.label == "moved");
    std::string mark = oneSided ? (gap ? "!!" : "~ ") : "  ";
    std::cout << fmt::format("{} {:<46} {:<46}{}\n", mark, r.engine, r.go, oneSided ? "  [" + tag(r) + "]" : "");
  }
}

// The name of a row, as tests/gosource/known_gaps.txt writes it.
std::string rowKey(const Row& r) {
  return (r.engine.empty() ? "-" : r.engine) + " | " + (r.go.empty() ? "-" : r.go);
}

nlohmann::json rowsJson(const std::vector<Row>& rows) {
  auto arr = nlohmann::json::array();
  for (const auto& r : rows) {
    nlohmann::json j = {{"engine", r.engine}, {"go", r.go}};
    if (r.engine.empty() || r.go.empty()) {
      j["label"] = r.ex.label;
      j["why"] = r.ex.why;
      if (!r.across.empty()) j["across_go_runs"] = r.across;
    }
    arr.push_back(j);
  }
  return arr;
}

// One-sided rows: "gap" (unexplained), "moved" (both make the call, elsewhere),
// "go-varies" (another Go run differs from this one there) or explained.
enum class Kind { gap, moved, varies, explained };
int count(const std::vector<Row>& rows, Kind k) {
  int n = 0;
  for (const auto& r : rows) {
    if (!(r.engine.empty() || r.go.empty())) continue;
    Kind is = r.ex.label == "gap"         ? Kind::gap
              : r.ex.label == "moved"     ? Kind::moved
              : r.ex.label == "go-varies" ? Kind::varies
                                          : Kind::explained;
    if (is == k) ++n;
  }
  return n;
}

std::vector<std::string> texts(const std::vector<gosource::SyscallLine>& ls) {
  std::vector<std::string> out;
  for (const auto& l : ls) out.push_back(l.text);
  return out;
}

std::string selfExe(const std::string& argv0) {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? argv0 : p.string();
}
}  // namespace

int cmdCompareGo(const CompareGoArgs& a) {
  scenario::Scenario s;
  std::string err;
  if (!scenario::loadScenarioFile(a.scenario, &s, &err)) {
    std::fprintf(stderr, "pollscope: %s\n", err.c_str());
    return 2;
  }
  std::vector<std::string> why;
  Fidelity fid = gosource::classify(s, &why);
  if (fid == Fidelity::none) {
    std::fprintf(stderr, "pollscope: %s has no Go equivalent to compare: %s\n", s.name.c_str(),
                 why.empty() ? "" : why.front().c_str());
    return 2;
  }
  for (const char* tool : {"go", "strace"})
    if (!onPath(tool)) {
      std::fprintf(stderr,
                   "pollscope: compare-go needs `%s` on PATH (Debian: apt-get install %s; tools/install-deps "
                   "installs it)\n",
                   tool, std::string(tool) == "go" ? "golang-go" : "strace");
      return 2;
    }

  // ---- 2. the two runs
  fs::path work = a.workDir;
  bool temp = work.empty();
  if (temp) {
    std::string tmpl = (fs::temp_directory_path() / "pollscope-compare-go-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) return 2;
    work = tmpl;
  }
  fs::create_directories(work);
  work = fs::absolute(work);
  const char* cache = std::getenv("POLLSCOPE_GOCACHE");
  // Offline and private: no module proxy, GOPATH mode, a build cache of our own.
  std::map<std::string, std::string> goEnv = {{"GOPROXY", "off"},
                                              {"GO111MODULE", "off"},
                                              {"GOFLAGS", ""},
                                              {"GOTOOLCHAIN", "local"},
                                              {"CGO_ENABLED", "0"},
                                              {"GOCACHE", cache && *cache ? cache : (work / "gocache").string()},
                                              {"GOPATH", (work / "gopath").string()}};
  auto prog = gosource::goProgram(s, fs::path(a.scenario).filename().string());
  {
    std::ofstream f(work / "prog.go", std::ios::binary);
    f << prog.text;
  }
  auto failWith = [&](const std::string& what, const Proc& p) {
    std::fprintf(stderr, "pollscope: %s failed (exit %d) in %s:\n%s%s", what.c_str(), p.status, work.c_str(),
                 firstLines(p.err).c_str(), firstLines(p.out).c_str());
    return 1;
  };
  Proc version = run({"go", "version"}, goEnv, work, "go-version", 60);
  std::string goVersion = version.out.substr(0, version.out.find('\n'));
  Proc vet = run({"go", "vet", "prog.go"}, goEnv, work, "go-vet", 300);
  if (vet.status != 0) return failWith("go vet", vet);
  Proc build = run({"go", "build", "-o", "prog", "prog.go"}, goEnv, work, "go-build", 300);
  if (build.status != 0) return failWith("go build", build);

  const int timeout = static_cast<int>(std::max<int64_t>(30, s.timeoutMs / 1000 * 3));
  std::vector<std::string> strace = {"strace", "-f", "-qq", "-s", "8", "-e", "trace=%network,%desc", "-o"};
  auto engineArgv = strace;
  engineArgv.insert(engineArgv.end(), {"engine.strace", selfExe(a.argv0), "run", fs::absolute(a.scenario).string(),
                                       "-o", "engine.trace.json"});
  Proc engine = run(engineArgv, {}, work, "engine", timeout);
  if (engine.status != 0) return failWith("the engine's run", engine);
  auto goArgv = strace;
  goArgv.insert(goArgv.end(), {"go.strace", "./prog"});
  Proc goRun = run(goArgv, {}, work, "go", timeout);
  if (goRun.status != 0) return failWith("the Go program's run (under strace)", goRun);
  traceio::TraceModel t;
  if (!traceio::readTraceFile((work / "engine.trace.json").string(), &t, &err)) {
    std::fprintf(stderr, "pollscope: %s\n", err.c_str());
    return 1;
  }
  auto engineResults = gosource::traceResults(t);
  auto goResults = gosource::parseGoOutput(goRun.out);
  auto resultDiffs = gosource::compareResults(engineResults, goResults);

  // The Go program with runtime/trace, up to --go-runs times: every run's results
  // must equal the engine's; the runs stop at the first whose blocking order has
  // no unexplained difference, and the first run is the one shown.
  auto engineOrder = gosource::engineBlockingOrder(t);
  std::vector<std::vector<Row>> runRows;
  std::vector<std::vector<std::string>> runGaps;  // each run's unexplained rows, by name
  for (int k = 1; k <= std::max(1, a.goRuns); ++k) {
    std::string traceFile = fmt::format("go-{}.trace", k);
    Proc traced = run({"./prog"}, {{"POLLSCOPE_GO_TRACE", (work / traceFile).string()}}, work,
                      fmt::format("go-traced-{}", k), timeout);
    if (traced.status != 0) return failWith(fmt::format("the Go program's run {} (with runtime/trace)", k), traced);
    for (const auto& d : gosource::compareResults(engineResults, gosource::parseGoOutput(traced.out)))
      resultDiffs.push_back(fmt::format("(Go run {} with runtime/trace) {}", k, d));
    Proc dump = run({"go", "tool", "trace", "-d", traceFile}, goEnv, work, fmt::format("go-trace-dump-{}", k), 120);
    if (dump.status != 0) return failWith("go tool trace -d", dump);
    auto goBlocking = gosource::goBlockingOrder(dump.out);
    std::vector<std::string> goBlockingText;
    for (const auto& e : goBlocking) goBlockingText.push_back(e.text);
    auto rows = sideBySide(engineOrder, goBlockingText, [&](int side, size_t i) {
      if (side == 1) {
        Explanation ex = explainGoCause(goBlocking[i].cause, s);
        if (ex.label != "gap") return ex;
      }
      return explainBlocking(fid, why);
    });
    followCauses(rows);
    std::vector<std::string> gaps;
    for (const auto& r : rows)
      if (unexplained(r)) gaps.push_back(rowKey(r));
    runRows.push_back(std::move(rows));
    runGaps.push_back(std::move(gaps));
    if (runGaps.back().empty()) break;
  }
  const size_t goRuns = runRows.size();
  auto blocking = runRows.front();
  for (auto& r : blocking) {
    if (!unexplained(r)) continue;
    auto across = gosource::acrossRuns(rowKey(r), runGaps);
    if (across.kind == gosource::AcrossRuns::Kind::gap)
      r.across = gosource::describe(across, goRuns);
    else
      r.ex = {"go-varies", gosource::describe(across, goRuns)};
  }
  // Syscalls.
  auto engineSys = gosource::normalizeStrace(readFile(work / "engine.strace"));
  auto goSys = gosource::normalizeStrace(readFile(work / "go.strace"));
  auto engineText = texts(engineSys), goText = texts(goSys);
  auto syscalls = sideBySide(engineText, goText,
                             [&](int side, size_t i) { return explainSyscall(side == 0 ? engineText[i] : goText[i]); });

  int blockingGaps = count(blocking, Kind::gap) + count(blocking, Kind::moved);  // order is what is compared
  int goVaries = count(blocking, Kind::varies);
  int syscallGaps = count(syscalls, Kind::gap);
  int syscallSame = 0;
  for (const auto& r : syscalls)
    if (!r.engine.empty() && !r.go.empty()) ++syscallSame;
  bool ok = resultDiffs.empty() && blockingGaps == 0;

  if (a.json) {
    nlohmann::json j;
    j["scenario"] = s.name;
    j["fidelity"] = gosource::fidelityName(fid);
    j["why"] = why;
    j["go_version"] = goVersion;
    auto rj = [](const std::vector<gosource::CallResult>& rs) {
      auto arr = nlohmann::json::array();
      for (const auto& r : rs) arr.push_back(gosource::formatResult(r));
      return arr;
    };
    j["results"] = {{"engine", rj(engineResults)}, {"go", rj(goResults)}, {"differences", resultDiffs}};
    auto runs = nlohmann::json::array();
    for (size_t k = 0; k < goRuns; ++k) runs.push_back(runGaps[k].size());
    j["blocking"] = {{"rows", rowsJson(blocking)},
                     {"identical", blockingGaps + goVaries + count(blocking, Kind::explained) == 0},
                     {"explained", count(blocking, Kind::explained)},
                     {"go_varies", goVaries},
                     {"unexplained", blockingGaps},
                     {"go_runs", goRuns},
                     {"go_runs_max", std::max(1, a.goRuns)},
                     {"unexplained_per_go_run", runs}};
    j["syscalls"] = {{"rows", rowsJson(syscalls)},
                     {"same", syscallSame},
                     {"explained", count(syscalls, Kind::explained)},
                     {"moved", count(syscalls, Kind::moved)},
                     {"unexplained", syscallGaps}};
    j["ok"] = ok;
    j["work"] = work.string();
    std::cout << j.dump(1) << "\n";
  } else {
    std::cout << fmt::format("{}: translation {}; {}\n", s.name, gosource::fidelityName(fid), goVersion);
    std::cout << "\n== Results each program saw (engine trace | Go program's prints)\n";
    for (const auto& r : engineResults) std::cout << "  " << gosource::formatResult(r) << "\n";
    if (resultDiffs.empty())
      std::cout << fmt::format("  identical ({} calls)\n", goResults.size());
    else
      for (const auto& d : resultDiffs) std::cout << "!! " << d << "  [gap]\n";
    std::cout << fmt::format("\n== Blocking in the network   {:<46} {:<46}\n", "engine",
                             goRuns == 1 ? std::string("Go") : fmt::format("Go run 1 of {}", goRuns));
    if (goRuns > 1) {
      std::cout << fmt::format(
          "   (Go ran {} times, up to --go-runs {}, stopping at a run with no unexplained "
          "difference; unexplained differences per run:",
          goRuns, std::max(1, a.goRuns));
      for (const auto& g : runGaps) std::cout << " " << g.size();
      std::cout << ")\n";
    }
    printRows(blocking, true);
    std::cout << fmt::format("\n== Socket/epoll syscalls     {:<46} {:<46}\n", "engine", "Go");
    printRows(syscalls, false);
    std::cout << fmt::format(
        "\nresults: {} ({} Go runs); blocking order: {} explained, {} Go varies, {} unexplained; syscalls: {} same, "
        "{} explained, {} moved, {} unexplained\n",
        resultDiffs.empty() ? "identical" : fmt::format("{} differences", resultDiffs.size()), goRuns + 1,
        count(blocking, Kind::explained), goVaries, blockingGaps, syscallSame, count(syscalls, Kind::explained),
        count(syscalls, Kind::moved), syscallGaps);
    std::cout << (ok ? "no unexplained difference in results or blocking order\n"
                     : "FIDELITY GAP: unexplained differences in results or blocking order\n");
  }
  if (temp && !a.keep) fs::remove_all(work);
  return ok ? 0 : 1;
}

}  // namespace pollscope::cli
