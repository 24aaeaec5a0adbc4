// Fast trace reading with simdjson's DOM. Mirrors json_reader.cpp's rules
// exactly (required fields and their types, no unknown event fields, no
// duplicate keys, no nesting, site references resolved) and returns `rejected`
// at the first thing it does not accept; the SAX reader then reports why.
//
// Big files are read in pieces: the events array, one event a line as the writer
// puts it, is cut at line ends into chunks of a few MB that one reused parser
// reads while its memory is hot (a fresh parser for the whole file spends most
// of its time faulting in new pages). The rest of the file, with the events
// array emptied, is read as one small document.
//
// Sections: 1. helpers  2. flat objects (meta, sites, goroutines, steps)  3. events
//           4. the document  5. chunked events
#include <simdjson.h>
#include <sys/mman.h>

#include <cstring>
#include <map>
#include <optional>
#include <string>

#include "trace/vocabulary.hpp"
#include "traceio/json_fast.hpp"

namespace pollscope::traceio {
namespace {
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

static_assert(kFastPadding >= simdjson::SIMDJSON_PADDING);

// ---- 1. helpers ---------------------------------------------------------------------------
bool isScalar(element_type t) {
  return t != element_type::OBJECT && t != element_type::ARRAY;
}

// A flat object: scalars only and no key twice (the SAX reader's rules for every object).
bool flat(object o) {
  size_t n = 0;
  for (auto field : o) {
    if (!isScalar(field.value.type())) return false;
    ++n;
  }
  if (n > 1) {
    std::string_view keys[64];
    if (n > 64) return false;
    size_t i = 0;
    for (auto field : o) keys[i++] = field.key;
    for (size_t a = 0; a < n; ++a)
      for (size_t b = a + 1; b < n; ++b)
        if (keys[a] == keys[b]) return false;
  }
  return true;
}

// Optional typed fields of a flat object: absent is fine, a wrong type rejects.
bool optString(object o, const char* key, std::string* out) {
  element v;
  if (o[key].get(v)) return true;  // absent
  std::string_view s;
  if (v.get(s)) return false;
  out->assign(s);
  return true;
}
bool optInt(object o, const char* key, int64_t* out) {
  element v;
  if (o[key].get(v)) return true;
  return !v.get(*out);
}
bool reqString(object o, const char* key, std::string* out) {
  element v;
  if (o[key].get(v)) return false;
  return optString(o, key, out);
}
bool reqInt(object o, const char* key, int64_t* out) {
  element v;
  if (o[key].get(v)) return false;
  return !v.get(*out);
}

// ---- 2. flat objects ---------------------------------------------------------------------
bool readMeta(object o, TraceMeta* m) {
  if (!flat(o)) return false;
  int64_t procs = 1, over = 0;
  if (!optString(o, "engine", &m->engine) || !optString(o, "engine_version", &m->engineVersion) ||
      !optString(o, "scenario", &m->scenario) || !optString(o, "title_en", &m->titleEn) ||
      !optString(o, "title_zh", &m->titleZh) || !optString(o, "description_en", &m->descriptionEn) ||
      !optString(o, "description_zh", &m->descriptionZh) || !optString(o, "backend", &m->backend) ||
      !optInt(o, "gomaxprocs", &procs) || !optInt(o, "overwritten", &over) || !optString(o, "partial", &m->partial))
    return false;
  element r;
  if (!o["ring"].get(r)) {
    bool b;
    if (r.get(b)) return false;
    m->ring = b;
  }
  m->gomaxprocs = static_cast<int>(procs);
  m->overwritten = static_cast<uint64_t>(over);
  return true;
}

bool readSite(object o, TraceModel* m, std::map<int64_t, const trace::Site*>* sites) {
  if (!flat(o)) return false;
  int64_t id, line;
  std::string file, go, cpp;
  if (!reqInt(o, "id", &id) || !reqString(o, "file", &file) || !reqInt(o, "line", &line) || !reqString(o, "go", &go) ||
      !optString(o, "cpp", &cpp))
    return false;
  if (sites->count(id)) return false;
  (*sites)[id] = m->internSite(file, static_cast<int>(line), go, cpp);
  return true;
}

bool readStep(object o, TraceModel* m) {
  if (!flat(o)) return false;
  StepInfo s;
  if (!reqInt(o, "id", &s.id) || !optString(o, "goroutine", &s.goroutine) || !optString(o, "path", &s.path) ||
      !optString(o, "op", &s.op) || !optString(o, "say_en", &s.sayEn) || !optString(o, "say_zh", &s.sayZh))
    return false;
  m->steps.push_back(std::move(s));
  return true;
}

bool readGoroutine(object o, TraceModel* m) {
  if (!flat(o)) return false;
  int64_t g;
  std::string name;
  if (!reqInt(o, "g", &g) || !reqString(o, "name", &name)) return false;
  return m->goroutines.emplace(g, name).second;  // an id listed twice: the careful reader says why
}

// ---- 3. events -----------------------------------------------------------------------------
enum Base : uint32_t { kKind = 1, kSeq = 2, kTs = 4, kM = 8, kP = 16, kG = 32, kSite = 64 };

int baseKey(std::string_view k) {
  if (k.size() > 4) return 0;
  if (k == "kind") return kKind;
  if (k == "seq") return kSeq;
  if (k == "ts") return kTs;
  if (k == "m") return kM;
  if (k == "p") return kP;
  if (k == "g") return kG;
  if (k == "site") return kSite;
  return 0;
}

bool readEvent(object o, trace::Event* e) {
  // The kind first: it says which fields the event may have.
  std::string_view kindName;
  if (o["kind"].get(kindName)) return false;
  auto k = trace::kindFromName(kindName);
  if (!k) return false;
  const auto& spec = trace::kindSpec(*k);
  uint32_t seen = 0, seenFields = 0, seenNames = 0;
  int64_t seq = -1, ts = 0, mm = -1, pp = -1, g = 0, site = -1;
  for (auto field : o) {
    element v = field.value;
    if (!isScalar(v.type())) return false;
    if (int b = baseKey(field.key)) {
      if (seen & static_cast<uint32_t>(b)) return false;  // twice
      seen |= static_cast<uint32_t>(b);
      if (b == kKind) continue;
      int64_t n;
      if (v.get(n)) return false;
      switch (b) {
        case kSeq: seq = n; break;
        case kTs: ts = n; break;
        case kM: mm = n; break;
        case kP: pp = n; break;
        case kG: g = n; break;
        case kSite: site = n; break;
      }
      continue;
    }
    int idx = spec.fieldIndex(field.key);
    if (idx < 0) {
      // "<field>_name" beside an OS number is for people; the raw number is authoritative.
      std::string_view key = field.key;
      if (key.size() > 5 && key.substr(key.size() - 5) == "_name") {
        int base = spec.fieldIndex(key.substr(0, key.size() - 5));
        if (base >= 0) {
          if (seenNames & (1u << base)) return false;
          seenNames |= 1u << base;
          continue;
        }
      }
      return false;  // a field this kind does not have
    }
    if (seenFields & (1u << idx)) return false;
    seenFields |= 1u << idx;
    auto type = spec.fields[idx].type;
    if (trace::isEnumType(type)) {
      std::string_view s;
      if (v.get(s)) return false;
      auto val = trace::enumValue(type, s);
      if (!val) return false;
      e->a[idx] = *val;
    } else if (type == trace::FieldType::Bool) {
      bool b;
      if (v.get(b)) return false;
      e->a[idx] = b;
    } else {
      int64_t n;
      if (v.get(n)) return false;
      e->a[idx] = n;
    }
  }
  if (!(seen & kSeq) || !(seen & kTs)) return false;
  if (seq < 0 || mm < -1 || mm > INT16_MAX || pp < -1 || pp > INT16_MAX) return false;
  // What a trace::Event cannot hold (event.hpp): the careful reader names the field.
  if (!trace::seqFits(static_cast<uint64_t>(seq)) || !trace::tsFits(ts) || !trace::gFits(g)) return false;
  if (site < -1 || site > INT32_MAX) return false;  // the careful reader says why
  e->kind = *k;
  e->seq = static_cast<uint64_t>(seq);
  e->ts = ts;
  e->m = static_cast<int16_t>(mm);
  e->p = static_cast<int16_t>(pp);
  e->g = g;
  e->site = reinterpret_cast<const trace::Site*>(static_cast<intptr_t>(site + 1));  // resolved below
  return true;
}
// ---- 4. the document ---------------------------------------------------------------------------
// `chunked`: the events, already read; the document's own events array is then empty.
FastRead readDocument(simdjson::dom::parser& parser, const char* data, size_t len, TraceModel* out,
                      const ReadOptions& opt, std::vector<trace::Event>* chunked) {
  element doc;
  if (parser.parse(data, len, false).get(doc)) return FastRead::rejected;
  object top;
  if (doc.get(top)) return FastRead::rejected;
  if (opt.progress && !opt.progress(0.1)) return FastRead::cancelled;

  *out = TraceModel{};
  bool sawFormat = false, sawVersion = false, sawEvents = false;
  std::map<std::string_view, int> keys;
  std::map<int64_t, const trace::Site*> sites;
  std::string trailingPartial;
  for (auto field : top) {
    if (keys[field.key]++) return FastRead::rejected;  // a top-level key twice
    std::string_view key = field.key;
    element v = field.value;
    if (key == "format") {
      std::string_view s;
      if (v.get(s) || s != kFormatName) return FastRead::rejected;
      sawFormat = true;
    } else if (key == "version") {
      int64_t n;
      if (v.get(n) || n != kFormatVersion) return FastRead::rejected;  // the full reader says why
      sawVersion = true;
    } else if (key == "meta") {
      object o;
      if (v.get(o) || !readMeta(o, &out->meta)) return FastRead::rejected;
    } else if (key == "events") {
      simdjson::dom::array events;
      if (v.get(events)) return FastRead::rejected;
      sawEvents = true;
      if (chunked) {
        if (events.size() != 0) return FastRead::rejected;
        out->events = std::move(*chunked);
        continue;
      }
      out->events.reserve(events.size());
      size_t i = 0;
      for (element ev : events) {
        object o;
        if (ev.get(o)) return FastRead::rejected;
        trace::Event e;
        if (!readEvent(o, &e)) return FastRead::rejected;
        out->events.push_back(e);
        if (opt.progress && (++i & 0x3fff) == 0 &&
            !opt.progress(0.1 + 0.9 * static_cast<double>(i) / static_cast<double>(events.size())))
          return FastRead::cancelled;
      }
    } else if (key == "sites" || key == "goroutines" || key == "steps") {
      simdjson::dom::array items;
      if (v.get(items)) return FastRead::rejected;
      for (element item : items) {
        object o;
        if (item.get(o)) return FastRead::rejected;
        bool ok = key == "sites" ? readSite(o, out, &sites) : key == "steps" ? readStep(o, out) : readGoroutine(o, out);
        if (!ok) return FastRead::rejected;
      }
    } else if (key == "partial") {  // a streamed trace's note after the tables (json_reader.cpp)
      std::string_view s;
      if (v.get(s)) return FastRead::rejected;
      trailingPartial = s;
    } else {
      return FastRead::rejected;
    }
  }
  if (!sawFormat || !sawVersion || !sawEvents) return FastRead::rejected;
  if (!trailingPartial.empty())
    out->meta.partial = out->meta.partial.empty() ? trailingPartial : out->meta.partial + "; " + trailingPartial;
  for (auto& e : out->events) {
    auto idx = reinterpret_cast<intptr_t>(e.site) - 1;
    if (idx < 0) {
      e.site = nullptr;
      continue;
    }
    auto it = sites.find(idx);
    if (it == sites.end()) return FastRead::rejected;
    e.site = it->second;
  }
  return FastRead::ok;
}

// ---- 5. chunked events ---------------------------------------------------------------------------
// The '[' that opens the top-level "events" array, found by a JSON-aware scan of
// the header (strings and escapes, depth); none if it is not near the start.
std::optional<size_t> findEventsArray(const char* d, size_t len) {
  int depth = 0;
  std::string_view lastString;
  char lastSignificant = 0;
  size_t limit = std::min(len, static_cast<size_t>(1) << 20);
  for (size_t i = 0; i < limit; ++i) {
    char c = d[i];
    if (c == '"') {
      size_t start = ++i;
      for (; i < limit && d[i] != '"'; ++i)
        if (d[i] == '\\') ++i;
      if (i >= limit) return std::nullopt;
      lastString = std::string_view(d + start, i - start);
      lastSignificant = '"';
      continue;
    }
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '[' && depth == 1 && lastSignificant == ':' && lastString == "events") return i;
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') --depth;
    lastSignificant = c;
  }
  return std::nullopt;
}

bool isSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// Reads the events between `begin` (after the '[') and `end` (the closing ']') in
// chunks cut at line ends. Between two chunks exactly one comma, as the array's
// own grammar wants; inside a chunk the parser checks everything.
FastRead readEventChunks(simdjson::dom::parser& parser, const char* begin, const char* end,
                         std::vector<trace::Event>* events, const ReadOptions& opt, size_t kChunk) {
  std::vector<char> buf;
  bool commaOwed = false;  // the previous chunk ended without its separator
  bool first = true;
  const char* total = begin;
  for (const char* p = begin; p < end;) {
    const char* q = p + std::min(kChunk, static_cast<size_t>(end - p));
    while (q < end && *q != '\n') ++q;  // a line end is never inside a string
    const char* a = p;
    const char* b = q;
    p = q;
    while (a < b && isSpace(*a)) ++a;
    while (b > a && isSpace(b[-1])) --b;
    if (a == b) continue;  // only whitespace: the separators around it are checked as if it were not there
    bool lead = *a == ',';
    if (lead != (!first && !commaOwed)) return FastRead::rejected;  // a separator missing or doubled
    if (lead) ++a;
    while (a < b && isSpace(*a)) ++a;
    if (a == b) return FastRead::rejected;  // nothing between two commas
    commaOwed = b[-1] == ',';
    if (commaOwed) --b;
    first = false;
    buf.assign(1, '[');
    buf.insert(buf.end(), a, b);
    buf.push_back(']');
    size_t n = buf.size();
    buf.resize(n + kFastPadding, '\0');
    simdjson::dom::array arr;
    if (parser.parse(buf.data(), n, false).get(arr)) return FastRead::rejected;
    for (element ev : arr) {
      object o;
      if (ev.get(o)) return FastRead::rejected;
      trace::Event e;
      if (!readEvent(o, &e)) return FastRead::rejected;
      events->push_back(e);
    }
    if (opt.progress && !opt.progress(0.95 * static_cast<double>(p - total) / static_cast<double>(end - total)))
      return FastRead::cancelled;
  }
  if (commaOwed) return FastRead::rejected;  // a trailing comma before ']'
  return FastRead::ok;
}
}  // namespace

