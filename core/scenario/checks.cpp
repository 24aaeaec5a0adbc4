// Checks a recorded trace against a scenario's `expect_trace` conditions:
// counts the events of each check's kind that match its field values (and, with
// "on", that belong to the named socket while it owned its pollDesc/fd).
#include <fmt/format.h>

#include "platform/platform.hpp"
#include "scenario/scenario.hpp"
#include "trace/fields.hpp"

namespace pollscope::scenario {
namespace {
using trace::Kind;

// The seq range in which an object owned its (pd, fd): from its pd_open (the last
// one for that pair before it was created) to the pd_free that released it.
struct Span {
  int64_t pd, fd;
  uint64_t from, to;
  uint64_t fdFrom;  // the socket()/accept4() that returned the fd, for fd-only events
};

std::vector<Span> spansOf(const traceio::TraceModel& t, const std::vector<ObjectUse>& uses) {
  std::vector<Span> out;
  for (const auto& u : uses) {
    Span sp{u.pd, u.fd, 0, UINT64_MAX, 0};
    bool sawSocket = false;
    for (const auto& e : t.events) {
      if (e.seq >= u.createdBy) break;
      if (auto o = trace::as<Kind::pdOpen>(e); o && o->pd() == u.pd && o->fd() == u.fd) sp.from = e.seq;
      auto sys = trace::as<Kind::sys>(e);
      bool opens = sys && sys->ret() == u.fd &&
                   (sys->op() == trace::SysOp::socket || sys->op() == trace::SysOp::accept ||
                    sys->op() == trace::SysOp::accept_plain);
      if (opens) {
        sp.fdFrom = e.seq;
        sawSocket = true;
      }
    }
    if (!sawSocket) sp.fdFrom = sp.from;
    for (const auto& e : t.events)
      if (auto f = trace::as<Kind::pdFree>(e); f && e.seq > sp.from && f->pd() == u.pd) {
        sp.to = e.seq;
        break;
      }
    out.push_back(sp);
  }
  return out;
}

// Scenario files name Linux's syscalls. Where the OS (or the portable build) has no
// accept4, the accept that returns the new fd is accept(2) + fcntl: a check for
// "accept4" means that call.
std::string platformSysOpName(const std::string& want) {
#if defined(PS_HAVE_ATOMIC_NONBLOCK_CLOEXEC)
  return want;
#else
  return want == "accept4" ? "accept" : want;
#endif
}
}  // namespace

std::vector<std::string> checkTrace(const Scenario& s, const traceio::TraceModel& t, const ObjectMap& objects) {
  std::vector<std::string> out;
  for (const auto& c : s.checks) {
    auto kind = *trace::kindFromName(c.kind);
    const auto& spec = trace::kindSpec(kind);
    bool hasPd = spec.fieldIndex("pd") >= 0, hasFd = spec.fieldIndex("fd") >= 0;
    std::vector<Span> spans;
    if (!c.on.empty()) {
      auto it = objects.find(c.on);
      if (it != objects.end()) spans = spansOf(t, it->second);
    }
    int64_t n = 0;
    for (const auto& e : t.events) {
      if (e.kind != kind) continue;
      bool match = true;
      for (const auto& [field, want] : c.where) {
        auto type = spec.fields[spec.fieldIndex(field)].type;
        int64_t raw = trace::fieldValue(e, field).value_or(0);  // the parser checked the field exists
        std::string have = trace::formatValue(type, raw);
        std::string wanted = type == trace::FieldType::SysOp ? platformSysOpName(want) : want;
        if (have != wanted && std::to_string(raw) != wanted) match = false;
      }
      if (match && !c.on.empty()) {
        bool mine = false;
        for (const auto& sp : spans) {
          if (hasPd) {
            mine = mine || (e.seq >= sp.from && e.seq <= sp.to && trace::fieldValue(e, "pd") == sp.pd);
          } else if (hasFd) {
            mine = mine || (e.seq >= sp.fdFrom && e.seq <= sp.to && trace::fieldValue(e, "fd") == sp.fd);
          }
        }
        match = mine;
      }
      n += match;
    }
    if (n < c.min || n > c.max) {
      std::string cond;
      for (const auto& [f, v] : c.where) cond += " " + f + "=" + v;
      std::string range = c.min == c.max       ? fmt::format("exactly {}", c.min)
                          : c.max == INT64_MAX ? fmt::format("at least {}", c.min)
                          : c.min == 0         ? fmt::format("at most {}", c.max)
                                               : fmt::format("{}..{}", c.min, c.max);
      out.push_back(fmt::format("{}: expected {} \"{}\" event(s){}{}, found {}{}", c.path, range, c.kind, cond,
                                c.on.empty() ? "" : " on " + c.on, n, c.why.empty() ? "" : " (" + c.why + ")"));
    }
  }
  return out;
}

}  // namespace pollscope::scenario
