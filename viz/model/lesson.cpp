#include "model/lesson.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "model/compare_align.hpp"
#include "model/view_table.hpp"
#include "trace/fields.hpp"
#include "trace/regular_file.hpp"
#include "trace/vocabulary.hpp"

namespace pollscope::viz {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {
constexpr int64_t kMaxNth = 1000000;

// A slide's text is drawn in one ImGui call, and ImGui 1.86 (Debian's, with 16-bit
// vertex indices) aborts when one window needs more than 65,536 vertices: 4 per glyph,
// about 15,000 glyphs. Texts are cut well below that when read (a slide is a paragraph
// or two; the longest in docs/classroom is under 300 bytes), and the cut is shown.
constexpr size_t kMaxLessonTextBytes = 4000;

std::string clipped(std::string s) {
  if (s.size() <= kMaxLessonTextBytes) return s;
  size_t total = s.size();
  size_t cut = kMaxLessonTextBytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  s.resize(cut);
  return s + " [... cut: " + std::to_string(total) + " bytes; a lesson text shows at most " +
         std::to_string(kMaxLessonTextBytes) + "]";
}

bool text(const json& j, const char* key, LessonText* out, std::string* err, const std::string& where, bool required) {
  if (!j.contains(key)) {
    if (required) *err = where + ": missing \"" + key + "\"";
    return !required;
  }
  const json& t = j[key];
  if (t.is_string()) {
    out->en = clipped(t.get<std::string>());
    return true;
  }
  if (!t.is_object() || !t.contains("en") || !t["en"].is_string()) {
    *err = where + ": \"" + key + "\" must be a string or {\"en\": ..., \"zh\": ...}";
    return false;
  }
  out->en = clipped(t["en"].get<std::string>());
  if (t.contains("zh") && t["zh"].is_string()) out->zh = clipped(t["zh"].get<std::string>());
  return true;
}

bool anchor(const json& j, Anchor* a, std::string* err, const std::string& where) {
  if (j.is_string()) {
    std::string s = j.get<std::string>();
    a->describe = s;
    if (s == "start")
      a->where = Anchor::Where::start;
    else if (s == "end")
      a->where = Anchor::Where::end;
    else {
      *err = where + ": \"at\" must be \"start\", \"end\" or {\"kind\": ...}";
      return false;
    }
    return true;
  }
  if (!j.is_object() || !j.contains("kind") || !j["kind"].is_string()) {
    *err = where + ": \"at\" needs a \"kind\"";
    return false;
  }
  a->where = Anchor::Where::event;
  a->describe = j.dump();
  auto k = trace::kindFromName(j["kind"].get<std::string>());
  if (!k) {
    *err = where + ": unknown event kind \"" + j["kind"].get<std::string>() + "\"";
    return false;
  }
  a->kind = *k;
  const auto& spec = trace::kindSpec(*k);
  for (const auto& [key, v] : j.items()) {
    if (key == "kind") continue;
    if (key == "nth") {
      // Bounded: a slide that stops after the millionth matching event is a typo (and
      // get<int> of a bigger number would not even be that number).
      if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > kMaxNth) {
        *err = where + ": \"nth\" must be 1.." + std::to_string(kMaxNth);
        return false;
      }
      a->nth = v.get<int>();
      continue;
    }
    if (key == "goroutine") {
      if (!v.is_string()) {
        *err = where + ": \"goroutine\" is a goroutine's name";
        return false;
      }
      a->goroutine = v.get<std::string>();
      continue;
    }
    int idx = spec.fieldIndex(key);
    if (idx < 0) {
      *err = where + ": kind \"" + spec.name + "\" has no field \"" + key + "\"";
      return false;
    }
    auto type = spec.fields[idx].type;
    if (v.is_string() && trace::isEnumType(type)) {
      auto val = trace::enumValue(type, v.get<std::string>());
      if (!val) {
        *err = where + ": \"" + key + "\" has no value \"" + v.get<std::string>() + "\"";
        return false;
      }
      a->fields.emplace_back(key, *val);
    } else if (v.is_boolean()) {
      a->fields.emplace_back(key, v.get<bool>() ? 1 : 0);
    } else if (v.is_number_integer()) {
      a->fields.emplace_back(key, v.get<int64_t>());
    } else {
      *err = where + ": \"" + key + "\" must be a name, a number or a boolean";
      return false;
    }
  }
  return true;
}
}  // namespace

bool loadLesson(const std::string& path, Lesson* out, std::string* error) {
  constexpr size_t kMaxLessonBytes = size_t{16} << 20;
  std::string content;
  if (!trace::readRegularFile(path, kMaxLessonBytes, "a lesson", &content, error)) return false;
  return parseLesson(content, path, out, error);
}

