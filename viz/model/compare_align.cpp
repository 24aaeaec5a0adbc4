#include "model/compare_align.hpp"

#include "trace/fields.hpp"
#include "trace/vocabulary.hpp"

namespace pollscope::viz {

namespace {
bool readEagain(const traceio::TraceModel&, const trace::Event& e) {
  auto s = trace::as<trace::Kind::sys>(e);
  return s && s->op() == trace::SysOp::read && trace::errnoName(s->err()) == "EAGAIN";
}
bool readCall(const traceio::TraceModel&, const trace::Event& e) {
  auto u = trace::as<trace::Kind::user>(e);
  return u && u->op() == trace::UserOp::read && u->phase() == trace::Phase::call;
}
bool readReturn(const traceio::TraceModel&, const trace::Event& e) {
  auto u = trace::as<trace::Kind::user>(e);
  return u && u->op() == trace::UserOp::read && u->phase() == trace::Phase::ret;
}
bool start(const traceio::TraceModel&, const trace::Event&) {
  return true;
}
}  // namespace

const AlignRule kAlignRules[] = {
    {"eagain", "the read's first EAGAIN (poll.FD turns to the poller)", Ui::alignEagain, readEagain},
    {"read", "the first Read call", Ui::alignRead, readCall},
    {"read-return", "the first Read's return", Ui::alignReadReturn, readReturn},
    {"start", "the first event", Ui::alignStart, start},
};
const size_t kAlignRuleCount = std::size(kAlignRules);

const AlignRule* alignRuleNamed(std::string_view name) {
  for (const auto& r : kAlignRules)
    if (name == r.name) return &r;
  return nullptr;
}

std::string alignRuleNamesInWords() {
  std::string out;
  for (size_t i = 0; i < kAlignRuleCount; ++i) {
    if (i) out += i + 1 == kAlignRuleCount ? " or " : ", ";
    out += kAlignRules[i].name;
  }
  return out;
}

std::optional<size_t> alignCursor(const traceio::TraceModel& t, const AlignRule& rule) {
  for (size_t i = 0; i < t.events.size(); ++i)
    if (rule.matches(t, t.events[i])) return i + 1;
  return std::nullopt;
}

}  // namespace pollscope::viz
