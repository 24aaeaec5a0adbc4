// SAX reader for trace files. Every container in the format is a flat object or
// an array of flat objects, so the handler collects one flat object at a time
// (key -> scalar) and converts it when the object closes. Memory stays at the
// size of the event vector, never a DOM of the file.
//
// A file that simply stops (a streamed trace whose run was killed or crashed:
// docs/trace-format.md, "Streamed traces") is read up to its last complete event,
// with TraceMeta::cut saying where it stops, rather than refused.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>
#include <variant>

#include "platform/platform.hpp"
#include "trace/regular_file.hpp"
#include "trace/vocabulary.hpp"
#include "traceio/json.hpp"
#include "traceio/json_fast.hpp"

namespace pollscope::traceio {
namespace {
using json = nlohmann::json;
using Scalar = std::variant<std::monostate, int64_t, double, bool, std::string>;

enum class Section { none, meta, events, sites, goroutines, steps };

std::string describe(const Scalar& v) {
  if (std::holds_alternative<std::string>(v)) return "string";
  if (std::holds_alternative<bool>(v)) return "boolean";
  if (std::holds_alternative<double>(v)) return "a fraction or an out-of-range number";
  if (std::holds_alternative<std::monostate>(v)) return "null";
  return "integer";
}

class Handler : public nlohmann::json_sax<json> {
 public:
  Handler(TraceModel* model, size_t total, const ReadOptions& opt) : m_(model), total_(total), opt_(opt) {}

  std::string error;
  bool sawFormat = false, sawVersion = false, sawEvents = false, sawMeta = false;
  size_t bytePos = 0;           // approximate: updated from parse errors
  bool endedEarly = false;      // the JSON stops at the end of the input (a cut file), not at a bad byte
  std::string trailingPartial;  // a top-level "partial" after the tables (a streamed trace's note)

  bool null() override { return scalar(std::monostate{}); }
  bool boolean(bool v) override { return scalar(v); }
  bool number_integer(number_integer_t v) override { return scalar(static_cast<int64_t>(v)); }
  bool number_unsigned(number_unsigned_t v) override {
    if (v > static_cast<number_unsigned_t>(INT64_MAX)) return fail("number " + std::to_string(v) + " is too large");
    return scalar(static_cast<int64_t>(v));
  }
  bool number_float(number_float_t v, const string_t&) override { return scalar(static_cast<double>(v)); }
  bool string(string_t& v) override { return scalar(std::move(v)); }
  bool binary(binary_t&) override { return fail("binary values are not allowed"); }

  bool start_object(std::size_t) override {
    ++depth_;
    if (depth_ == 1) return true;
    if (depth_ == 2 && key_ == "meta" && !inArray_) {
      section_ = Section::meta;
      fields_.clear();
      return true;
    }
    if (depth_ == 2 && inArray_) {
      fields_.clear();
      return true;
    }
    return fail(where() + ": unexpected nested object under \"" + key_ + "\"");
  }

  bool end_object() override {
    --depth_;
    if (depth_ == 0) return true;
    if (section_ == Section::meta && !inArray_) {
      section_ = Section::none;
      sawMeta = true;
      return convertMeta();
    }
    switch (section_) {
      case Section::events: return convertEvent();
      case Section::sites: return convertSite();
      case Section::goroutines: return convertGoroutine();
      case Section::steps: return convertStep();
      default: return fail("unexpected object");
    }
  }

  bool start_array(std::size_t) override {
    if (depth_ != 1 || inArray_) return fail(where() + ": unexpected array under \"" + key_ + "\"");
    inArray_ = true;
    index_ = 0;
    if (key_ == "events") {
      section_ = Section::events;
      sawEvents = true;
    } else if (key_ == "sites") {
      section_ = Section::sites;
    } else if (key_ == "goroutines") {
      section_ = Section::goroutines;
    } else if (key_ == "steps") {
      section_ = Section::steps;
    } else {
      return fail("unknown top-level array \"" + key_ + "\"");
    }
    return true;
  }

  bool end_array() override {
    whole_[static_cast<int>(section_)] = true;
    inArray_ = false;
    section_ = Section::none;
    return true;
  }

  bool key(string_t& k) override {
    key_ = k;
    return true;
  }

