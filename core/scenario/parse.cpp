// Scenario JSON -> Scenario, with errors that name the step and the problem.
// Sections: 1. helpers  2. steps  3. checks  4. the document
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "scenario/scenario.hpp"
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

void allowOnly(const json& obj, const std::string& where, std::initializer_list<const char*> keys) {
  static const char* common[] = {"op", "say", "label", "expect_error"};
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = false;
    for (const char* k : keys) known = known || it.key() == k;
    for (const char* k : common) known = known || it.key() == k;
    if (!known) bad(where, "unknown field \"" + it.key() + "\" for this op");
  }
}

const std::set<std::string> kErrKinds = {"ok", "eof", "timeout", "closed", "refused", "reset", "broken_pipe", "any"};

// ---- 2. steps ---------------------------------------------------------------------
class StepParser {
 public:
  int nextId = 0;

  std::vector<Step> parseList(const json& arr, const std::string& where) {
    if (!arr.is_array()) bad(where, "\"steps\" must be an array");
    std::vector<Step> out;
    for (size_t i = 0; i < arr.size(); ++i)
      out.push_back(parseStep(arr[i], where + ".steps[" + std::to_string(i) + "]"));
    return out;
  }

 private:
  Step parseStep(const json& j, const std::string& where) {
    if (!j.is_object()) bad(where, "a step must be an object");
    Step s;
    s.id = nextId++;
    s.path = where;
    std::string op = str(j, "op", where, true);
    static const std::pair<const char*, Op> ops[] = {{"listen", Op::listen},
                                                     {"accept", Op::accept},
                                                     {"dial", Op::dial},
                                                     {"read", Op::read},
                                                     {"write", Op::write},
                                                     {"close", Op::close},
                                                     {"close_write", Op::closeWrite},
                                                     {"sleep", Op::sleep},
                                                     {"set_read_deadline", Op::setReadDeadline},
                                                     {"set_write_deadline", Op::setWriteDeadline},
                                                     {"set_deadline", Op::setDeadline},
                                                     {"set_option", Op::setOption},
                                                     {"go", Op::go},
                                                     {"loop", Op::loop},
                                                     {"spin", Op::spin},
                                                     {"wait_parked", Op::waitParked},
                                                     {"wait_step", Op::waitStep},
                                                     {"wait_events", Op::waitEvents},
                                                     {"close_during_poll", Op::closeDuringPoll},
                                                     {"read_all", Op::readAll},
                                                     {"echo", Op::echo}};
    bool found = false;
    for (auto& [n, o] : ops)
      if (op == n) {
        s.op = o;
        found = true;
      }
    if (!found) {
      std::string all;
      for (auto& [n, o] : ops) all += (all.empty() ? "" : ", ") + std::string(n);
      bad(where, "unknown op \"" + op + "\" (" + all + ")");
    }
    s.narration = text(j, "say", where);
    s.label = str(j, "label", where, false);
    s.expectErr = str(j, "expect_error", where, false, "ok");
    if (!kErrKinds.count(s.expectErr)) bad(where, "unknown \"expect_error\" \"" + s.expectErr + "\"");
    switch (s.op) {
      case Op::listen:
        allowOnly(j, where, {"as", "addr", "network"});
        s.as = str(j, "as", where, true);
        s.network = network(j, where);
        s.addr = str(j, "addr", where, false, s.network == "unix" ? "" : "127.0.0.1:0");
        break;
      case Op::accept:
        allowOnly(j, where, {"as", "on"});
        s.as = str(j, "as", where, true);
        s.target = str(j, "on", where, true);
        break;
      case Op::dial:
        allowOnly(j, where, {"as", "addr", "network"});
        s.as = str(j, "as", where, true);
        s.addr = str(j, "addr", where, true);
        s.network = network(j, where);
        break;
      case Op::read:
        allowOnly(j, where, {"on", "size", "expect", "expect_bytes", "race", "peer", "data"});
        s.target = str(j, "on", where, true);
        s.size = num(j, "size", where, false, 4096, 1, 64 << 20);
        if (get(j, "expect")) s.expectData = str(j, "expect", where, true);
        if (get(j, "expect_bytes")) s.expectBytes = num(j, "expect_bytes", where, true, 0, 0, 64 << 20);
        parseRace(j, where, s);
        break;
      case Op::readAll:
        allowOnly(j, where, {"on", "size", "expect_bytes"});
        s.target = str(j, "on", where, true);
        s.size = num(j, "size", where, false, 65536, 1, 64 << 20);
        if (get(j, "expect_bytes")) s.expectBytes = num(j, "expect_bytes", where, true, 0, 0, INT64_MAX);
        break;
      case Op::write:
        allowOnly(j, where, {"on", "data", "repeat", "expect_bytes"});
        s.target = str(j, "on", where, true);
        s.data = str(j, "data", where, true);
        s.repeat = num(j, "repeat", where, false, 1, 1, 1 << 28);
        if (s.repeat * static_cast<int64_t>(std::max<size_t>(s.data.size(), 1)) > (256 << 20))
          bad(where, "the payload (data x repeat) must be at most 256 MiB");
        if (get(j, "expect_bytes")) s.expectBytes = num(j, "expect_bytes", where, true, 0, 0, 256 << 20);
        break;
      case Op::close:
      case Op::closeWrite:
        allowOnly(j, where, {"on"});
        s.target = str(j, "on", where, true);
        break;
      case Op::sleep:
      case Op::spin:
        allowOnly(j, where, {"ms"});
        s.ms = num(j, "ms", where, true, 0, 0, 60000);
        break;
      case Op::setReadDeadline:
      case Op::setWriteDeadline:
      case Op::setDeadline:
        allowOnly(j, where, {"on", "ms", "move_after_fire_ms"});
        s.target = str(j, "on", where, true);
        if (const json* v = get(j, "ms"); v && v->is_null())
          s.clearDeadline = true;
        else
          s.ms = num(j, "ms", where, true, 0, -3600000, 3600000);
        if (get(j, "move_after_fire_ms"))
          s.moveAfterFireMs = num(j, "move_after_fire_ms", where, true, 0, -3600000, 3600000);
        break;
      case Op::setOption:
        allowOnly(j, where, {"on", "sndbuf", "rcvbuf", "linger0"});
        s.target = str(j, "on", where, true);
        s.sndbuf = static_cast<int>(num(j, "sndbuf", where, false, 0, 0, 64 << 20));
        s.rcvbuf = static_cast<int>(num(j, "rcvbuf", where, false, 0, 0, 64 << 20));
        s.linger0 = flag(j, "linger0", where);
        if (!s.sndbuf && !s.rcvbuf && !s.linger0) bad(where, "set_option needs \"sndbuf\", \"rcvbuf\" or \"linger0\"");
        break;
      case Op::echo:
        allowOnly(j, where, {"on", "size"});
        s.target = str(j, "on", where, true);
        s.size = num(j, "size", where, false, 4096, 1, 64 << 20);
        break;
      case Op::go:
        allowOnly(j, where, {"name", "steps", "capture"});
        s.goroutineName = str(j, "name", where, true);
        if (const json* cap = get(j, "capture")) {
          if (!cap->is_array()) bad(where, "\"capture\" must be an array of names");
          for (const auto& n : *cap) {
            if (!n.is_string()) bad(where, "\"capture\" must be an array of names");
            s.capture.push_back(n.get<std::string>());
          }
        }
        if (!get(j, "steps")) bad(where, "missing \"steps\"");
        s.body = parseList(*get(j, "steps"), where);
        break;
      case Op::loop:
        allowOnly(j, where, {"times", "steps"});
        s.times = num(j, "times", where, true, 1, 1, 100000);
        if (!get(j, "steps")) bad(where, "missing \"steps\"");
        s.body = parseList(*get(j, "steps"), where);
        break;
      case Op::waitParked: {
        allowOnly(j, where, {"on", "mode"});
        s.target = str(j, "on", where, true);
        std::string m = str(j, "mode", where, false, "r");
        if (m != "r" && m != "w") bad(where, "\"mode\" must be \"r\" or \"w\"");
        s.mode = m[0];
        break;
      }
      case Op::waitStep:
        allowOnly(j, where, {"step"});
        s.target = str(j, "step", where, true);
        break;
      case Op::waitEvents:
        allowOnly(j, where, {"count"});
        s.count = num(j, "count", where, true, 0, 1, 10000000);
        break;
      case Op::closeDuringPoll:
        allowOnly(j, where, {"on", "reuse_as", "write_on", "data"});
        s.target = str(j, "on", where, true);
        s.as = str(j, "reuse_as", where, true);
        // Optionally make the event to hold: written only once the injection is armed,
        // so no other M's netpoll can take it first.
        s.peer = str(j, "write_on", where, false);
        if (!s.peer.empty()) s.data = str(j, "data", where, true);
        break;
    }
    return s;
  }

