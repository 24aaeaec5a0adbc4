// Story model -> Mermaid sequenceDiagram text (the --level story export).
#include <fmt/format.h>

#include <algorithm>

#include "export/export.hpp"
#include "export/selection.hpp"
#include "export/story.hpp"

namespace pollscope::exporting {

namespace {
std::string seqComment(const std::vector<uint64_t>& seqs, const std::string& indent, size_t maxSeqs) {
  if (seqs.empty()) return "";
  std::string out = indent + "%% seq";
  size_t shown = std::min(seqs.size(), maxSeqs);
  for (size_t i = 0; i < shown; ++i) out += (i ? "," : " ") + std::to_string(seqs[i]);
  if (shown < seqs.size()) out += fmt::format(" (+{} more)", seqs.size() - shown);
  return out + "\n";
}
}  // namespace

std::string renderMermaidStory(const Story& story, bool zh, size_t maxSeqs) {
  std::string out = "sequenceDiagram\n";
  out += zh ? "  %% 故事层级：每个箭头前的 seq 注释列出它所代表的 trace 事件\n"
            : "  %% story level: the seq comment before each arrow lists the trace events it stands for\n";
  for (const auto& p : story.participants) out += fmt::format("  participant {} as {}\n", p.id, mermaidEscape(p.label));
  std::string first = story.participants.empty() ? "" : story.participants.front().id;
  std::string last = story.participants.empty() ? "" : story.participants.back().id;
  int depth = 1;
  for (const auto& s : story.steps) {
    std::string indent(static_cast<size_t>(depth) * 2, ' ');
    switch (s.type) {
      case StoryStep::Type::message:
      case StoryStep::Type::reply:
        out += seqComment(s.seqs, indent, maxSeqs);
        out += fmt::format("{}{}{}{}: {}\n", indent, s.from, s.type == StoryStep::Type::reply ? "-->>" : "->>", s.to,
                           mermaidEscape(s.text));
        break;
      case StoryStep::Type::note: {
        out += seqComment(s.seqs, indent, maxSeqs);
        std::string over = s.from.empty() ? (first == last ? first : first + "," + last)
                                          : (s.to.empty() ? s.from : s.from + "," + s.to);
        out += fmt::format("{}Note over {}: {}\n", indent, over, mermaidEscape(s.text));
        break;
      }
      case StoryStep::Type::loopBegin:
        out += fmt::format("{}loop {}\n", indent, mermaidEscape(s.text));
        ++depth;
        break;
      case StoryStep::Type::altBegin:
        out += fmt::format("{}alt {}\n", indent, mermaidEscape(s.text));
        ++depth;
        break;
      case StoryStep::Type::altElse:
        out += fmt::format("{}else {}\n", std::string(static_cast<size_t>(std::max(1, depth - 1)) * 2, ' '),
                           mermaidEscape(s.text));
        break;
      case StoryStep::Type::blockEnd:
        depth = std::max(1, depth - 1);
        out += std::string(static_cast<size_t>(depth) * 2, ' ') + "end\n";
        break;
    }
  }
  return out;
}

std::string mermaidStory(const traceio::TraceModel& t, const Filter& f, const StoryOptions& opt) {
  std::vector<size_t> idx;
  for (const trace::Event* e : select(t, f)) idx.push_back(static_cast<size_t>(e - t.events.data()));
  Story story = buildStory(t, idx, opt);
  std::string text = renderMermaidStory(story, opt.zh);
  // A loop folded from hundreds of repetitions lists thousands of seqs: over
  // Mermaid's size limit, each arrow lists its first 12 and how many more.
  if (text.size() > kMermaidMaxChars) text = renderMermaidStory(story, opt.zh, 12);
  return text;
}

}  // namespace pollscope::exporting
