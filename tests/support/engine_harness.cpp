#include "support/engine_harness.hpp"

#include <unistd.h>

#include <stdexcept>

#include "runtime/internal.hpp"
#include "trace/fields.hpp"

namespace pstest {
using namespace pollscope;

TraceModel runTraced(const Run& cfg, const std::function<void()>& body) {
  trace::Recorder rec;
  rt::Options o;
  o.gomaxprocs = cfg.gomaxprocs;
  o.recorder = &rec;
  o.throwsAsExceptions = cfg.throwsAsExceptions;
  o.sysmon = cfg.sysmon;
  TraceModel t;
  {
    rt::Runtime runtime(o);
    runtime.run(body);
    t.events = rec.collect();
    for (const auto& e : t.events)
      if (auto c = trace::as<Kind::gCreate>(e))
        t.goroutines[c->goid()] = rt::goroutineName(runtime.engine(), c->goid());
  }
  t.meta.backend = "epoll";
  t.meta.gomaxprocs = cfg.gomaxprocs;
  return t;
}

std::vector<std::string> semPath(const TraceModel& t, int64_t pd, char mode) {
  std::vector<std::string> out;
  for (const auto& e : t.events) {
    auto s = trace::as<Kind::sem>(e);
    if (!s || s->pd() != pd || static_cast<int64_t>(s->mode()) != mode) continue;
    out.push_back(std::string(trace::name(s->from())) + "->" + std::string(trace::name(s->to())) + ":" +
                  std::string(trace::name(s->by())));
  }
  return out;
}

int64_t pdOfFd(const TraceModel& t, int fd) {
  int64_t pd = 0;
  for (const auto& e : t.events)
    if (auto o = trace::as<Kind::pdOpen>(e); o && o->fd() == fd) pd = o->pd();
  return pd;
}

bool subsequence(const std::vector<std::string>& hay, const std::vector<std::string>& needle) {
  size_t i = 0;
  for (const auto& h : hay)
    if (i < needle.size() && h == needle[i]) ++i;
  return i == needle.size();
}

std::string lintReport(const TraceModel& t) {
  std::string out;
  for (const auto& i : analysis::lint(t)) out += "seq " + std::to_string(i.seq) + ": " + i.message + "\n";
  return out;
}

std::pair<int, int> socketPair() {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) != 0)
    throw std::runtime_error("socketpair failed");
  return {sv[0], sv[1]};
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace pstest