  bool parse_error(std::size_t position, const std::string& lastToken, const nlohmann::detail::exception& ex) override {
    std::string msg = ex.what();
    // nlohmann's message starts with "[json.exception.parse_error.101] parse error at line L, column C: ..."
    auto p = msg.find("parse error");
    if (p != std::string::npos) msg = msg.substr(p);
    // Cut short, not malformed: the input ends inside a token or where more must come.
    auto prefixOf = [&](const char* word) {
      return !lastToken.empty() && std::string_view(word).substr(0, lastToken.size()) == lastToken;
    };
    endedEarly =
        error.empty() && position >= total_ &&
        (msg.find("end of input") != std::string::npos || msg.find("missing closing quote") != std::string::npos ||
         msg.find("ill-formed UTF-8") != std::string::npos || lastToken == "-" || prefixOf("true") ||
         prefixOf("false") || prefixOf("null"));
    if (error.empty())
      error = "byte " + std::to_string(position) + ": malformed JSON: " + msg +
              (lastToken.empty() ? "" : " (near '" + lastToken.substr(0, 40) + "')");
    return false;
  }

  // Resolves site references once every table is read (tables follow events).
  bool finish() {
    if (!sawFormat) return fail("not a pollscope trace: missing \"format\": \"pollscope-trace\"");
    if (!sawVersion) return fail("missing \"version\"");
    if (!sawEvents) return fail("missing \"events\" array");
    if (!trailingPartial.empty())
      m_->meta.partial = m_->meta.partial.empty() ? trailingPartial : m_->meta.partial + "; " + trailingPartial;
    return resolveSites(false);
  }

  // The input stopped mid-document: keeps every complete event when the header
  // was whole and at least one event was read; sites the file never got to are
  // left unknown (nullptr).
  bool finishCut(size_t len) {
    if (!endedEarly || !sawFormat || !sawVersion || !sawMeta || !sawEvents || m_->events.empty()) return false;
    std::string missing;  // the tables not read to their end
    for (auto [done, name] :
         {std::pair{whole_[int(Section::sites)], "sites"}, std::pair{whole_[int(Section::goroutines)], "goroutines"},
          std::pair{whole_[int(Section::steps)], "steps"}})
      if (!done) missing += std::string(missing.empty() ? "" : ", ") + name;
    m_->meta.cut = "the trace file stops at byte " + std::to_string(len) + ", after " +
                   std::to_string(m_->events.size()) + " events (last seq " + std::to_string(m_->events.back().seq) +
                   "): the run was killed or crashed before it finished writing" +
                   (missing.empty() ? std::string() : "; missing: " + missing);
    if (m_->meta.partial.empty()) m_->meta.partial = m_->meta.cut;
    error.clear();
    return resolveSites(true);
  }

 private:
  bool resolveSites(bool lenient) {
    for (size_t i = 0; i < m_->events.size(); ++i) {
      auto idx = reinterpret_cast<intptr_t>(m_->events[i].site) - 1;
      if (idx < 0) {
        m_->events[i].site = nullptr;
        continue;
      }
      auto it = sites_.find(idx);
      if (it == sites_.end() && lenient) {
        m_->events[i].site = nullptr;
        continue;
      }
      if (it == sites_.end())
        return fail("events[" + std::to_string(i) + "]: site " + std::to_string(idx) +
                    " is not in the \"sites\" table");
      m_->events[i].site = it->second;
    }
    return true;
  }

  bool fail(std::string msg) {
    if (error.empty()) error = std::move(msg);
    return false;
  }

  std::string where() const {
    switch (section_) {
      case Section::events: return "events[" + std::to_string(index_) + "]";
      case Section::sites: return "sites[" + std::to_string(index_) + "]";
      case Section::goroutines: return "goroutines[" + std::to_string(index_) + "]";
      case Section::steps: return "steps[" + std::to_string(index_) + "]";
      case Section::meta: return "meta";
      default: return "top level";
    }
  }

