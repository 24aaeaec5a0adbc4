#include <charconv>
#include <sstream>

#include "export/export.hpp"
#include "trace/fields.hpp"

namespace pollscope::exporting {
namespace {
std::vector<std::string> split(const std::string& s, char c) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, c))
    if (!item.empty()) out.push_back(item);
  return out;
}

bool toInt(const std::string& s, int64_t* v) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && p == s.data() + s.size();
}
}  // namespace

std::string parseGoroutineList(const std::string& text, Filter* f) {
  for (const auto& item : split(text, ',')) {
    int64_t v;
    std::string s = item;
    if (s.size() > 1 && (s[0] == 'G' || s[0] == 'g') && toInt(s.substr(1), &v))
      f->goroutines.insert(v);
    else if (toInt(s, &v))
      f->goroutines.insert(v);
    else
      f->goroutineNames.insert(s);
  }
  if (f->goroutines.empty() && f->goroutineNames.empty()) return "--goroutines needs ids or names, e.g. 2,server";
  return {};
}

std::string parseFdList(const std::string& text, Filter* f) {
  for (const auto& item : split(text, ',')) {
    int64_t v;
    if (!toInt(item, &v) || v < 0) return "--fds: \"" + item + "\" is not a file descriptor number";
    f->fds.insert(v);
  }
  if (f->fds.empty()) return "--fds needs numbers, e.g. 5,7";
  return {};
}

std::string parseRange(const std::string& text, std::optional<uint64_t>* from, std::optional<uint64_t>* to) {
  auto colon = text.find(':');
  if (colon == std::string::npos) return "a range is FROM:TO (either side may be empty), got \"" + text + "\"";
  int64_t a, b;
  std::string l = text.substr(0, colon), r = text.substr(colon + 1);
  if (!l.empty()) {
    if (!toInt(l, &a) || a < 0) return "range start \"" + l + "\" is not a sequence number";
    *from = static_cast<uint64_t>(a);
  }
  if (!r.empty()) {
    if (!toInt(r, &b) || b < 0) return "range end \"" + r + "\" is not a sequence number";
    *to = static_cast<uint64_t>(b);
  }
  if (*from && *to && **from > **to) return "empty range " + text + ": the start is after the end";
  return {};
}

std::string parseStepRange(const std::string& text, Filter* f) {
  std::optional<uint64_t> a, b;
  std::string err = parseRange(text, &a, &b);
  if (!err.empty()) return "--steps: " + err;
  if (a) f->fromStep = static_cast<int64_t>(*a);
  if (b) f->toStep = static_cast<int64_t>(*b);
  return {};
}

std::string validateFilter(const traceio::TraceModel& t, const Filter& f) {
  for (int64_t g : f.goroutines)
    if (!t.goroutines.count(g)) return "the trace has no goroutine " + std::to_string(g);
  for (const auto& name : f.goroutineNames) {
    bool found = false;
    for (const auto& [id, n] : t.goroutines) found = found || n == name;
    if (!found) return "the trace has no goroutine named \"" + name + "\"";
  }
  if (!f.fds.empty()) {
    std::set<int64_t> seen;
    for (const auto& e : t.events)
      if (auto o = trace::as<trace::Kind::pdOpen>(e)) seen.insert(o->fd());
    for (int64_t fd : f.fds)
      if (!seen.count(fd)) return "the trace never opens fd " + std::to_string(fd);
  }
  if (f.fromStep || f.toStep) {
    if (t.steps.empty()) return "--steps: this trace has no scenario steps";
    int64_t last = static_cast<int64_t>(t.steps.size()) - 1;
    if ((f.fromStep && *f.fromStep > last) || (f.toStep && *f.toStep > last))
      return "--steps: the scenario has steps 0.." + std::to_string(last);
  }
  if (f.fromSeq && !t.events.empty() && *f.fromSeq > t.events.back().seq)
    return "--range starts after the last event (seq " + std::to_string(t.events.back().seq) + ")";
  return {};
}

}  // namespace pollscope::exporting