namespace {
bool fromJson(const json& j, const std::string& path, Lesson* out, std::string* error) {
  *out = Lesson{};
  out->path = path;
  std::string err;
  auto fail = [&](const std::string& e) {
    *error = path + ": " + e;
    return false;
  };
  if (!j.is_object() || j.value("format", "") != "pollscope-lesson")
    return fail("not a lesson: \"format\" must be \"pollscope-lesson\"");
  if (j.value("version", 0) != 1) return fail("\"version\" must be 1");
  if (!text(j, "title", &out->title, &err, "lesson", true) || !text(j, "summary", &out->summary, &err, "lesson", false))
    return fail(err);
  if (!j.contains("slides") || !j["slides"].is_array() || j["slides"].empty())
    return fail("\"slides\" must be a non-empty array");
  for (size_t i = 0; i < j["slides"].size(); ++i) {
    const json& sj = j["slides"][i];
    std::string where = "slides[" + std::to_string(i) + "]";
    Slide s;
    if (!sj.is_object()) return fail(where + ": must be an object");
    if (sj.contains("compare")) {
      // Runs side by side: a list of 2 or 3 scenarios, an alignment, an offset from it.
      const json& c = sj["compare"];
      if (!c.is_array() || c.size() < 2 || c.size() > 3)
        return fail(where + ": \"compare\" must list 2 or 3 scenarios");
      for (const auto& name : c) {
        if (!name.is_string()) return fail(where + ": \"compare\" must list scenario names");
        s.compare.push_back(name.get<std::string>());
      }
      s.align = sj.value("align", std::string(kAlignRules[0].name));
      if (!alignRuleNamed(s.align)) return fail(where + ": \"align\" must be " + alignRuleNamesInWords());
      if (sj.contains("offset")) {
        if (!sj["offset"].is_number_integer()) return fail(where + ": \"offset\" must be a whole number of events");
        s.alignOffset = sj["offset"].get<long>();
      }
      if (sj.contains("at")) return fail(where + ": a compare slide is placed by \"align\" and \"offset\", not \"at\"");
    }
    if (sj.contains("scenario") && sj["scenario"].is_string())
      s.scenario = sj["scenario"].get<std::string>();
    else if (!s.compare.empty())
      s.scenario = s.compare.front();  // the slides after it stay on its first run
    else if (i > 0)
      s.scenario = out->slides.back().scenario;  // stays on the same run
    else
      return fail(where + ": the first slide must name a \"scenario\"");
    if (sj.contains("at") && !anchor(sj["at"], &s.at, &err, where)) return fail(err);
    s.view = sj.value("view", "sequence");
    if (!viewNamed(s.view)) return fail(where + ": \"view\" must be " + viewNamesInWords());
    if (sj.contains("code")) {
      s.code = sj["code"].is_string() ? sj["code"].get<std::string>() : "";
      if (s.code != "engine" && s.code != "go") return fail(where + ": \"code\" must be \"engine\" or \"go\"");
    }
    if (!text(sj, "title", &s.title, &err, where, true) || !text(sj, "text", &s.text, &err, where, true))
      return fail(err);
    // M lanes in the sequence view: the slide's own choice, else the lesson's.
    for (const json* holder : std::initializer_list<const json*>{&sj, &j})
      if (!s.threads && holder->contains("threads")) {
        if (!(*holder)["threads"].is_boolean())
          return fail((holder == &sj ? where + ": " : std::string()) + "\"threads\" must be true or false");
        s.threads = (*holder)["threads"].get<bool>();
      }
    out->slides.push_back(std::move(s));
  }
  if (j.contains("questions")) {
    if (!j["questions"].is_array()) return fail("\"questions\" must be an array");
    for (size_t i = 0; i < j["questions"].size(); ++i) {
      Question q;
      std::string where = "questions[" + std::to_string(i) + "]";
      if (!text(j["questions"][i], "q", &q.q, &err, where, true) ||
          !text(j["questions"][i], "a", &q.a, &err, where, true))
        return fail(err);
      out->questions.push_back(std::move(q));
    }
  }
  return true;
}

}  // namespace

bool parseLesson(const std::string& content, const std::string& path, Lesson* out, std::string* error) {
  // Any value of the wrong type (a number as "format", an object as "view") is an error
  // with the library's words, never an exception out of here (the lesson fuzzer checks).
  try {
    return fromJson(json::parse(content), path, out, error);
  } catch (const std::exception& e) {
    *error = path + ": " + e.what();
    return false;
  }
}

std::optional<size_t> resolveAnchor(const traceio::TraceModel& t, const Anchor& a, std::string* error) {
  if (a.where == Anchor::Where::start) return 0;
  if (a.where == Anchor::Where::end) return t.events.size();
  int seen = 0;
  for (size_t i = 0; i < t.events.size(); ++i) {
    const auto& e = t.events[i];
    if (e.kind != a.kind) continue;
    bool match = true;
    for (const auto& [field, v] : a.fields) match = match && trace::fieldValue(e, field) == v;
    if (match && !a.goroutine.empty()) {
      auto g = t.goroutines.find(e.g);
      match = g != t.goroutines.end() && g->second == a.goroutine;
    }
    if (match && ++seen == a.nth) return i + 1;
  }
  if (error) {
    bool named = a.goroutine.empty();
    for (const auto& [id, name] : t.goroutines) named = named || name == a.goroutine;
    *error = named ? "no event matches " + a.describe + " (found " + std::to_string(seen) + ")"
                   : "no goroutine in this run is named \"" + a.goroutine + "\" (at " + a.describe + ")";
  }
  return std::nullopt;
}

std::string scenarioPathFor(const Lesson& l, const Slide& s, const std::string& scenarioDir) {
  return scenarioPathFor(l, s.scenario, scenarioDir);
}

std::string scenarioPathFor(const Lesson& l, const std::string& scenario, const std::string& scenarioDir) {
  std::error_code ec;
  fs::path beside = fs::path(l.path).parent_path() / scenario;
  if (fs::is_regular_file(beside, ec)) return beside.string();
  fs::path named = fs::path(scenarioDir) / scenario;
  if (fs::is_regular_file(named, ec)) return named.string();
  fs::path withExt = fs::path(scenarioDir) / (scenario + ".json");
  return withExt.string();
}

}  // namespace pollscope::viz
