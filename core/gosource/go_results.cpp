// Results of calls, from a trace (user return events inside each step) and from a
// Go program's report lines, and their comparison.
#include "gosource/go_results.hpp"

#include <fmt/format.h>

#include <map>
#include <set>
#include <sstream>

#include "trace/fields.hpp"
#include "trace/vocabulary.hpp"

namespace pollscope::gosource {
namespace {
using trace::Kind;
using trace::NetErr;
using trace::UserOp;

const std::set<std::string> kCompared = {"listen",
                                         "accept",
                                         "dial",
                                         "read",
                                         "read_all",
                                         "write",
                                         "close",
                                         "close_write",
                                         "echo",
                                         "set_read_deadline",
                                         "set_write_deadline",
                                         "set_deadline"};
const std::set<std::string> kBytes = {"read", "read_all", "write", "echo"};

// poll::Error::kindName's words, from a user event's fields.
std::string errKind(NetErr r, int64_t err) {
  switch (r) {
    case NetErr::ok: return "ok";
    case NetErr::eof: return "eof";
    case NetErr::closing: return "closed";
    case NetErr::timeout: return "timeout";
    case NetErr::notPollable: return "not_pollable";
    case NetErr::unexpectedEof: return "unexpected_eof";
    case NetErr::errno_: {
      std::string name = trace::errnoName(err);
      if (name == "ECONNREFUSED") return "refused";
      if (name == "ECONNRESET") return "reset";
      if (name == "EPIPE") return "broken_pipe";
      return "other(" + name + ")";
    }
  }
  return "?";
}

struct Open {
  int64_t step;
  std::vector<trace::View<Kind::user>> returns;
};

// The step's result from the user calls that returned inside it.
bool resultOf(const std::string& op, const std::vector<trace::View<Kind::user>>& rs, CallResult* out) {
  if (rs.empty()) return false;
  out->op = op;
  if (op == "read_all" || op == "echo") {
    int64_t n = 0;
    std::string err = "ok";
    for (const auto& r : rs) {
      bool isRead = r.op() == UserOp::read;
      if ((op == "read_all" && isRead) || (op == "echo" && r.op() == UserOp::write)) n += r.n();
      if (isRead || r.op() == UserOp::write) err = errKind(r.result(), r.err());
    }
    out->n = n;
    out->err = err == "eof" ? "ok" : err;
    return true;
  }
  const auto& last = rs.back();
  out->n = kBytes.count(op) ? last.n() : 0;
  out->err = errKind(last.result(), last.err());
  return true;
}
}  // namespace

std::vector<CallResult> traceResults(const traceio::TraceModel& t) {
  std::map<int64_t, std::string> stepOp, stepG;
  for (const auto& s : t.steps) {
    stepOp[s.id] = s.op;
    stepG[s.id] = s.goroutine;
  }
  std::map<int64_t, std::vector<Open>> open;  // per G: the steps it is inside
  std::vector<CallResult> out;
  for (const auto& e : t.events) {
    if (auto st = trace::as<Kind::step>(e)) {
      auto& stack = open[e.g];
      if (st->phase() == trace::Phase::call) {
        stack.push_back({st->step(), {}});
      } else if (!stack.empty()) {
        Open o = std::move(stack.back());
        stack.pop_back();
        CallResult r;
        r.step = o.step;
        r.goroutine = stepG[o.step];
        if (kCompared.count(stepOp[o.step]) && resultOf(stepOp[o.step], o.returns, &r)) out.push_back(r);
      }
    } else if (auto u = trace::as<Kind::user>(e)) {
      auto it = open.find(e.g);
      if (u->phase() == trace::Phase::ret && it != open.end() && !it->second.empty())
        it->second.back().returns.push_back(*u);
    }
  }
  return out;
}

std::vector<CallResult> parseGoOutput(const std::string& text) {
  std::vector<CallResult> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    // step ID GOROUTINE OP: n=N err=KIND ...
    std::istringstream ls(line);
    std::string word, nField, errField;
    CallResult r;
    if (!(ls >> word) || word != "step" || !(ls >> r.step >> r.goroutine >> r.op >> nField >> errField)) continue;
    if (r.op.empty() || r.op.back() != ':') continue;
    r.op.pop_back();
    if (!kCompared.count(r.op) || nField.rfind("n=", 0) != 0 || errField.rfind("err=", 0) != 0) continue;
    r.n = kBytes.count(r.op) ? std::stoll(nField.substr(2)) : 0;
    r.err = errField.substr(4);
    out.push_back(r);
  }
  return out;
}

std::string formatResult(const CallResult& r) {
  return fmt::format("step {} {} {}: n={} err={}", r.step, r.goroutine, r.op, r.n, r.err);
}

std::vector<std::string> compareResults(const std::vector<CallResult>& engine, const std::vector<CallResult>& go) {
  std::map<int64_t, std::vector<const CallResult*>> a, b;
  for (const auto& r : engine) a[r.step].push_back(&r);
  for (const auto& r : go) b[r.step].push_back(&r);
  std::set<int64_t> ids;
  for (const auto& [id, _] : a) ids.insert(id);
  for (const auto& [id, _] : b) ids.insert(id);
  std::vector<std::string> diffs;
  for (int64_t id : ids) {
    const auto& x = a[id];
    const auto& y = b[id];
    for (size_t i = 0; i < std::max(x.size(), y.size()); ++i) {
      std::string ex = i < x.size() ? fmt::format("n={} err={}", x[i]->n, x[i]->err) : "(no call)";
      std::string gy = i < y.size() ? fmt::format("n={} err={}", y[i]->n, y[i]->err) : "(no call)";
      if (ex == gy) continue;
      const CallResult* any = i < x.size() ? x[i] : y[i];
      diffs.push_back(fmt::format("step {} {} {}{}: engine {}, Go {}", id, any->goroutine, any->op,
                                  x.size() > 1 || y.size() > 1 ? fmt::format(" (turn {})", i + 1) : "", ex, gy));
    }
  }
  return diffs;
}

}  // namespace pollscope::gosource
