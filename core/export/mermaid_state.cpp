// Trace -> Mermaid stateDiagram-v2 of the transitions really taken, with counts.
// Edges are labelled with the Go runtime function that made the transition; rg and
// wg are separate machines (one composite state each), never merged.
#include <fmt/format.h>

#include <map>

#include "export/export.hpp"
#include "export/selection.hpp"
#include "trace/fields.hpp"
#include "trace/vocabulary.hpp"

namespace pollscope::exporting {
using trace::FieldType;
using trace::Kind;
using trace::SemBy;

namespace {
// The Go function behind each rg/wg transition, and what it does, for people.
std::string semLabel(SemBy by, bool zh) {
  switch (by) {
    case SemBy::pollReset: return zh ? "poll_runtime_pollReset（复位）" : "poll_runtime_pollReset";
    case SemBy::blockConsume: return zh ? "netpollblock（已就绪，不挂起）" : "netpollblock (ready, no park)";
    case SemBy::blockPrepare: return zh ? "netpollblock（准备挂起）" : "netpollblock";
    case SemBy::blockCommit: return zh ? "netpollblockcommit（挂起）" : "netpollblockcommit";
    case SemBy::blockSwap: return zh ? "netpollblock（醒来后）" : "netpollblock (after waking)";
    case SemBy::unblockIo: return zh ? "netpollunblock（I/O 就绪）" : "netpollunblock (netpollready)";
    case SemBy::unblockTimeout: return zh ? "netpolldeadlineimpl（超时）" : "netpolldeadlineimpl";
    case SemBy::unblockClose: return zh ? "poll_runtime_pollUnblock（关闭）" : "poll_runtime_pollUnblock";
    case SemBy::pollOpen: return zh ? "poll_runtime_pollOpen（打开）" : "poll_runtime_pollOpen";
  }
  return "?";
}

std::string waitReason(int64_t reason, bool zh) {
  std::string en(trace::enumName(FieldType::WaitReason, reason));
  if (!zh || en.empty()) return en;
  if (en == "IO wait") return "IO 等待";
  if (en == "sleep") return "睡眠";
  if (en == "scenario sync") return "场景同步";
  return en;  // semacquire, chan receive: Go's own words
}

std::string stateId(const std::string& s) {
  if (s == "G") return "parked";
  std::string out;
  for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return out;
}
}  // namespace

std::string mermaidState(const traceio::TraceModel& t, const Filter& f, Machine m, std::optional<int64_t> pd,
                         std::optional<trace::Mode> mode, bool zh) {
  // (machine, from, to, label) -> count, in first-seen order for a stable layout.
  using Key = std::tuple<std::string, std::string, std::string, std::string>;
  std::map<Key, int> counts;
  std::vector<Key> order;
  auto count = [&](std::string machine, std::string a, std::string b, std::string label) {
    Key key{machine, a, b, label};
    if (counts[key]++ == 0) order.push_back(key);
  };
  for (const trace::Event* e : select(t, f)) {
    if (m == Machine::semaphore && e->kind == Kind::sem) {
      trace::View<Kind::sem> s{*e};
      if (pd && s.pd() != *pd) continue;
      if (mode && s.mode() != *mode) continue;
      count(s.mode() == trace::Mode::w ? "wg" : "rg",
            std::string(trace::enumName(FieldType::SemState, static_cast<int64_t>(s.from()))),
            std::string(trace::enumName(FieldType::SemState, static_cast<int64_t>(s.to()))), semLabel(s.by(), zh));
    } else if (m == Machine::goroutine && e->kind == Kind::gStatus) {
      trace::View<Kind::gStatus> g{*e};
      count("", std::string(trace::enumName(FieldType::GStatus, static_cast<int64_t>(g.from()))),
            std::string(trace::enumName(FieldType::GStatus, static_cast<int64_t>(g.to()))),
            waitReason(static_cast<int64_t>(g.reason()), zh));
    }
  }
  std::string out = "stateDiagram-v2\n";
  if (m == Machine::goroutine) {
    out += zh ? "  %% goroutine 状态\n" : "  %% goroutine status\n";
    out += "  [*] --> _Gidle\n";
    for (const auto& key : order) {
      const auto& [machine, a, b, label] = key;
      int n = counts[key];
      std::string text = label.empty() ? fmt::format("×{}", n) : fmt::format("{} ×{}", label, n);
      out += fmt::format("  {} --> {} : {}\n", stateId(a), stateId(b), mermaidEscape(text));
    }
    out += "  _Gdead --> [*]\n";
    return out;
  }
  std::string which = pd ? " of pd" + std::to_string(*pd) : (zh ? "（所有 pollDesc）" : " (all pollDescs)");
  out += (zh ? "  %% pollDesc 的 rg/wg 信号量" : "  %% pollDesc rg/wg semaphore") + which + "\n";
  for (const char* machine : {"rg", "wg"}) {
    bool any = false;
    for (const auto& key : order) any = any || std::get<0>(key) == machine;
    if (!any) continue;
    std::string p = std::string(machine) + "_";
    out += fmt::format("  state \"{}\" as {} {{\n",
                       zh ? std::string(machine) + (machine[0] == 'r' ? "（读）" : "（写）")
                          : std::string(machine) + (machine[0] == 'r' ? " (read)" : " (write)"),
                       machine);
    for (const char* st : {"pdNil", "pdReady", "pdWait"}) out += fmt::format("    state \"{}\" as {}{}\n", st, p, st);
    out += fmt::format("    state \"{}\" as {}parked\n", zh ? "G（挂起的 goroutine）" : "G (a parked goroutine)", p);
    out += fmt::format("    [*] --> {}pdNil\n", p);
    for (const auto& key : order) {
      const auto& [mc, a, b, label] = key;
      if (mc != machine) continue;
      out += fmt::format("    {}{} --> {}{} : {}\n", p, stateId(a), p, stateId(b),
                         mermaidEscape(fmt::format("{} ×{}", label, counts[key])));
    }
    out += "  }\n";
  }
  return out;
}

}  // namespace pollscope::exporting
