// SequenceModel -> Mermaid sequenceDiagram text, in parts under Mermaid's size limit.
#include <fmt/format.h>

#include <set>

#include "analysis/sequence.hpp"
#include "export/export.hpp"
#include "export/selection.hpp"

namespace pollscope::exporting {
using analysis::SeqGroup;
using analysis::SeqItem;

std::string mermaidEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '#': out += "#35;"; break;
      case ';': out += "#59;"; break;
      case '<': out += "#60;"; break;
      case '>': out += "#62;"; break;
      case '{': out += "#123;"; break;
      case '}': out += "#125;"; break;
      case '"': out += "#34;"; break;
      case '%': out += "#37;"; break;  // "%%" would start a comment
      case '\n':
      case '\r': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

namespace {
std::string header(const analysis::SequenceModel& m, bool zh) {
  std::string out = "sequenceDiagram\n  autonumber\n";
  auto group = [&](SeqGroup g, const char* title, const char* colour) {
    std::string members;
    for (const auto& p : m.participants)
      if (p.group == g) members += fmt::format("    participant {} as {}\n", p.id, mermaidEscape(p.label));
    if (!members.empty()) out += fmt::format("  box {} {}\n{}  end\n", colour, title, members);
  };
  group(SeqGroup::user, zh ? "用户代码" : "User code", "rgb(230,242,255)");
  group(SeqGroup::runtime, zh ? "Go 运行时" : "Go runtime", "rgb(255,244,229)");
  group(SeqGroup::kernel, zh ? "内核" : "Kernel", "rgb(238,238,238)");
  return out;
}

std::string line(const SeqItem& it) {
  switch (it.type) {
    case SeqItem::Type::message: return fmt::format("{}->>{}: {}", it.from, it.to, mermaidEscape(it.text));
    case SeqItem::Type::reply: return fmt::format("{}-->>{}: {}", it.from, it.to, mermaidEscape(it.text));
    case SeqItem::Type::note: return fmt::format("Note over {}: {}", it.from, mermaidEscape(it.text));
    case SeqItem::Type::activate: return "activate " + it.from;
    case SeqItem::Type::deactivate: return "deactivate " + it.from;
  }
  return {};
}
}  // namespace

std::vector<std::string> mermaidSequence(const traceio::TraceModel& t, const Filter& f, Level level, bool zh) {
  std::vector<size_t> idx;
  for (const trace::Event* e : select(t, f)) idx.push_back(static_cast<size_t>(e - t.events.data()));
  auto m = analysis::buildSequence(t, idx,
                                   level == Level::user ? analysis::SeqLevel::user : analysis::SeqLevel::runtime, zh);
  std::string head = header(m, zh);
  std::vector<std::string> parts;
  std::string cur = head;
  std::set<std::string> open;  // activations open in the current part
  for (const auto& it : m.items) {
    std::string l = line(it);
    if (cur.size() + l.size() + 64 > kMermaidMaxChars && cur.size() > head.size()) {
      // A goroutine parked across the cut ends here and starts again in the next part.
      for (const auto& g : open) cur += "  deactivate " + g + "\n";
      parts.push_back(cur);
      cur = head;
      for (const auto& g : open) cur += "  activate " + g + "\n";
    }
    if (it.type == SeqItem::Type::activate) open.insert(it.from);
    if (it.type == SeqItem::Type::deactivate) open.erase(it.from);
    cur += "  " + l + "\n";
  }
  parts.push_back(cur);
  return parts;
}

}  // namespace pollscope::exporting
