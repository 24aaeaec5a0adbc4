// The fast event-line formatter (traceio/event_line.hpp) writes exactly the bytes
// the format describes: fixed lines written out by hand for a few kinds; every
// kind, with values of every shape, against a plain fmt-based rendering of
// docs/trace-format.md's event line (the formatter the writer used before); and
// every kind through the reader and back.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <climits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "trace/fields.hpp"
#include "trace/vocabulary.hpp"
#include "traceio/json.hpp"

using namespace pollscope;
using trace::Event;
using trace::FieldType;
using trace::Kind;

namespace {

const trace::Site kSiteA{"core/a.cpp", 10, "runtime.a", "a"};
const trace::Site kSiteB{"core/b.cpp", 20, "runtime.b", "b"};

// The events section of a trace written whole: the text between "events":[ and the
// sites table.
std::string eventsText(const std::vector<Event>& events) {
  traceio::TraceModel model;
  model.events = events;
  std::ostringstream out;
  traceio::writeTrace(out, model);
  std::string s = out.str();
  size_t from = s.find("\"events\":[") + 10, to = s.find("\n],\n\"sites\":[");
  REQUIRE(to != std::string::npos);
  return s.substr(from, to - from);
}

// The same events through the streaming entry point (lines appended to a buffer).
std::string bufferedText(const std::vector<Event>& events) {
  std::ostringstream header;
  traceio::JsonTraceWriter w(header, {});
  traceio::ByteBuffer buf;
  for (const auto& e : events) w.event(e, buf);
  return std::string(buf.view());
}

// docs/trace-format.md's event line, rendered the plain way with fmt.
std::string jsonString(std::string_view s) {
  for (char c : s)
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return nlohmann::json(std::string(s)).dump();
  return fmt::format("\"{}\"", s);
}

std::string referenceLine(const Event& e, int site, bool first) {
  const auto& spec = trace::kindSpec(e.kind);
  std::string out = fmt::format("{}\n{{\"seq\":{},\"ts\":{},\"m\":{},\"p\":{},\"g\":{},\"kind\":\"{}\",\"site\":{}",
                                first ? "" : ",", e.seq, e.ts, e.m, e.p, e.g, spec.name, site);
  for (int i = 0; i < trace::kMaxArgs && spec.fields[i].name; ++i) {
    const auto& f = spec.fields[i];
    int64_t v = e.a[i];
    out += fmt::format(",\"{}\":", f.name);
    if (trace::isEnumType(f.type)) {
      out += jsonString(trace::enumName(f.type, v));
    } else if (f.type == FieldType::Bool) {
      out += v ? "true" : "false";
    } else {
      out += std::to_string(v);
      if (trace::hasNameBeside(f.type))
        out += fmt::format(",\"{}_name\":{}", f.name, jsonString(trace::formatValue(f.type, v)));
    }
  }
  return out + "}";
}

// Values of every shape a field of type `t` takes; `inRange` keeps those a trace
// may hold (enum values with a name), for the round trip through the reader.
std::vector<int64_t> valuesOf(FieldType t, bool inRange) {
  std::vector<int64_t> all;
  if (trace::isEnumType(t) || t == FieldType::PollErr) {
    for (int64_t v = -1; v < 260; ++v) all.push_back(v);  // Mode's values are characters ('r' + 'w' = 233)
    all.push_back(INT64_MAX);
  } else if (t == FieldType::Bool) {
    all = {0, 1};
  } else if (t == FieldType::EpollMask) {
    all = {0, 0x1, 0x5, 0x2001, 0x80000001, 0x80002019, 0x4000, -1};
  } else if (t == FieldType::Errno) {
    all = {0, 11, 104, 110, 4, 9999, -3};
  } else {
    all = {0, 1, -1, 7, 42, 1000, 999999, 1234567890123, INT64_MAX, INT64_MIN};
  }
  if (!inRange || !(trace::isEnumType(t) || t == FieldType::PollErr)) return all;
  std::vector<int64_t> named;
  for (int64_t v : all)
    if (trace::enumName(t, v) != "?" && trace::enumValue(t, trace::enumName(t, v)) == v) named.push_back(v);
  return named;
}

// Events of every kind, each field cycling through its values, with varied
// headers and sites (nullptr included: "site":-1).
std::vector<Event> eventsOfEveryKind(bool inRange) {
  std::vector<Event> out;
  const trace::Site* sites[] = {&kSiteA, &kSiteB, nullptr};
  uint64_t seq = 0;
  for (int k = 0; k < static_cast<int>(Kind::count_); ++k) {
    const auto& spec = trace::kindSpec(static_cast<Kind>(k));
    size_t rounds = 1;
    for (int i = 0; i < spec.fieldCount(); ++i)
      rounds = std::max(rounds, valuesOf(spec.fields[i].type, inRange).size());
    for (size_t r = 0; r < rounds; ++r) {
      Event e;
      e.kind = static_cast<Kind>(k);
      e.seq = r % 5 == 4 && !inRange ? UINT64_MAX - r : seq;
      ++seq;
      e.ts = r % 3 == 2 ? -static_cast<int64_t>(r) : static_cast<int64_t>(r * 1000003);
      e.m = static_cast<int16_t>(r % 4 == 3 ? -1 : r % 3);
      e.p = static_cast<int16_t>(r % 4 == 1 ? -1 : r % 2);
      e.g = r % 7 == 6 ? INT64_MAX : static_cast<int64_t>(r);
      e.site = inRange ? sites[r % 2] : sites[r % 3];
      for (int i = 0; i < spec.fieldCount(); ++i) {
        auto vs = valuesOf(spec.fields[i].type, inRange);
        e.a[i] = vs[(r + static_cast<size_t>(i) * 3) % vs.size()];
      }
      out.push_back(e);
    }
  }
  return out;
}

// The header fields every event line starts with.
void stamp(Event& e, uint64_t seq, int64_t ts, int16_t m, int16_t p, int64_t g, const trace::Site* site) {
  e.seq = seq;
  e.ts = ts;
  e.m = m;
  e.p = p;
  e.g = g;
  e.site = site;
}

}  // namespace

