#include "model/breakpoints.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "trace/fields.hpp"

namespace pollscope::viz {
using trace::FieldType;

std::string Breakpoint::describe() const {
  switch (on) {
    case On::kind: return fmt::format("kind {}", trace::kindSpec(static_cast<trace::Kind>(value)).name);
    case On::goroutine: return fmt::format("G{}", value);
    case On::fd: return fmt::format("fd {}", value);
    case On::semState: return fmt::format("rg/wg -> {}", trace::enumName(FieldType::SemState, value));
    case On::gStatus: return fmt::format("G -> {}", trace::enumName(FieldType::GStatus, value));
  }
  return "?";
}

bool hits(const Breakpoint& b, const trace::Event& e) {
  if (!b.enabled) return false;
  switch (b.on) {
    case Breakpoint::On::kind: return static_cast<int64_t>(e.kind) == b.value;
    case Breakpoint::On::goroutine:
      if (e.g == b.value) return true;
      for (trace::FieldValue f : trace::fieldsOf(e))
        if (f.spec.type == FieldType::G && f.raw == b.value) return true;
      return false;
    case Breakpoint::On::fd:
      for (trace::FieldValue f : trace::fieldsOf(e))
        if (f.spec.type == FieldType::Fd && f.raw == b.value) return true;
      return false;
    case Breakpoint::On::semState: {
      auto s = trace::as<trace::Kind::sem>(e);
      return s && static_cast<int64_t>(s->to()) == b.value;
    }
    case Breakpoint::On::gStatus: {
      auto g = trace::as<trace::Kind::gStatus>(e);
      return g && static_cast<int64_t>(g->to()) == b.value;
    }
  }
  return false;
}

bool hitsAny(const std::vector<Breakpoint>& bs, const trace::Event& e) {
  return std::any_of(bs.begin(), bs.end(), [&](const Breakpoint& b) { return hits(b, e); });
}

std::optional<size_t> nextBreak(const traceio::TraceModel& t, size_t cursor, const std::vector<Breakpoint>& bs) {
  for (size_t i = cursor; i < t.events.size(); ++i)
    if (hitsAny(bs, t.events[i])) return i + 1;
  return std::nullopt;
}

std::optional<size_t> prevBreak(const traceio::TraceModel& t, size_t cursor, const std::vector<Breakpoint>& bs) {
  for (size_t i = std::min(cursor, t.events.size() + 1); i-- > 1;)
    if (hitsAny(bs, t.events[i - 1])) return i;
  return std::nullopt;
}

void Bookmarks::toggle(size_t cursor, std::string label) {
  auto it =
      std::lower_bound(marks_.begin(), marks_.end(), cursor, [](const Bookmark& b, size_t c) { return b.cursor < c; });
  if (it != marks_.end() && it->cursor == cursor) {
    marks_.erase(it);
    return;
  }
  marks_.insert(it, Bookmark{cursor, std::move(label)});
}

std::optional<size_t> Bookmarks::next(size_t cursor) const {
  for (const auto& b : marks_)
    if (b.cursor > cursor) return b.cursor;
  return std::nullopt;
}

std::optional<size_t> Bookmarks::prev(size_t cursor) const {
  for (auto it = marks_.rbegin(); it != marks_.rend(); ++it)
    if (it->cursor < cursor) return it->cursor;
  return std::nullopt;
}

}  // namespace pollscope::viz
