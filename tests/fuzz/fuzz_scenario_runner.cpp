// libFuzzer target for the scenario RUNNER: the input bytes choose a scenario (ops,
// nesting of loop and go, sleeps, deadlines and real sockets), which is parsed and,
// when the parser accepts it, run on the engine (under ASan in the fuzz build) and
// its trace linted. Every generated story ends on its own: each read is preceded by
// a short deadline and each accept by a dial to the same listener, loops multiply to
// at most 27 passes, so a run that hangs (the watchdog ends it) or a trace that does
// not lint is a finding, as is any crash. Nesting goes past the parser's limit, so
// the refusal is fuzzed too.
#include <cstddef>
#include <cstdint>
#include <string>

#include "analysis/lint.hpp"
#include "scenario/scenario.hpp"

namespace {

// Reads choices from the input; past its end every choice is 0 (the simplest story).
class Bytes {
 public:
  Bytes(const uint8_t* d, size_t n) : d_(d), n_(n) {}
  unsigned pick(unsigned n) { return n ? (i_ < n_ ? d_[i_++] : 0) % n : 0; }
  bool more() const { return i_ < n_; }

 private:
  const uint8_t* d_;
  size_t n_, i_ = 0;
};

class Generator {
 public:
  explicit Generator(Bytes& b) : b_(b) {}

  std::string scenario() {
    std::string procs = std::to_string(1 + b_.pick(2));
    std::string main = R"({"op":"listen","as":"ln"},{"op":"dial","addr":"@ln","as":"c"},)"
                       R"({"op":"accept","on":"ln","as":"s"})";
    std::string body = steps(0, 1);
    return R"({"format":"pollscope-scenario","version":1,"name":"fuzz","settings":{"gomaxprocs":)" + procs +
           R"(,"timeout_ms":20000,"deterministic":false},"goroutines":[{"name":"main","steps":[)" + main +
           (body.empty() ? "" : "," + body) + "]}]}";
  }

 private:
  const char* conn() { return b_.pick(2) ? "s" : "c"; }

  std::string steps(int depth, int passes) {
    std::string out;
    unsigned n = b_.pick(5);
    for (unsigned i = 0; i < n && b_.more() && total_ < 80; ++i) {
      std::string st = step(depth, passes);
      if (st.empty()) continue;
      out += (out.empty() ? "" : ",") + st;
      ++total_;
    }
    return out;
  }

  std::string step(int depth, int passes) {
    std::string on = conn();
    std::string ms = std::to_string(b_.pick(4));
    std::string any = R"(,"expect_error":"any")";
    switch (b_.pick(14)) {
      case 0:
        return R"({"op":"write","on":")" + on + R"(","data":")" + std::string(1 + b_.pick(48), 'a' + b_.pick(26)) +
               "\"" + any + "}";
      case 1: return R"({"op":"write","on":")" + on + R"(","data":"$last")" + any + "}";
      case 2:
      case 3:  // a read never waits long: a deadline first
        return R"({"op":"set_read_deadline","on":")" + on + R"(","ms":)" + ms + any + R"(},{"op":")" +
               (b_.pick(4) ? "read" : "read_all") + R"(","on":")" + on + R"(","size":)" +
               std::to_string(1 + b_.pick(64)) + any + "}";
      case 4: return R"({"op":"sleep","ms":)" + ms + "}";
      case 5: return R"({"op":"close_write","on":")" + on + "\"" + any + "}";
      case 6: return b_.pick(4) ? "" : R"({"op":"close","on":")" + on + "\"" + any + "}";
      case 7: return R"({"op":"set_deadline","on":")" + on + R"(","ms":)" + ms + any + "}";
      case 8: {  // an accept only after its own dial, so one is always waiting in the backlog
        std::string n = std::to_string(names_++);
        return R"({"op":"dial","addr":"@ln","as":"d)" + n + "\"" + any + R"(},{"op":"accept","on":"ln","as":"a)" + n +
               "\"" + any + "}";
      }
      case 9: return R"({"op":"set_option","on":")" + on + R"(","linger0":true)" + any + "}";
      case 10: return R"({"op":"spin","ms":)" + std::to_string(b_.pick(2)) + "}";
      case 11:
      case 12: {  // loop: passes multiply along the path, so at most 27 in all
        unsigned times = passes * 3 <= 27 ? 1 + b_.pick(3) : 1;
        std::string body = steps(depth + 1, passes * static_cast<int>(times));
        if (body.empty()) body = R"({"op":"sleep","ms":0})";
        return R"({"op":"loop","times":)" + std::to_string(times) + R"(,"steps":[)" + body + "]}";
      }
      default: {  // go: a goroutine that keeps this goroutine's sockets as they are now
        std::string body = steps(depth + 1, passes);
        if (body.empty()) body = R"({"op":"sleep","ms":0})";
        return R"({"op":"go","name":"g)" + std::to_string(names_++) + R"(","capture":["c","s"],"steps":[)" + body +
               "]}";
      }
    }
  }

  Bytes& b_;
  int total_ = 0, names_ = 0;
};

// Deep nesting is rare from random bytes: the first byte can ask for it outright.
std::string deepest(Bytes& b, std::string inner) {
  int depth = 60 + static_cast<int>(b.pick(8));  // around the limit (64)
  for (int i = 0; i < depth; ++i)
    inner = i % 2 ? R"({"op":"go","name":"deep)" + std::to_string(i) + R"(","steps":[)" + inner + "]}"
                  : R"({"op":"loop","times":1,"steps":[)" + inner + "]}";
  return R"({"format":"pollscope-scenario","version":1,"name":"deep","goroutines":[{"name":"main","steps":[)" + inner +
         "]}]}";
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Bytes b(data, size);
  bool deep = b.pick(16) == 0;
  std::string text;
  if (deep) {
    text = deepest(b, R"({"op":"sleep","ms":0})");
  } else {
    Generator g(b);
    text = g.scenario();
  }
  pollscope::scenario::Scenario s;
  std::string err;
  if (!pollscope::scenario::parseScenario(text, "fuzz.json", &s, &err)) {
    if (err.empty()) __builtin_trap();  // every rejection says why
    return 0;
  }
  pollscope::scenario::RunOptions opt;
  opt.traceChecks = false;
  auto r = pollscope::scenario::runScenario(s, opt);
  if (!r.ok && r.failures.empty()) __builtin_trap();                  // a failed run says why
  if (!pollscope::analysis::lint(r.trace).empty()) __builtin_trap();  // a real run is always legal
  return 0;
}