TEST_CASE("event lines: fixed lines for a few kinds", "[traceio][event_line]") {
  Event sys = trace::makeEvent<Kind::sys>({.op = trace::SysOp::read, .fd = 7, .ret = -1, .err = 11, .arg = 0});
  stamp(sys, 3, 1500, 0, 0, 4, &kSiteA);
  Event ev = trace::makeEvent<Kind::pollEvent>({.fd = 9,
                                                .pd = 2,
                                                .mask = 0x80000001,
                                                .mode = trace::Mode::r,
                                                .tag = 12,
                                                .pdFdseq = 1,
                                                .action = trace::PollAction::ready});
  stamp(ev, 4, 1700, 1, -1, 0, &kSiteB);
  Event st = trace::makeEvent<Kind::gStatus>({.goid = 5,
                                              .from = trace::GStatus::Grunning,
                                              .to = trace::GStatus::Gwaiting,
                                              .reason = trace::WaitReason::ioWait});
  stamp(st, 5, 1800, 0, 0, 5, &kSiteA);
  Event err = trace::makeEvent<Kind::setEventErr>({.pd = 2, .fd = 9, .value = true, .tag = 0, .applied = false});
  stamp(err, 6, 1900, -1, -1, 0, nullptr);
  std::string want =
      "\n{\"seq\":3,\"ts\":1500,\"m\":0,\"p\":0,\"g\":4,\"kind\":\"sys\",\"site\":0,\"op\":\"read\",\"fd\":7,"
      "\"ret\":-1,\"err\":11,\"err_name\":\"EAGAIN\",\"arg\":0}"
      ",\n{\"seq\":4,\"ts\":1700,\"m\":1,\"p\":-1,\"g\":0,\"kind\":\"poll_event\",\"site\":1,\"fd\":9,\"pd\":2,"
      "\"mask\":2147483649,\"mask_name\":\"EPOLLIN|EPOLLET\",\"mode\":\"r\",\"tag\":12,\"pd_fdseq\":1,"
      "\"action\":\"ready\"}"
      ",\n{\"seq\":5,\"ts\":1800,\"m\":0,\"p\":0,\"g\":5,\"kind\":\"gstatus\",\"site\":0,\"goid\":5,"
      "\"from\":\"_Grunning\",\"to\":\"_Gwaiting\",\"reason\":\"IO wait\"}"
      ",\n{\"seq\":6,\"ts\":1900,\"m\":-1,\"p\":-1,\"g\":0,\"kind\":\"set_event_err\",\"site\":-1,\"pd\":2,\"fd\":9,"
      "\"value\":true,\"tag\":0,\"applied\":false}";
  std::vector<Event> events{sys, ev, st, err};
  CHECK(eventsText(events) == want);
  CHECK(bufferedText(events) == want);
}

TEST_CASE("event lines: every kind, every value shape, as the plain rendering", "[traceio][event_line]") {
  auto events = eventsOfEveryKind(false);
  REQUIRE(events.size() > 1000);
  std::string want;
  std::vector<const trace::Site*> order;
  for (size_t i = 0; i < events.size(); ++i) {
    int site = -1;
    if (events[i].site) {
      auto it = std::find(order.begin(), order.end(), events[i].site);
      if (it == order.end()) it = order.insert(order.end(), events[i].site);
      site = static_cast<int>(it - order.begin());
    }
    want += referenceLine(events[i], site, i == 0);
  }
  std::string whole = eventsText(events), buffered = bufferedText(events);
  CHECK(whole.size() == want.size());
  CHECK(whole == want);
  CHECK(buffered == want);
}

TEST_CASE("event lines: every kind read back is the same event", "[traceio][event_line]") {
  auto events = eventsOfEveryKind(true);
  traceio::TraceModel model;
  model.events = events;
  std::ostringstream out;
  traceio::writeTrace(out, model);
  traceio::TraceModel back;
  std::string err;
  INFO(err);
  REQUIRE(traceio::readTrace(out.str(), &back, &err));
  REQUIRE(back.events.size() == events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    INFO(i << " " << trace::kindSpec(events[i].kind).name);
    CHECK(back.events[i].seq == events[i].seq);
    CHECK(back.events[i].ts == events[i].ts);
    CHECK(back.events[i].m == events[i].m);
    CHECK(back.events[i].p == events[i].p);
    CHECK(back.events[i].g == events[i].g);
    CHECK(back.events[i].kind == events[i].kind);
    CHECK(trace::sameFields(back.events[i], events[i]));
  }
  std::ostringstream again;
  traceio::writeTrace(again, back);
  CHECK(again.str() == out.str());
}