FastRead readTraceFast(const char* data, size_t len, TraceModel* out, const ReadOptions& opt, size_t chunkBytes) {
  simdjson::dom::parser parser;
  auto open = findEventsArray(data, len);
  if (!open) return readDocument(parser, data, len, out, opt, nullptr);
  const char* begin = data + *open + 1;
  // The closing ']': where the writer puts it, at the start of a line. Anything
  // else (a ']' indented, or found too late) makes a chunk fail: the slow path reads it.
  // memchr for ']' (which events hardly ever contain), then a look at the byte
  // before it: memmem for "\n]" crawled over a 1.5 GB trace for 2-3 s.
  const char* end = nullptr;
  for (const char* at = begin; at < data + len;) {
    auto* br = static_cast<const char*>(memchr(at, ']', static_cast<size_t>(data + len - at)));
    if (!br) break;
    if (br > begin && br[-1] == '\n') {
      end = br;
      break;
    }
    at = br + 1;
  }
  if (!end) return readDocument(parser, data, len, out, opt, nullptr);

  std::vector<trace::Event> events;
  events.reserve(static_cast<size_t>(end - begin) / 100 + 16);
  // Ask for huge pages before the first touch: on a VM each 4 KB page fault is costly.
  uintptr_t lo = (reinterpret_cast<uintptr_t>(events.data()) + (2u << 20) - 1) & ~uintptr_t((2u << 20) - 1);
  uintptr_t hi = (reinterpret_cast<uintptr_t>(events.data() + events.capacity())) & ~uintptr_t((2u << 20) - 1);
  if (hi > lo) madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);
  if (auto r = readEventChunks(parser, begin, end, &events, opt, std::max<size_t>(chunkBytes, 1)); r != FastRead::ok)
    return r;

  // The rest: the same document with an empty events array.
  std::string rest(data, begin);
  rest.append(end, data + len);
  rest.append(kFastPadding, '\0');
  return readDocument(parser, rest.data(), rest.size() - kFastPadding, out, opt, &events);
}

}  // namespace pollscope::traceio
