// The Go program behind a scenario (core/gosource): the translation, the results
// read from a trace and from a Go program's prints, the strace normaliser, the
// blocking order from Go's trace, and the Go line of an event.
#include <catch2/catch.hpp>

#include "gosource/blocking_order.hpp"
#include "gosource/go_lines.hpp"
#include "gosource/go_program.hpp"
#include "gosource/go_results.hpp"
#include "gosource/go_runs.hpp"
#include "gosource/syscall_shape.hpp"
#include "scenario/scenario.hpp"
#include "support/golden_trace.hpp"

using namespace pollscope;

namespace {
scenario::Scenario load(const std::string& name) {
  scenario::Scenario s;
  std::string err;
  INFO(err);
  REQUIRE(scenario::loadScenarioFile(std::string(POLLSCOPE_SOURCE_DIR) + "/scenarios/" + name + ".json", &s, &err));
  return s;
}

std::string lineOf(const std::string& text, int n) {
  size_t at = 0;
  for (int i = 1; i < n; ++i) at = text.find('\n', at) + 1;
  return text.substr(at, text.find('\n', at) - at);
}

std::vector<std::string> texts(const std::vector<gosource::SyscallLine>& ls) {
  std::vector<std::string> out;
  for (const auto& l : ls) out.push_back(l.text);
  return out;
}
}  // namespace

TEST_CASE("each step's Go statement is the call it stands for, under a comment naming the step") {
  auto s = load("read-before-data");
  auto p = gosource::goProgram(s, "read-before-data.json");
  CHECK(p.fidelity == gosource::Fidelity::exact);
  CHECK(p.why.empty());
  CHECK(lineOf(p.text, p.stepLine.at(0)) == "\tln, err = net.Listen(\"tcp\", \"127.0.0.1:0\")");
  CHECK(lineOf(p.text, p.stepLine.at(2)) == "\tn, err = s.Read(buf)");
  CHECK(lineOf(p.text, p.stepLine.at(3)) == "\tc, err = net.Dial(\"tcp\", ln.Addr().String())");
  // The wait for the park names the Read's own line.
  CHECK(lineOf(p.text, p.stepLine.at(4)) == "\twaitParked(sReadHint, " + std::to_string(p.stepLine.at(2)) + ")");
  CHECK(p.text.find("// step 2 (goroutines[0].steps[2]): read") != std::string::npos);
  CHECK(p.text.find("runtime.GOMAXPROCS(1)") != std::string::npos);
}

TEST_CASE("a scenario that needs an injection point says so at the top") {
  auto p = gosource::goProgram(load("data-before-park"), "data-before-park.json");
  CHECK(p.fidelity == gosource::Fidelity::none);
  REQUIRE(!p.why.empty());
  CHECK(p.why[0].find("injection point") != std::string::npos);
  CHECK(p.text.find("// Translation: none.") < p.text.find("package main"));
  std::vector<std::string> why;
  CHECK(gosource::classify(load("sysmon-poll"), &why) == gosource::Fidelity::approximate);
  CHECK(gosource::classify(load("echo-server"), &why) == gosource::Fidelity::none);
}

TEST_CASE("results: what the trace says each call returned, compared with a Go program's prints") {
  auto t = pstest::goldenTrace("read-before-data");
  auto rs = gosource::traceResults(t);
  std::vector<std::string> lines;
  for (const auto& r : rs) lines.push_back(gosource::formatResult(r));
  CHECK(lines == std::vector<std::string>{"step 0 server listen: n=0 err=ok", "step 3 client dial: n=0 err=ok",
                                          "step 1 server accept: n=0 err=ok", "step 5 client write: n=5 err=ok",
                                          "step 6 client close: n=0 err=ok", "step 2 server read: n=5 err=ok"});
  std::string goOut =
      "step 0 server listen: n=0 err=ok\nstep 3 client dial: n=0 err=ok\nstep 1 server accept: n=0 err=ok\n"
      "step 2 server read: n=5 err=ok data=\"hello\"\nstep 5 client write: n=5 err=ok\n"
      "step 5 client SetWriteBuffer: n=0 err=ok\nstep 6 client close: n=0 err=ok\nnot a report line\n";
  CHECK(gosource::compareResults(rs, gosource::parseGoOutput(goOut)).empty());
  std::string wrong = goOut;
  wrong.replace(wrong.find("read: n=5 err=ok"), 16, "read: n=0 err=eof");
  auto diffs = gosource::compareResults(rs, gosource::parseGoOutput(wrong));
  REQUIRE(diffs.size() == 1);
  CHECK(diffs[0] == "step 2 server read: engine n=5 err=ok, Go n=0 err=eof");
}