  bool scalar(Scalar v) {
    if (depth_ == 1 && !inArray_) {
      if (key_ == "format") {
        auto* s = std::get_if<std::string>(&v);
        if (!s || *s != kFormatName) return fail("not a pollscope trace: \"format\" must be \"pollscope-trace\"");
        sawFormat = true;
        return true;
      }
      if (key_ == "version") {
        auto* n = std::get_if<int64_t>(&v);
        if (!n) return fail("\"version\" must be an integer");
        if (*n > kFormatVersion)
          return fail("trace format version " + std::to_string(*n) + " is newer than this pollscope reads (" +
                      std::to_string(kFormatVersion) + "); upgrade pollscope");
        if (*n < 1) return fail("invalid trace format version " + std::to_string(*n));
        if (*n < kFormatVersion)
          return fail("trace format version " + std::to_string(*n) + " is older than this pollscope reads (" +
                      std::to_string(kFormatVersion) +
                      ": `break` gained `caller`, and ready/evict/timer/mp/hook events were added); record it again "
                      "with `pollscope run`");
        sawVersion = true;
        return true;
      }
      if (key_ == "partial") {  // after the tables: a streamed trace cut short on purpose (a size cap, a signal)
        auto* s = std::get_if<std::string>(&v);
        if (!s) return fail("\"partial\" must be a string");
        trailingPartial = *s;
        return true;
      }
      return fail("unknown top-level key \"" + key_ + "\"");
    }
    if (depth_ != 2) return fail(where() + ": unexpected value");
    for (const auto& [k, existing] : fields_)
      if (k == key_) return fail(where() + ": \"" + key_ + "\" appears twice");
    fields_.emplace_back(key_, std::move(v));
    return true;
  }

  const Scalar* field(const char* name) const {
    for (const auto& [k, v] : fields_)
      if (k == name) return &v;
    return nullptr;
  }

  bool intField(const char* name, int64_t* out, bool required = true) {
    const Scalar* v = field(name);
    if (!v) {
      if (!required) return true;
      return fail(where() + ": missing \"" + name + "\"");
    }
    if (auto* n = std::get_if<int64_t>(v)) {
      *out = *n;
      return true;
    }
    return fail(where() + ": \"" + name + "\" must be an integer, got " + describe(*v));
  }

  bool strField(const char* name, std::string* out, bool required = true) {
    const Scalar* v = field(name);
    if (!v) {
      if (!required) return true;
      return fail(where() + ": missing \"" + name + "\"");
    }
    if (auto* s = std::get_if<std::string>(v)) {
      *out = *s;
      return true;
    }
    return fail(where() + ": \"" + name + "\" must be a string, got " + describe(*v));
  }

  bool convertMeta() {
    auto& m = m_->meta;
    int64_t procs = 1, over = 0;
    bool ok = strField("engine", &m.engine, false) && strField("engine_version", &m.engineVersion, false) &&
              strField("scenario", &m.scenario, false) && strField("title_en", &m.titleEn, false) &&
              strField("title_zh", &m.titleZh, false) && strField("description_en", &m.descriptionEn, false) &&
              strField("description_zh", &m.descriptionZh, false) && strField("backend", &m.backend, false) &&
              intField("gomaxprocs", &procs, false) && intField("overwritten", &over, false) &&
              strField("partial", &m.partial, false);
    if (!ok) return false;
    if (const Scalar* r = field("ring")) {
      auto* b = std::get_if<bool>(r);
      if (!b) return fail("meta: \"ring\" must be a boolean");
      m.ring = *b;
    }
    m.gomaxprocs = static_cast<int>(procs);
    m.overwritten = static_cast<uint64_t>(over);
    return true;
  }

