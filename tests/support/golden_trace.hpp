// A golden trace from traces/ (what the engine records today), read for a test.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "traceio/json.hpp"

namespace pstest {

inline pollscope::traceio::TraceModel goldenTrace(const std::string& name) {
  pollscope::traceio::TraceModel t;
  std::string err;
  INFO(err);
  REQUIRE(pollscope::traceio::readTraceFile(std::string(POLLSCOPE_SOURCE_DIR) + "/traces/" + name + ".trace.json", &t,
                                            &err));
  return t;
}

}  // namespace pstest