TEST_CASE("strace output: threads merged, fds renamed by role, machine details dropped") {
  std::string text =
      "100 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_IP) = 3\n"
      "100 epoll_create1(EPOLL_CLOEXEC)      = 5\n"
      "100 pipe2([6, 7], O_NONBLOCK|O_CLOEXEC) = 0\n"
      "100 epoll_ctl(5, EPOLL_CTL_ADD, 6, {events=EPOLLIN, data={u32=1, u64=1}}) = 0\n"
      "100 read(4, \"16\"..., 64)             = 3\n"
      "100 epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET, data={u32=2, u64=2}}) = 0\n"
      "100 listen(3, 4096)                   = 0\n"
      "100 accept4(3, 0xc0, [112], SOCK_CLOEXEC|SOCK_NONBLOCK) = -1 EAGAIN (Resource temporarily unavailable)\n"
      "100 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_IP) = 8\n"
      "101 epoll_pwait(5,  <unfinished ...>\n"
      "100 connect(8, {sa_family=AF_INET}, 16) = -1 EINPROGRESS (Operation now in progress)\n"
      "101 <... epoll_pwait resumed>[{events=EPOLLIN, data={u32=2, u64=2}}], 128, -1, NULL, 0) = 1\n"
      "100 --- SIGURG {si_signo=SIGURG} ---\n"
      "101 accept4(3, {sa_family=AF_INET}, [112 => 16], SOCK_CLOEXEC|SOCK_NONBLOCK) = 9\n"
      "101 sendto(9, \"hi\", 2, MSG_NOSIGNAL, NULL, 0) = 2\n"
      "101 sendto(9, \"hi\", 2, MSG_NOSIGNAL, NULL, 0) = 2\n"
      "100 close(8)                          = 0\n"
      "100 +++ exited with 0 +++\n";
  auto out = gosource::normalizeStrace(text);
  CHECK(texts(out) == std::vector<std::string>{
                          "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK) = L1", "epoll_create1() = epfd",
                          "pipe2() = wake", "epoll_ctl(ADD, wake, EPOLLIN) = 0", "listen(L1) = 0",
                          "accept4(L1) = EAGAIN", "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK) = D1",
                          "connect(D1) = EINPROGRESS", "epoll_wait(timeout -1) = 1", "accept4(L1) = A1",
                          "write(A1) = n", "close(D1) = 0"});
  CHECK(out[10].count == 2);  // two identical sends, one line
}

TEST_CASE("Go's execution trace: who blocks in the network and returns, named by the scenario") {
  std::string dump =
      "10 UserLog p=0 g=7 off=1 id=0 keyid=5 category=pollscope.goroutine message=server\n"
      "11 UserLog p=0 g=8 off=2 id=0 keyid=5 category=pollscope.goroutine message=client\n"
      "12 GoBlockNet p=0 g=7 off=3\n"
      "13 GoBlockRecv p=0 g=8 off=4\n"
      "14 GoUnblock p=0 g=9 off=5 g=8 seq=0\n"
      "15 GoBlockNet p=0 g=8 off=6\n"
      "16 GoUnblock p=1000002 g=0 off=7 g=7 seq=0\n"
      "17 GoUnblock p=1000002 g=0 off=8 g=8 seq=12\n";
  auto order = gosource::goBlockingOrder(dump);
  REQUIRE(order.size() == 4);
  CHECK(order[0].text == "server blocks");
  CHECK(order[1].text == "client blocks");  // a channel receive is not the network
  CHECK(order[2].text == "server returns");
  CHECK(order[2].cause.empty());
  CHECK(order[3].text == "client returns");
  CHECK(order[3].cause == "sysmon");  // written by a thread without a P
  auto t = pstest::goldenTrace("read-before-data");
  CHECK(gosource::engineBlockingOrder(t) == std::vector<std::string>{"server blocks", "client blocks", "server returns",
                                                                     "client returns", "server blocks",
                                                                     "server returns"});
}

TEST_CASE("side by side: the common order, and what only one side has") {
  auto rows = gosource::align({"a", "b", "c", "d"}, {"a", "c", "b", "d"});
  std::vector<std::pair<int, int>> want = {{0, 0}, {-1, 1}, {1, 2}, {2, -1}, {3, 3}};
  CHECK(rows == want);
}

TEST_CASE("a difference weighed against every Go run: a gap only when every run shows it") {
  using K = gosource::AcrossRuns::Kind;
  const std::string moved = "- | handler6 blocks";
  // Go run 2 has the engine's order: Go varied, the engine did what Go did once.
  auto a = gosource::acrossRuns(moved, {{moved, "handler6 blocks | -"}, {}});
  CHECK(a.kind == K::matchesRun);
  CHECK(a.matchingRun == 2);
  CHECK(a.runsWithIt == std::vector<int>{1});
  CHECK(gosource::describe(a, 2) == "matches Go run 2 of 2");
  // No run matches as a whole, but run 2 does not differ here: Go varies at this row.
  auto v = gosource::acrossRuns(moved, {{moved}, {"x | -"}, {moved}});
  CHECK(v.kind == K::varies);
  CHECK(v.runsWithIt == std::vector<int>{1, 3});
  CHECK(gosource::describe(v, 3) == "Go varies here (runs 1, 3 of 3 show it)");
  // Every run shows it: a fidelity gap, however much Go varies elsewhere.
  auto g = gosource::acrossRuns(moved, {{moved}, {moved, "x | -"}, {moved}});
  CHECK(g.kind == K::gap);
  CHECK(gosource::describe(g, 3) == "in all 3 Go runs");
  CHECK(gosource::describe(gosource::acrossRuns(moved, {{moved}}), 1) == "in the one Go run");
}

TEST_CASE("an event's Go line: the step's statement, also while the runtime works under it") {
  auto s = load("read-before-data");
  auto p = gosource::goProgram(s, "read-before-data.json");
  auto t = pstest::goldenTrace("read-before-data");
  // The server's Read parks: on g0, after the goroutine gave up its M.
  size_t park = 0;
  for (size_t i = 0; i < t.events.size(); ++i)
    if (auto k = trace::as<trace::Kind::park>(t.events[i]);
        k && k->mode() == trace::Mode::r && t.events[i].g == 0 && i > 60)
      park = i;
  REQUIRE(park > 0);
  CHECK(gosource::stepAt(t, park) == 2);
  CHECK(gosource::goLineAt(p, t, park) == p.stepLine.at(2));
  CHECK(gosource::goLineAt(p, t, 0) == 0);  // the runtime starting: no step yet
}