  bool convertEvent() {
    trace::Event e;
    std::string kind;
    int64_t seq, ts, mm = -1, pp = -1, g = 0, site = -1;
    if (!strField("kind", &kind) || !intField("seq", &seq) || !intField("ts", &ts) || !intField("m", &mm, false) ||
        !intField("p", &pp, false) || !intField("g", &g, false) || !intField("site", &site, false))
      return false;
    auto k = trace::kindFromName(kind);
    if (!k) return fail(where() + ": unknown event kind \"" + kind + "\"");
    if (seq < 0) return fail(where() + ": \"seq\" must not be negative");
    // A trace::Event holds seq, ts and g in 48 bits (event.hpp): say so rather than cut them.
    if (!trace::seqFits(static_cast<uint64_t>(seq)))
      return fail(where() + ": \"seq\" " + std::to_string(seq) + " is out of range: an event holds at most " +
                  std::to_string(trace::kMaxEventSeq));
    if (!trace::tsFits(ts))
      return fail(where() + ": \"ts\" " + std::to_string(ts) + " is out of range: an event holds " +
                  std::to_string(trace::kMinEventTs) + ".." + std::to_string(trace::kMaxEventTs) + " ns (39 hours)");
    if (!trace::gFits(g))
      return fail(where() + ": \"g\" " + std::to_string(g) + " is out of range: an event holds " +
                  std::to_string(trace::kMinEventG) + ".." + std::to_string(trace::kMaxEventG));
    // -1 is "no site"; anything else must index the table (and must not overflow below).
    if (site < -1 || site > INT32_MAX)
      return fail(where() + ": site " + std::to_string(site) + " is not in the \"sites\" table");
    if (mm < -1 || mm > INT16_MAX || pp < -1 || pp > INT16_MAX) return fail(where() + ": \"m\"/\"p\" out of range");
    e.kind = *k;
    e.seq = static_cast<uint64_t>(seq);
    e.ts = ts;
    e.m = static_cast<int16_t>(mm);
    e.p = static_cast<int16_t>(pp);
    e.g = g;
    e.site = reinterpret_cast<const trace::Site*>(static_cast<intptr_t>(site + 1));  // resolved in finish()
    const auto& spec = trace::kindSpec(*k);
    for (const auto& [name, v] : fields_) {
      if (name == "kind" || name == "seq" || name == "ts" || name == "m" || name == "p" || name == "g" ||
          name == "site")
        continue;
      int idx = spec.fieldIndex(name);
      if (idx < 0) {
        // "<field>_name" beside an OS number is for people; the raw number is authoritative.
        if (name.size() > 5 && name.compare(name.size() - 5, 5, "_name") == 0 &&
            spec.fieldIndex(name.substr(0, name.size() - 5)) >= 0)
          continue;
        return fail(where() + ": kind \"" + kind + "\" has no field \"" + name + "\"");
      }
      auto type = spec.fields[idx].type;
      if (trace::isEnumType(type)) {
        auto* s = std::get_if<std::string>(&v);
        if (!s) return fail(where() + ": \"" + name + "\" must be a name, got " + describe(v));
        auto val = trace::enumValue(type, *s);
        if (!val) return fail(where() + ": \"" + name + "\" has unknown value \"" + *s + "\"");
        e.a[idx] = *val;
      } else if (type == trace::FieldType::Bool) {
        auto* b = std::get_if<bool>(&v);
        if (!b) return fail(where() + ": \"" + name + "\" must be true or false, got " + describe(v));
        e.a[idx] = *b;
      } else {
        auto* n = std::get_if<int64_t>(&v);
        if (!n) return fail(where() + ": \"" + name + "\" must be an integer, got " + describe(v));
        e.a[idx] = *n;
      }
    }
    m_->events.push_back(e);
    ++index_;
    if (opt_.progress && (index_ & 0x3fff) == 0) {
      // Events dominate the file, so the share of events read tracks bytes well enough.
      double frac = total_ ? std::min(1.0, static_cast<double>(index_) * 120.0 / static_cast<double>(total_)) : 0;
      if (!opt_.progress(frac)) return fail("cancelled");
    }
    return true;
  }

  bool convertSite() {
    int64_t id, line;
    std::string file, go, cpp;
    if (!intField("id", &id) || !strField("file", &file) || !intField("line", &line) || !strField("go", &go) ||
        !strField("cpp", &cpp, false))
      return false;
    if (sites_.count(id)) return fail(where() + ": site id " + std::to_string(id) + " is listed twice");
    sites_[id] = m_->internSite(file, static_cast<int>(line), go, cpp);
    ++index_;
    return true;
  }

  bool convertStep() {
    StepInfo s;
    if (!intField("id", &s.id) || !strField("goroutine", &s.goroutine, false) || !strField("path", &s.path, false) ||
        !strField("op", &s.op, false) || !strField("say_en", &s.sayEn, false) || !strField("say_zh", &s.sayZh, false))
      return false;
    m_->steps.push_back(std::move(s));
    ++index_;
    return true;
  }

