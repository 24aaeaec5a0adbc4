#include "export/selection.hpp"

#include "trace/fields.hpp"

namespace pollscope::exporting {
using trace::Kind;

std::vector<int64_t> goroutinesOf(const trace::Event& e) {
  std::vector<int64_t> out;
  if (e.g) out.push_back(e.g);
  for (trace::FieldValue f : trace::fieldsOf(e))
    if (f.spec.type == trace::FieldType::G && f.raw) out.push_back(f.raw);
  return out;
}

int64_t pdOf(const trace::Event& e) {
  return trace::fieldValue(e, "pd").value_or(0);
}

int64_t fdOf(const trace::Event& e) {
  return trace::fieldValue(e, "fd").value_or(-1);
}

std::vector<const trace::Event*> select(const traceio::TraceModel& t, const Filter& f) {
  std::optional<uint64_t> from = f.fromSeq, to = f.toSeq;
  // Step ids are the trace's natural bookmarks: from the step's start to the end's finish.
  for (const auto& e : t.events) {
    auto s = trace::as<Kind::step>(e);
    if (!s) continue;
    if (f.fromStep && s->step() == *f.fromStep && s->phase() == trace::Phase::call && !from) from = e.seq;
    if (f.toStep && s->step() == *f.toStep && s->phase() == trace::Phase::ret) to = e.seq;
  }
  std::set<int64_t> gs = f.goroutines;
  for (const auto& [id, name] : t.goroutines)
    if (f.goroutineNames.count(name)) gs.insert(id);
  // The pollDescs and fds the chosen goroutines (or fds) touch.
  std::set<int64_t> pds, fds = f.fds;
  for (const auto& e : t.events) {
    int64_t pd = pdOf(e), fd = fdOf(e);
    bool mine = !gs.empty() && e.g && gs.count(e.g);
    if (mine && fd >= 0) fds.insert(fd);
    if (mine && pd) pds.insert(pd);
    if (!f.fds.empty() && fd >= 0 && f.fds.count(fd) && pd) pds.insert(pd);
  }
  bool byG = !gs.empty(), byFd = !f.fds.empty();
  std::vector<const trace::Event*> out;
  for (const auto& e : t.events) {
    if (from && e.seq < *from) continue;
    if (to && e.seq > *to) continue;
    if (byG || byFd) {
      bool keep = false;
      if (byG)
        for (int64_t g : goroutinesOf(e)) keep = keep || gs.count(g);
      int64_t pd = pdOf(e), fd = fdOf(e);
      if (pd && pds.count(pd)) keep = true;
      if (fd >= 0 && fds.count(fd)) keep = true;
      if (byFd && !byG && e.kind == Kind::gStatus) keep = true;  // who runs, for context
      if (!keep) continue;
    }
    out.push_back(&e);
  }
  return out;
}

}  // namespace pollscope::exporting