  static std::string network(const json& j, const std::string& where) {
    std::string n = str(j, "network", where, false, "tcp");
    if (n != "tcp" && n != "tcp4" && n != "tcp6" && n != "unix")
      bad(where, "unknown network \"" + n + "\" (tcp, tcp4, tcp6, unix)");
    return n;
  }

  static void parseRace(const json& j, const std::string& where, Step& s) {
    std::string race = str(j, "race", where, false);
    if (race.empty()) {
      if (get(j, "peer") || get(j, "data")) bad(where, "\"peer\" and \"data\" go with \"race\"");
      return;
    }
    if (race == "data_before_park")
      s.race = Race::dataBeforePark;
    else if (race == "event_while_wait")
      s.race = Race::eventWhileWait;
    else
      bad(where, "unknown race \"" + race + "\" (data_before_park, event_while_wait)");
    s.peer = str(j, "peer", where, true);
    s.data = str(j, "data", where, true);
    if (s.data.empty()) bad(where, "\"data\" must not be empty");
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
}  // namespace

// ---- 4. the document ------------------------------------------------------------------
bool parseScenario(const std::string& textIn, const std::string& source, Scenario* out, std::string* error) {
  json j;
  try {
    j = json::parse(textIn);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers like 1e999999
    std::string msg = e.what();
    auto p = msg.find("] ");
    *error = source + ": " + (p == std::string::npos ? msg : msg.substr(p + 2));
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
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": cannot open file";
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string err;
  if (!parseScenario(ss.str(), path, out, &err)) {
    *error = err.rfind(path, 0) == 0 ? err : path + ": " + err;
    return false;
  }
  return true;
}

}  // namespace pollscope::scenario
