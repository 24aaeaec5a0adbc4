#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "trace/atomic_file.hpp"
#include "trace/vocabulary.hpp"
#include "traceio/json.hpp"

namespace pollscope::traceio {

namespace {
std::string quote(const std::string& s) {
  return nlohmann::json(s).dump();
}
}  // namespace

JsonTraceWriter::JsonTraceWriter(std::ostream& out, const TraceMeta& m) : out_(out) {
  out_ << "{\"format\":\"" << kFormatName << "\",\"version\":" << kFormatVersion << ",\n\"meta\":{"
       << "\"engine\":" << quote(m.engine) << ",\"engine_version\":" << quote(m.engineVersion)
       << ",\"scenario\":" << quote(m.scenario) << ",\"title_en\":" << quote(m.titleEn)
       << ",\"title_zh\":" << quote(m.titleZh) << ",\"description_en\":" << quote(m.descriptionEn)
       << ",\"description_zh\":" << quote(m.descriptionZh) << ",\"backend\":" << quote(m.backend)
       << ",\"gomaxprocs\":" << m.gomaxprocs << ",\"ring\":" << (m.ring ? "true" : "false")
       << ",\"overwritten\":" << m.overwritten;
  if (!m.partial.empty()) out_ << ",\"partial\":" << quote(m.partial);
  out_ << "},\n\"events\":[";
}

JsonTraceWriter::JsonTraceWriter(std::ostream& out, const TraceMeta& m, const std::vector<StepInfo>& stepsFirst)
    : out_(out) {
  std::ostringstream header;
  { JsonTraceWriter plain(header, m); }
  std::string h = header.str();  // ... "},\n\"events\":[" : the steps go in before "events"
  size_t at = h.rfind("\n\"events\":[");
  out_ << h.substr(0, at);
  writeSteps(stepsFirst);
  out_ << "," << h.substr(at);
}

void JsonTraceWriter::writeSteps(const std::vector<StepInfo>& steps) {
  out_ << "\n\"steps\":[";
  for (size_t i = 0; i < steps.size(); ++i) {
    const auto& s = steps[i];
    out_ << (i ? ",\n" : "\n") << "{\"id\":" << s.id << ",\"goroutine\":" << quote(s.goroutine)
         << ",\"path\":" << quote(s.path) << ",\"op\":" << quote(s.op) << ",\"say_en\":" << quote(s.sayEn)
         << ",\"say_zh\":" << quote(s.sayZh) << "}";
  }
  out_ << "\n]";
  stepsWritten_ = true;
}

int JsonTraceWriter::siteId(const trace::Site* s) {
  if (!s) return -1;
  auto [it, inserted] = siteIds_.try_emplace(s, static_cast<int>(sites_.size()));
  if (inserted) sites_.push_back(s);
  return it->second;
}

// Called for every event of a trace; formats into one reused buffer.
void JsonTraceWriter::event(const trace::Event& e) {
  buf_.clear();
  event(e, buf_);
  out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
}

void JsonTraceWriter::event(const trace::Event& e, ByteBuffer& out) {
  if (e.site != lastSite_) {
    lastSite_ = e.site;
    lastSiteId_ = siteId(e.site);
  }
  lines_.append(out, e, lastSiteId_, first_);
  first_ = false;
}

void JsonTraceWriter::finish(const std::map<int64_t, std::string>& goroutines, const std::vector<StepInfo>& steps,
                             const std::string& trailingPartial) {
  out_ << "\n],\n\"sites\":[";
  for (size_t i = 0; i < sites_.size(); ++i) {
    const auto* s = sites_[i];
    out_ << (i ? ",\n" : "\n") << "{\"id\":" << i << ",\"file\":" << quote(s->file) << ",\"line\":" << s->line
         << ",\"go\":" << quote(s->goFunc) << ",\"cpp\":" << quote(s->cppFunc) << "}";
  }
  out_ << "\n],\n\"goroutines\":[";
  bool first = true;
  for (const auto& [id, name] : goroutines) {
    out_ << (first ? "\n" : ",\n") << "{\"g\":" << id << ",\"name\":" << quote(name) << "}";
    first = false;
  }
  out_ << "\n]";
  if (!stepsWritten_) {
    out_ << ",";
    writeSteps(steps);
  }
  if (!trailingPartial.empty()) out_ << ",\n\"partial\":" << quote(trailingPartial);
  out_ << "}\n";
}

void writeTrace(std::ostream& out, const TraceModel& model) {
  JsonTraceWriter w(out, model.meta);
  for (const auto& e : model.events) w.event(e);
  w.finish(model.goroutines, model.steps);
}

bool writeTraceFile(const std::string& path, const TraceModel& model, std::string* error) {
  // Atomically: after a crash or a kill the file at `path` is a whole trace or absent.
  return trace::writeFileAtomically(
      path,
      [&](std::ostream& out) {
        writeTrace(out, model);
        return static_cast<bool>(out);
      },
      error);
}

}  // namespace pollscope::traceio
