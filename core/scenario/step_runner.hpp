// Runs one goroutine's steps: announces each step in the trace, hands it to its
// op's handler (ops/*.cpp, reached through the op table), then checks what every
// step may expect (expect_error, expect_bytes).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "poll/error.hpp"
#include "scenario/world.hpp"

namespace pollscope::scenario::runner {

// What an op did, for the expectations every step shares.
struct OpOutcome {
  poll::Error err;
  std::string detail;  // added to an unexpected error's message
  int64_t bytes = -1;  // read/written; < 0: the op moves no bytes
};

class StepRunner {
 public:
  using Captured = std::map<std::string, std::shared_ptr<net::Conn>>;
  // handler: a goroutine a serving scenario started with `go`; its errors end it
  // alone (logged) instead of failing the run.
  StepRunner(World& w, std::string gname, Captured captured = {}, bool handler = false)
      : w_(w), g_(std::move(gname)), captured_(std::move(captured)), handler_(handler) {}

  // Returns false when the goroutine must stop (its step failed or the run aborted).
  bool runAll(const std::vector<Step>& steps);

  World& world() { return w_; }
  // "goroutines[0].steps[3] (server read)": how failures name a step.
  std::string where(const Step& s) const;
  // Fails the step (and so the run, or a serving handler only) with `where: what`;
  // returns false for `return r.fail(...)`.
  bool fail(const Step& s, const std::string& what);

  // A connection by name: this goroutine's captured one, else the shared one
  // (waiting until some step creates it). nullptr if the name is something else.
  std::shared_ptr<net::Conn> conn(const std::string& name);
  // This goroutine's captured connection of that name, or nullptr.
  std::shared_ptr<net::Conn> capturedConn(const std::string& name) const;
  // The look-up guard: the named connection/listener, or nullptr after failing
  // the step with `"name" is not a connection` (`... a listener`).
  std::shared_ptr<net::Conn> needConn(const Step& s, const std::string& name);
  std::shared_ptr<net::Listener> needListener(const Step& s, const std::string& name);
  // The guard's one wording, for ops that take either kind of socket; returns false.
  bool notA(const Step& s, const std::string& name, const char* what);

  // What this goroutine read last (write's "$last").
  std::string& lastRead() { return lastRead_; }

 private:
  bool run(const Step& s);

  World& w_;
  std::string g_;
  Captured captured_;
  std::string lastRead_;
  bool handler_ = false;
};

}  // namespace pollscope::scenario::runner
