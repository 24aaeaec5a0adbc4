// The phase strip's mapping: a parked read walks the phases in their order.
#include <catch2/catch.hpp>
#include <vector>

#include "analysis/phase.hpp"
#include "trace/fields.hpp"
#include "traceio/json.hpp"

using namespace pollscope;
using analysis::Phase;

TEST_CASE("a read that parks goes through the phases in order", "[phase]") {
  traceio::TraceModel t;
  std::string err;
  REQUIRE(traceio::readTraceFile(std::string(POLLSCOPE_SOURCE_DIR) + "/traces/read-before-data.trace.json", &t, &err));
  // The server's Read on the accepted conn: from its call to its return.
  size_t from = 0, to = 0;
  for (size_t i = 0; i < t.events.size(); ++i) {
    const auto& e = t.events[i];
    auto u = trace::as<trace::Kind::user>(e);
    if (!u || u->op() != trace::UserOp::read) continue;
    if (u->phase() == trace::Phase::call && !from) from = i;
    if (u->phase() == trace::Phase::ret && from && e.g == t.events[from].g) {
      to = i;
      break;
    }
  }
  REQUIRE(to > from);
  // Phases by first appearance on the way, counting what the server's goroutine
  // does and what the scheduler does without naming another goroutine (the
  // client runs in between, on its own road): the order of the strip.
  int64_t server = t.events[from].g;
  auto concerns = [&](const trace::Event& e) {
    if (e.g) return e.g == server;
    for (trace::FieldValue f : trace::fieldsOf(e))
      if (f.spec.type == trace::FieldType::G && f.raw && f.raw != server) return false;
    return true;
  };
  std::vector<Phase> seen;
  for (size_t i = from; i <= to; ++i)
    if (auto p = analysis::phaseOf(t.events[i]);
        p && concerns(t.events[i]) && std::find(seen.begin(), seen.end(), *p) == seen.end())
      seen.push_back(*p);
  std::vector<Phase> want{Phase::userCode,     Phase::pollFD,   Phase::pollWait, Phase::netpollblock,
                          Phase::gopark,       Phase::schedule, Phase::netpoll,  Phase::epollWait,
                          Phase::netpollready, Phase::inject,   Phase::run};
  std::vector<std::string> got, expected;
  for (auto p : seen) got.push_back(analysis::phaseName(p));
  for (auto p : want) expected.push_back(analysis::phaseName(p));
  CHECK(got == expected);
  CHECK(std::string(analysis::phaseName(Phase::run, true)) == "运行");
}
