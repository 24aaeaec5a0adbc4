// Live single-stepping: with the step gate paused, the real engine stops after
// every recorded event, and each step lets exactly one more event happen.
#include <chrono>
#include <thread>

#include "scenarios/library.hpp"
#include "trace/step_gate.hpp"

using namespace pollscope;
using namespace pstest;
using namespace std::chrono_literals;

namespace {
// Waits until the recorder holds `n` events and the engine stopped at the gate.
bool settlesAt(const trace::Recorder& rec, const trace::StepGate& gate, uint64_t n) {
  for (auto until = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < until;) {
    if (rec.recorded() >= n && gate.waiting() > 0) return true;
    std::this_thread::sleep_for(1ms);
  }
  return false;
}
}  // namespace

TEST_CASE("a paused live run advances one recorded event per step", "[live]") {
  auto s = loadScenario(std::string(POLLSCOPE_SOURCE_DIR) + "/scenarios/read-before-data.json");
  scenario::RunResult unpaused = scenario::runScenario(s);
  REQUIRE(unpaused.ok);

  trace::Recorder rec;
  trace::StepGate gate;
  gate.pause();
  rec.setGate(&gate);
  scenario::RunOptions opt;
  opt.recorder = &rec;
  opt.watchdog = false;
  scenario::RunResult result;
  std::thread run([&] { result = scenario::runScenario(s, opt); });

  // The first event stops the engine.
  REQUIRE(settlesAt(rec, gate, 1));
  std::this_thread::sleep_for(20ms);
  CHECK(rec.recorded() == 1);
  for (int i = 0; i < 40; ++i) {
    uint64_t before = rec.recorded();
    REQUIRE(gate.step());
    REQUIRE(settlesAt(rec, gate, before + 1));
    std::this_thread::sleep_for(5ms);  // nothing else may slip through
    INFO("step " << i);
    CHECK(rec.recorded() == before + 1);
  }
  gate.resume();
  run.join();
  INFO(failuresOf(result));
  CHECK(result.ok);
  CHECK(result.trace.events.size() == rec.recorded());
  // Stopping the engine at every point does not change what it does.
  CHECK(scenario::normalizedTransitions(result.trace) == scenario::normalizedTransitions(unpaused.trace));
}

TEST_CASE("the step gate releases the oldest waiter and nothing when none waits", "[live]") {
  trace::StepGate gate;
  CHECK_FALSE(gate.step());  // not paused, nobody waits
  gate.pause();
  CHECK(gate.paused());
  std::thread a([&] { gate.pass(7); });
  std::thread b([&] { gate.pass(3); });
  while (gate.waiting() < 2) std::this_thread::yield();
  REQUIRE(gate.step());  // releases seq 3 first
  b.join();
  CHECK(gate.waiting() == 1);
  gate.resume();
  a.join();
  CHECK(gate.waiting() == 0);
  gate.pass(9);  // not paused: returns at once
}
