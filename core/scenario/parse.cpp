// Scenario JSON -> Scenario, with errors that name the step and the problem.
// Sections: 1. helpers  2. steps  3. checks  4. the document
#include <fmt/format.h>

#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "scenario/duplicate_keys.hpp"
#include "scenario/op_table.hpp"
#include "scenario/scenario.hpp"
#include "trace/regular_file.hpp"
#include "trace/vocabulary.hpp"

namespace pollscope::scenario {
namespace {
using json = nlohmann::json;

// ---- 1. helpers -------------------------------------------------------------------
struct ParseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw ParseError(where + ": " + what);
}

const json* get(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

std::string str(const json& obj, const char* key, const std::string& where, bool required, std::string def = {}) {
  const json* v = get(obj, key);
  if (!v) {
    if (required) bad(where, std::string("missing \"") + key + "\"");
    return def;
  }
  if (!v->is_string()) bad(where, std::string("\"") + key + "\" must be a string");
  return v->get<std::string>();
}

int64_t num(const json& obj, const char* key, const std::string& where, bool required, int64_t def, int64_t lo,
            int64_t hi) {
  const json* v = get(obj, key);
  if (!v) {
    if (required) bad(where, std::string("missing \"") + key + "\"");
    return def;
  }
  if (!v->is_number_integer()) bad(where, std::string("\"") + key + "\" must be an integer");
  int64_t n = v->get<int64_t>();
  if (n < lo || n > hi)
    bad(where, std::string("\"") + key + "\" must be " + std::to_string(lo) + ".." + std::to_string(hi));
  return n;
}

bool flag(const json& obj, const char* key, const std::string& where) {
  const json* v = get(obj, key);
  if (!v) return false;
  if (!v->is_boolean()) bad(where, std::string("\"") + key + "\" must be true or false");
  return v->get<bool>();
}

Text text(const json& obj, const char* key, const std::string& where) {
  const json* v = get(obj, key);
  if (!v) return {};
  if (v->is_string()) return {v->get<std::string>(), {}};
  if (!v->is_object()) bad(where, std::string("\"") + key + "\" must be a string or {\"en\": ..., \"zh\": ...}");
  for (auto it = v->begin(); it != v->end(); ++it)
    if (it.key() != "en" && it.key() != "zh") bad(where + "." + key, "unknown language \"" + it.key() + "\"");
  return {str(*v, "en", where + "." + key, false), str(*v, "zh", where + "." + key, false)};
}

// ---- 2. steps ---------------------------------------------------------------------
class StepParser {
 public:
  int nextId = 0;

  std::vector<Step> parseList(const json& arr, const std::string& where) {
    if (!arr.is_array()) bad(where, "\"steps\" must be an array");
    // Every nested body is one more level of recursion here, in the checks and in the
    // runner (a loop runs its body on the goroutine's 256 KiB stack): refuse before that.
    if (depth_ > kMaxStepNesting)
      bad(where,
          fmt::format("\"loop\" and \"go\" are nested more than {} deep (the limit on nesting)", kMaxStepNesting));
    ++depth_;
    std::vector<Step> out;
    for (size_t i = 0; i < arr.size(); ++i)
      out.push_back(parseStep(arr[i], where + ".steps[" + std::to_string(i) + "]"));
    --depth_;
    return out;
  }

 private:
  Step parseStep(const json& j, const std::string& where) {
    if (!j.is_object()) bad(where, "a step must be an object");
    Step s;
    s.id = nextId++;
    s.path = where;
    std::string op = str(j, "op", where, true);
    const OpSpec* spec = findOp(op);
    if (!spec) {
      std::string all;
      for (const auto& o : opTable()) all += (all.empty() ? "" : ", ") + std::string(o.name);
      bad(where, "unknown op \"" + op + "\" (" + all + ")");
    }
    s.op = spec->op;
    std::set<std::string> given;
    for (const auto& f : commonStepFields()) readField(j, where, f, s, given);
    for (auto it = j.begin(); it != j.end(); ++it) {
      bool known = it.key() == "op";
      for (const auto& f : commonStepFields()) known = known || it.key() == f.name;
      for (const auto& f : spec->fields) known = known || it.key() == f.name;
      if (!known) bad(where, "unknown field \"" + it.key() + "\" for this op");
    }
    for (const auto& f : spec->fields) readField(j, where, f, s, given);
    if (spec->rule) {
      std::string err = spec->rule(s, given);
      if (!err.empty()) bad(where, err);
    }
    return s;
  }

  int depth_ = 0;  // the bodies being parsed: 1 for a goroutine's own steps

  // Reads one field as its row says (type, bounds, choices, default) into the step.
  void readField(const json& j, const std::string& where, const OpField& f, Step& s, std::set<std::string>& given) {
    const json* v = get(j, f.name);
    if (v) given.insert(f.name);
    FieldValue val;
    switch (f.kind) {
      case FieldKind::steps:
        if (!v) bad(where, std::string("missing \"") + f.name + "\"");
        s.body = parseList(*v, where);
        return;
      case FieldKind::narration: {
        Text t = text(j, f.name, where);
        val.text = t.en;
        val.zh = t.zh;
        break;
      }
      case FieldKind::text:
      case FieldKind::name:
      case FieldKind::choice:
        if (!v && !f.required && !f.defaultText) return;
        val.text = str(j, f.name, where, f.required, f.defaultText ? f.defaultText : "");
        if (v && f.kind == FieldKind::name && val.text.empty())
          bad(where, std::string("\"") + f.name + "\" must not be empty");
        if (f.kind == FieldKind::choice) checkChoice(where, f, val.text);
        break;
      case FieldKind::integer:
        if (!v && !f.required && !f.defaultNumber) return;
        val.number = num(j, f.name, where, f.required, f.defaultNumber.value_or(0), f.lo, f.hi);
        break;
      case FieldKind::msOrNull:
        if (v && v->is_null())
          val.null = true;
        else
          val.number = num(j, f.name, where, f.required, 0, f.lo, f.hi);
        break;
      case FieldKind::flag:
        if (!v) return;
        val.flag = flag(j, f.name, where);
        break;
      case FieldKind::names:
        if (!v) return;
        if (!v->is_array()) bad(where, std::string("\"") + f.name + "\" must be an array of names");
        for (const auto& n : *v) {
          if (!n.is_string()) bad(where, std::string("\"") + f.name + "\" must be an array of names");
          val.names.push_back(n.get<std::string>());
        }
        break;
    }
    f.set(s, val);
  }

  static void checkChoice(const std::string& where, const OpField& f, const std::string& value) {
    for (const char* c : f.choices)
      if (value == c) return;
    if (f.badChoice) bad(where, fmt::format(fmt::runtime(f.badChoice), value));
    std::string all;
    for (const char* c : f.choices) all += (all.empty() ? "" : ", ") + std::string(c);
    bad(where, std::string("unknown ") + f.name + " \"" + value + "\" (" + all + ")");
  }
};

// ---- 3. checks ------------------------------------------------------------------------
TraceCheck parseCheck(const json& j, const std::string& where) {
  if (!j.is_object()) bad(where, "a check must be an object");
  TraceCheck c;
  c.path = where;
  c.kind = str(j, "kind", where, true);
  auto kind = trace::kindFromName(c.kind);
  if (!kind) bad(where, "unknown event kind \"" + c.kind + "\"");
  const auto& spec = trace::kindSpec(*kind);
  c.on = str(j, "on", where, false);
  c.why = str(j, "why", where, false);
  if (get(j, "count")) {
    c.min = c.max = num(j, "count", where, true, 0, 0, INT64_MAX);
    if (get(j, "min") || get(j, "max")) bad(where, "use \"count\" or \"min\"/\"max\", not both");
  } else {
    c.min = num(j, "min", where, false, 1, 0, INT64_MAX);
    c.max = num(j, "max", where, false, INT64_MAX, 0, INT64_MAX);
    if (c.min > c.max)  // no trace could pass: say so now, not after the run
      bad(where, fmt::format("\"min\" {} is more than \"max\" {}", c.min, c.max));
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    if (k == "kind" || k == "on" || k == "why" || k == "count" || k == "min" || k == "max") continue;
    int idx = spec.fieldIndex(k);
    if (idx < 0) bad(where, "kind \"" + c.kind + "\" has no field \"" + k + "\"");
    auto type = spec.fields[idx].type;
    if (it->is_string()) {
      if (trace::isEnumType(type) && !trace::enumValue(type, it->get<std::string>()))
        bad(where, "\"" + k + "\" has no value \"" + it->get<std::string>() + "\"");
      c.where[k] = it->get<std::string>();
    } else if (it->is_number_integer()) {
      c.where[k] = std::to_string(it->get<int64_t>());
    } else if (it->is_boolean()) {
      c.where[k] = it->get<bool>() ? "true" : "false";
    } else {
      bad(where, "\"" + k + "\" must be a name, a number or a boolean");
    }
  }
  return c;
}

// Names used by steps must be created by some step; labels waited for must exist.
void checkNames(const Scenario& s) {
  std::set<std::string> created, labels;
  std::function<void(const std::vector<Step>&)> collect = [&](const std::vector<Step>& steps) {
    for (const auto& st : steps) {
      if (!st.as.empty()) created.insert(st.as);
      if (st.op == Op::closeDuringPoll) created.insert(st.as + ".peer");
      if (!st.label.empty() && !labels.insert(st.label).second)
        bad(st.path, "label \"" + st.label + "\" is used twice");
      collect(st.body);
    }
  };
  std::function<void(const std::vector<Step>&)> verify = [&](const std::vector<Step>& steps) {
    for (const auto& st : steps) {
      if (st.op == Op::waitStep) {
        if (!labels.count(st.target)) bad(st.path, "no step has the label \"" + st.target + "\"");
      } else if (!st.target.empty() && !created.count(st.target)) {
        bad(st.path, "\"" + st.target + "\" is not created by any step (use \"as\" on a listen, accept or dial)");
      }
      for (const auto& c : st.capture)
        if (!created.count(c)) bad(st.path, "\"capture\" names \"" + c + "\", which no step creates");
      if (!st.peer.empty() && !created.count(st.peer))
        bad(st.path, "\"peer\" \"" + st.peer + "\" is not created by any step");
      if (st.op == Op::dial && !st.addr.empty() && st.addr[0] == '@' && !created.count(st.addr.substr(1)))
        bad(st.path, "dial address \"" + st.addr + "\" names no listener");
      verify(st.body);
    }
  };
  for (const auto& g : s.goroutines) collect(g.steps);
  for (const auto& g : s.goroutines) verify(g.steps);
  for (const auto& c : s.checks)
    if (!c.on.empty() && !created.count(c.on)) bad(c.path, "\"on\" \"" + c.on + "\" is not created by any step");
}

// Two listeners under one name would rebind it silently (the second one wins and the
// first is unreachable by name), so each listen needs its own "as".
void checkListenNames(const Scenario& s) {
  std::set<std::string> listeners;
  std::function<void(const std::vector<Step>&)> walk = [&](const std::vector<Step>& steps) {
    for (const auto& st : steps) {
      if (st.op == Op::listen && !listeners.insert(st.as).second)
        bad(st.path, "a listener named \"" + st.as + "\" already exists (give each listen its own \"as\")");
      walk(st.body);
    }
  };
  for (const auto& g : s.goroutines) walk(g.steps);
}

// write "$last" sends what this goroutine read last, so a read must come before it in
// the goroutine's own order (a go body starts with nothing read). Without one it would
// write nothing and its peer would wait until the watchdog.
void checkLastRead(const Scenario& s) {
  std::function<void(const std::vector<Step>&, bool&)> walk = [&](const std::vector<Step>& steps, bool& hasRead) {
    for (const auto& st : steps) {
      if (st.op == Op::write && st.data == "$last" && !hasRead)
        bad(st.path, "write \"$last\" comes before any read in this goroutine (nothing has been read yet)");
      if (st.op == Op::read) hasRead = true;
      if (st.op == Op::go) {
        bool fresh = false;
        walk(st.body, fresh);
      } else {
        walk(st.body, hasRead);  // a loop's first pass has only what came before it
      }
    }
  };
  for (const auto& g : s.goroutines) {
    bool hasRead = false;
    walk(g.steps, hasRead);
  }
}
}  // namespace

// ---- 4. the document ------------------------------------------------------------------
bool parseScenario(const std::string& textIn, const std::string& source, Scenario* out, std::string* error) {
  json j;
  std::optional<std::string> duplicate;
  try {
    j = parseRejectingDuplicates(textIn, &duplicate);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers like 1e999999
    std::string msg = e.what();
    auto p = msg.find("] ");
    *error = source + ": " + (p == std::string::npos ? msg : msg.substr(p + 2));
    return false;
  }
  if (duplicate) {
    *error = source + ": " + *duplicate + ": the key appears twice in the same object (only one can count)";
    return false;
  }
  try {
    Scenario s;
    if (!j.is_object()) bad(source, "a scenario must be a JSON object");
    for (auto it = j.begin(); it != j.end(); ++it) {
      static const std::set<std::string> top = {"$schema",     "format",   "version",    "name",         "title",
                                                "description", "settings", "goroutines", "expect_trace", "article"};
      if (!top.count(it.key())) bad(source, "unknown field \"" + it.key() + "\"");
    }
    if (str(j, "format", source, true) != "pollscope-scenario")
      bad(source, "\"format\" must be \"pollscope-scenario\"");
    int64_t version = num(j, "version", source, true, 1, INT64_MIN, INT64_MAX);
    if (version != 1)
      bad(source, "scenario version " + std::to_string(version) + " is not supported (this pollscope reads 1)");
    s.name = str(j, "name", source, true);
    if (s.name.empty()) bad(source, "\"name\" must not be empty");
    s.title = text(j, "title", source);
    s.description = text(j, "description", source);
    // The original article's sections this scenario reproduces ("5.3"): export --article.
    if (const json* ar = get(j, "article")) {
      if (!ar->is_array()) bad(source + ".article", "must be an array of section numbers like \"5.3\"");
      for (const auto& sec : *ar) {
        if (!sec.is_string() || sec.get<std::string>().empty())
          bad(source + ".article", "each entry must be a section number string");
        s.article.push_back(sec.get<std::string>());
      }
    }
    if (const json* st = get(j, "settings")) {
      std::string w = source + ".settings";
      if (!st->is_object()) bad(w, "must be an object");
      for (auto it = st->begin(); it != st->end(); ++it)
        if (it.key() != "gomaxprocs" && it.key() != "sysmon" && it.key() != "timeout_ms" &&
            it.key() != "deterministic" && it.key() != "serve")
          bad(w, "unknown field \"" + it.key() + "\"");
      s.gomaxprocs = static_cast<int>(num(*st, "gomaxprocs", w, false, 1, 1, 64));
      s.sysmon = flag(*st, "sysmon", w);
      s.timeoutMs = num(*st, "timeout_ms", w, false, 10000, 1, 600000);
      s.deterministic = get(*st, "deterministic") ? flag(*st, "deterministic", w) : true;
      s.serve = flag(*st, "serve", w);
    }
    const json* gs = get(j, "goroutines");
    if (!gs || !gs->is_array() || gs->empty()) bad(source, "\"goroutines\" must be a non-empty array");
    std::set<std::string> names;
    StepParser sp;
    for (size_t gi = 0; gi < gs->size(); ++gi) {
      std::string where = "goroutines[" + std::to_string(gi) + "]";
      const json& g = (*gs)[gi];
      if (!g.is_object()) bad(where, "must be an object");
      for (auto it = g.begin(); it != g.end(); ++it)
        if (it.key() != "name" && it.key() != "steps") bad(where, "unknown field \"" + it.key() + "\"");
      GoroutineSpec spec;
      spec.name = str(g, "name", where, true);
      if (!names.insert(spec.name).second) bad(where, "goroutine name \"" + spec.name + "\" is used twice");
      const json* steps = get(g, "steps");
      if (!steps) bad(where, "missing \"steps\"");
      spec.steps = sp.parseList(*steps, where);
      s.goroutines.push_back(std::move(spec));
    }
    s.stepCount = sp.nextId;
    if (const json* checks = get(j, "expect_trace")) {
      if (!checks->is_array()) bad(source, "\"expect_trace\" must be an array");
      for (size_t i = 0; i < checks->size(); ++i)
        s.checks.push_back(parseCheck((*checks)[i], "expect_trace[" + std::to_string(i) + "]"));
    }
    checkNames(s);
    // A loop without end only makes sense where a stop signal ends the run.
    if (!s.serve)
      for (const auto& [st, g] : allSteps(s))
        if (st->forever) bad(st->path, "\"forever\" loops only in a serving scenario (settings.serve)");
    checkListenNames(s);
    checkLastRead(s);
    *out = std::move(s);
    return true;
  } catch (const ParseError& e) {
    *error = e.what();
    return false;
  } catch (const json::exception& e) {
    *error = source + ": " + e.what();
    return false;
  }
}

bool loadScenarioFile(const std::string& path, Scenario* out, std::string* error) {
  // Scenarios are hand-written stories: 16 MiB is far beyond any real one.
  constexpr size_t kMaxScenarioBytes = size_t{16} << 20;
  std::string text;
  if (!trace::readRegularFile(path, kMaxScenarioBytes, "a scenario", &text, error)) return false;
  std::string err;
  if (!parseScenario(text, path, out, &err)) {
    *error = err.rfind(path, 0) == 0 ? err : path + ": " + err;
    return false;
  }
  return true;
}

}  // namespace pollscope::scenario
