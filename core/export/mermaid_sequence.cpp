// SequenceModel -> Mermaid sequenceDiagram text, in parts under Mermaid's size limit.
#include <fmt/format.h>

#include <map>
#include <set>
#include <string_view>

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
// Mermaid's boxes, in display order: the group, its title and colour.
struct Box {
  SeqGroup group;
  const char* en;
  const char* zh;
  const char* colour;
};
constexpr Box kBoxes[] = {{SeqGroup::user, "User code", "用户代码", "rgb(230,242,255)"},
                          {SeqGroup::runtime, "Go runtime", "Go 运行时", "rgb(255,244,229)"},
                          {SeqGroup::kernel, "Kernel", "内核", "rgb(238,238,238)"}};

std::string boxOpen(const Box& b, bool zh) {
  return fmt::format("  box {} {}\n", b.colour, zh ? b.zh : b.en);
}
constexpr std::string_view kBoxClose = "  end\n";
constexpr std::string_view kHead = "sequenceDiagram\n  autonumber\n";

std::string participantLine(const analysis::SeqParticipant& p) {
  return fmt::format("    participant {} as {}\n", p.id, mermaidEscape(p.label));
}

// A message's text is cut here: one line can never fill a part (trace strings are the
// user's; a 100 kB one would otherwise make a part no cut can shrink).
constexpr size_t kMaxTextChars = 2000;

std::string line(const SeqItem& it) {
  std::string text;
  if (it.text.size() > kMaxTextChars) {  // cut before escaping, so no entity code is cut in two
    size_t cut = kMaxTextChars;
    while (cut > 0 && (static_cast<unsigned char>(it.text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 char
    text = mermaidEscape(it.text.substr(0, cut)) + "...";
  } else {
    text = mermaidEscape(it.text);
  }
  switch (it.type) {
    case SeqItem::Type::message: return fmt::format("{}->>{}: {}", it.from, it.to, text);
    case SeqItem::Type::reply: return fmt::format("{}-->>{}: {}", it.from, it.to, text);
    case SeqItem::Type::note: return fmt::format("Note over {}: {}", it.from, text);
    case SeqItem::Type::activate: return "activate " + it.from;
    case SeqItem::Type::deactivate: return "deactivate " + it.from;
  }
  return {};
}

std::string activate(const std::string& id) {
  return "  activate " + id + "\n";
}
std::string deactivate(const std::string& id) {
  return "  deactivate " + id + "\n";
}

// Cuts the items into parts. A part declares only the participants it uses, so its
// preamble grows with its own lines, never with the whole trace: with thousands of
// goroutines parked at once, re-declaring and re-activating every one of them in
// every part made each preamble alone pass Mermaid's limit (and the parts multiply
// without bound). A goroutine parked across a cut is activated again in a later part
// when that part shows it; when all of them fit in a tenth of a part, they are all
// carried over, so small diagrams keep every parked bar in every part.
class Splitter {
 public:
  Splitter(const analysis::SequenceModel& m, bool zh, const PartSink& sink) : m_(m), zh_(zh), sink_(sink) {
    for (size_t i = 0; i < m.participants.size(); ++i) index_[m.participants[i].id] = i;
    for (const auto& p : m.participants) lineSize_[p.id] = participantLine(p).size();
  }

  void run() {
    startPart();
    for (const auto& it : m_.items) {
      std::string l = "  " + line(it) + "\n";
      if (!body_.empty() && size_ + costOf(it) + l.size() > kMermaidMaxChars) {
        finishPart();
        startPart();
      }
      add(it, l);
    }
    finishPart();
  }

 private:
  // What the item adds to the preamble and the part's closing lines.
  size_t costOf(const SeqItem& it) const {
    size_t c = usesCost(it.from);
    if (!it.to.empty() && it.to != it.from) c += usesCost(it.to);
    if (it.type == SeqItem::Type::activate && !open_.count(it.from)) c += deactivate(it.from).size();
    return c;
  }
  size_t usesCost(const std::string& id) const {
    if (used_.count(id)) return 0;
    size_t c = lineSize_.at(id);
    if (!groupsUsed_.count(groupOf(id))) c += boxOpen(boxFor(groupOf(id)), zh_).size() + kBoxClose.size();
    if (parked_.count(id)) c += activate(id).size() + deactivate(id).size();
    return c;
  }

  void use(const std::string& id) {
    if (used_.count(id)) return;
    size_ += usesCost(id);  // before it counts as used
    used_.insert(id);
    groupsUsed_.insert(groupOf(id));
    if (parked_.count(id)) {  // parked since an earlier part: its bar starts again here
      reopen_ += activate(id);
      open_.insert(id);
    }
  }

  void add(const SeqItem& it, const std::string& l) {
    use(it.from);
    if (!it.to.empty()) use(it.to);
    if (it.type == SeqItem::Type::activate) {
      if (open_.insert(it.from).second) size_ += deactivate(it.from).size();
      parked_.insert(it.from);
    } else if (it.type == SeqItem::Type::deactivate) {
      open_.erase(it.from);
      parked_.erase(it.from);
    }
    body_ += l;
    size_ += l.size();
  }

  void startPart() {
    used_.clear();
    groupsUsed_.clear();
    open_.clear();
    reopen_.clear();
    body_.clear();
    size_ = kHead.size();
    // Carry every parked goroutine over when that is cheap (the usual case).
    size_t all = 0;
    for (const auto& id : parked_) all += usesCost(id);
    if (all <= kMermaidMaxChars / 10)
      for (const auto& id : parked_) use(id);
  }

  void finishPart() {
    std::string out(kHead);
    for (const auto& box : kBoxes) {
      std::string members;
      for (const auto& p : m_.participants)
        if (p.group == box.group && used_.count(p.id)) members += participantLine(p);
      if (!members.empty()) out += boxOpen(box, zh_) + members + std::string(kBoxClose);
    }
    out += reopen_;
    out += body_;
    // A goroutine still parked at the cut ends its bar here (and starts again later).
    for (const auto& id : open_) out += deactivate(id);
    sink_(std::move(out));
  }

  SeqGroup groupOf(const std::string& id) const { return m_.participants[index_.at(id)].group; }
  static const Box& boxFor(SeqGroup g) {
    for (const auto& b : kBoxes)
      if (b.group == g) return b;
    return kBoxes[0];
  }

  const analysis::SequenceModel& m_;
  bool zh_;
  const PartSink& sink_;
  std::map<std::string, size_t> index_, lineSize_;
  std::set<std::string> parked_;  // activated and not yet deactivated, across parts
  // The part being built.
  std::set<std::string> used_, open_;
  std::set<SeqGroup> groupsUsed_;
  std::string reopen_, body_;
  size_t size_ = 0;  // what finishPart will write, counting the closing deactivations
};
}  // namespace

void mermaidSequence(const traceio::TraceModel& t, const Filter& f, Level level, bool zh, const PartSink& sink) {
  std::vector<size_t> idx;
  for (const trace::Event* e : select(t, f)) idx.push_back(static_cast<size_t>(e - t.events.data()));
  auto m = analysis::buildSequence(t, idx,
                                   level == Level::user ? analysis::SeqLevel::user : analysis::SeqLevel::runtime, zh);
  Splitter(m, zh, sink).run();
}

std::vector<std::string> mermaidSequence(const traceio::TraceModel& t, const Filter& f, Level level, bool zh) {
  std::vector<std::string> parts;
  mermaidSequence(t, f, level, zh, [&](std::string&& p) { parts.push_back(std::move(p)); });
  return parts;
}

}  // namespace pollscope::exporting