  bool convertGoroutine() {
    int64_t g;
    std::string name;
    if (!intField("g", &g) || !strField("name", &name)) return false;
    if (!m_->goroutines.emplace(g, name).second)  // one id, two names: which would be true?
      return fail(where() + ": goroutine " + std::to_string(g) + " is listed twice");
    ++index_;
    return true;
  }

  TraceModel* m_;
  size_t total_;
  const ReadOptions& opt_;
  int depth_ = 0;
  bool inArray_ = false;
  Section section_ = Section::none;
  size_t index_ = 0;
  std::string key_;
  std::vector<std::pair<std::string, Scalar>> fields_;
  std::map<int64_t, const trace::Site*> sites_;
  bool whole_[6] = {};  // by Section: its array was read to the end
};
}  // namespace

namespace {
// The SAX reader: the judge of every file and the author of every error message.
bool readTraceSax(const char* data, size_t len, TraceModel* out, std::string* error, const ReadOptions& opt) {
  *out = TraceModel{};
  out->events.reserve(len / 100);  // a written event takes 130-150 bytes: one allocation, no regrowth
  Handler h(out, len, opt);
  bool ok = false;
  try {
    ok = json::sax_parse(data, data + len, &h, json::input_format_t::json, true, true) && h.finish();
  } catch (const std::exception& ex) {
    h.error = std::string("cannot read trace: ") + ex.what();
    ok = false;
  }
  if (!ok) ok = h.finishCut(len);
  if (!ok) {
    if (error) *error = h.error.empty() ? "malformed trace" : h.error;
    *out = TraceModel{};
    return false;
  }
  return true;
}

// `data` has kFastPadding readable bytes after `len`: try the fast path first.
bool readPadded(const char* data, size_t len, TraceModel* out, std::string* error, const ReadOptions& opt) {
  switch (readTraceFast(data, len, out, opt)) {
    case FastRead::ok: return true;
    case FastRead::cancelled:
      *out = TraceModel{};
      if (error) *error = "cancelled";
      return false;
    case FastRead::rejected: break;  // the SAX reader decides, and says why
  }
  return readTraceSax(data, len, out, error, opt);
}
}  // namespace

bool readTrace(const std::string& text, TraceModel* out, std::string* error, const ReadOptions& opt) {
  std::string padded;
  padded.reserve(text.size() + kFastPadding);
  padded = text;
  padded.append(kFastPadding, '\0');
  return readPadded(padded.data(), text.size(), out, error, opt);
}

bool readTraceSaxOnly(const std::string& text, TraceModel* out, std::string* error) {
  return readTraceSax(text.data(), text.size(), out, error, {});
}

bool readTraceFile(const std::string& path, TraceModel* out, std::string* error, const ReadOptions& opt) {
  // The file mapped, not copied, with zeroed pages after it for the fast path's padding.
  size_t len = 0;
  int fd = trace::openRegularFile(path, &len, error);
  if (fd < 0) return false;
  size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  size_t span = (len + kFastPadding + page - 1) / page * page;
  void* region = ::mmap(nullptr, span, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  bool mapped = region != MAP_FAILED &&
                (len == 0 ||
                 ::mmap(region, len, PROT_READ, MAP_PRIVATE | MAP_FIXED | platform::kMapPopulate, fd, 0) != MAP_FAILED);
  std::string copy;
  if (!mapped) {
    // A file system that cannot map a file at a fixed place (the web page's
    // in-memory one) is read into a padded copy instead.
    if (region != MAP_FAILED) ::munmap(region, span);
    region = MAP_FAILED;
    copy.assign(len + kFastPadding, '\0');
    size_t got = 0;
    while (got < len) {
      ssize_t n = ::pread(fd, copy.data() + got, len - got, static_cast<off_t>(got));
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    if (got < len) {
      ::close(fd);
      if (error) *error = path + ": cannot read file";
      return false;
    }
  }
  ::close(fd);
  std::string err;
  bool ok = readPadded(mapped ? static_cast<const char*>(region) : copy.data(), len, out, &err, opt);
  if (mapped) ::munmap(region, span);
  if (!ok && error) *error = path + ": " + err;
  return ok;
}

}  // namespace pollscope::traceio
