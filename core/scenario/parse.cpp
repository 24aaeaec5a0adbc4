// Scenario JSON -> Scenario, with errors that name the step and the problem.
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "scenario/scenario.hpp"

namespace pollscope::scenario {
namespace {
using json = nlohmann::json;

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

int64_t num(const json& obj, const char* key, const std::string& where, bool required, int64_t def = 0) {
  const json* v = get(obj, key);
  if (!v) {
    if (required) bad(where, std::string("missing \"") + key + "\"");
    return def;
  }
  if (!v->is_number_integer()) bad(where, std::string("\"") + key + "\" must be an integer");
  return v->get<int64_t>();
}

Text text(const json& obj, const char* key, const std::string& where) {
  const json* v = get(obj, key);
  if (!v) return {};
  if (v->is_string()) return {v->get<std::string>(), {}};
  if (!v->is_object()) bad(where, std::string("\"") + key + "\" must be a string or {\"en\": ..., \"zh\": ...}");
  return {str(*v, "en", where + "." + key, false), str(*v, "zh", where + "." + key, false)};
}

void allowOnly(const json& obj, const std::string& where, std::initializer_list<const char*> keys) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = false;
    for (const char* k : keys) known = known || it.key() == k;
    if (!known) bad(where, "unknown field \"" + it.key() + "\"");
  }
}

const std::set<std::string> kErrKinds = {"ok", "eof", "timeout", "closed", "refused", "reset", "broken_pipe", "any"};

Step parseStep(const json& j, const std::string& where) {
  if (!j.is_object()) bad(where, "a step must be an object");
  Step s;
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
                                                   {"set_deadline", Op::setDeadline}};
  bool found = false;
  for (auto& [n, o] : ops)
    if (op == n) {
      s.op = o;
      found = true;
    }
  if (!found)
    bad(where, "unknown op \"" + op +
                   "\" (listen, accept, dial, read, write, close, close_write, sleep, "
                   "set_read_deadline, set_write_deadline, set_deadline)");
  s.narration = text(j, "say", where);
  s.expectErr = str(j, "expect_error", where, false, "ok");
  if (!kErrKinds.count(s.expectErr)) bad(where, "unknown \"expect_error\" \"" + s.expectErr + "\"");
  switch (s.op) {
    case Op::listen:
      allowOnly(j, where, {"op", "as", "addr", "network", "say", "expect_error"});
      s.as = str(j, "as", where, true);
      s.network = str(j, "network", where, false, "tcp");
      s.addr = str(j, "addr", where, false, s.network == "unix" ? "" : "127.0.0.1:0");
      break;
    case Op::accept:
      allowOnly(j, where, {"op", "as", "on", "say", "expect_error"});
      s.as = str(j, "as", where, true);
      s.target = str(j, "on", where, true);
      break;
    case Op::dial:
      allowOnly(j, where, {"op", "as", "addr", "network", "say", "expect_error"});
      s.as = str(j, "as", where, true);
      s.addr = str(j, "addr", where, true);
      s.network = str(j, "network", where, false, "tcp");
      break;
    case Op::read:
      allowOnly(j, where, {"op", "on", "size", "expect", "say", "expect_error"});
      s.target = str(j, "on", where, true);
      s.size = num(j, "size", where, false, 4096);
      if (s.size <= 0 || s.size > (64 << 20)) bad(where, "\"size\" must be 1..67108864");
      if (get(j, "expect")) s.expectData = str(j, "expect", where, true);
      break;
    case Op::write:
      allowOnly(j, where, {"op", "on", "data", "repeat", "say", "expect_error"});
      s.target = str(j, "on", where, true);
      s.data = str(j, "data", where, true);
      s.repeat = num(j, "repeat", where, false, 1);
      if (s.repeat < 1 || s.repeat * static_cast<int64_t>(s.data.size()) > (256 << 20))
        bad(where, "\"repeat\" must be >= 1 and the payload at most 256 MiB");
      break;
    case Op::close:
    case Op::closeWrite:
      allowOnly(j, where, {"op", "on", "say", "expect_error"});
      s.target = str(j, "on", where, true);
      break;
    case Op::sleep:
      allowOnly(j, where, {"op", "ms", "say", "expect_error"});
      s.ms = num(j, "ms", where, true);
      if (s.ms < 0 || s.ms > 60000) bad(where, "\"ms\" must be 0..60000");
      break;
    case Op::setReadDeadline:
    case Op::setWriteDeadline:
    case Op::setDeadline:
      allowOnly(j, where, {"op", "on", "ms", "say", "expect_error"});
      s.target = str(j, "on", where, true);
      if (const json* v = get(j, "ms"); v && v->is_null())
        s.clearDeadline = true;
      else
        s.ms = num(j, "ms", where, true);
      break;
  }
  return s;
}
}  // namespace

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
    allowOnly(j, source, {"format", "version", "name", "title", "description", "settings", "goroutines"});
    if (str(j, "format", source, true) != "pollscope-scenario")
      bad(source, "\"format\" must be \"pollscope-scenario\"");
    int64_t version = num(j, "version", source, true);
    if (version != 1)
      bad(source, "scenario version " + std::to_string(version) + " is not supported (this pollscope reads 1)");
    s.name = str(j, "name", source, true);
    s.title = text(j, "title", source);
    s.description = text(j, "description", source);
    if (const json* st = get(j, "settings")) {
      if (!st->is_object()) bad(source + ".settings", "must be an object");
      allowOnly(*st, source + ".settings", {"gomaxprocs", "sysmon", "timeout_ms"});
      s.gomaxprocs = static_cast<int>(num(*st, "gomaxprocs", source + ".settings", false, 1));
      if (s.gomaxprocs < 1 || s.gomaxprocs > 64) bad(source + ".settings", "\"gomaxprocs\" must be 1..64");
      if (const json* sm = get(*st, "sysmon")) {
        if (!sm->is_boolean()) bad(source + ".settings", "\"sysmon\" must be true or false");
        s.sysmon = sm->get<bool>();
      }
      s.timeoutMs = num(*st, "timeout_ms", source + ".settings", false, 10000);
      if (s.timeoutMs < 1 || s.timeoutMs > 600000) bad(source + ".settings", "\"timeout_ms\" must be 1..600000");
    }
    const json* gs = get(j, "goroutines");
    if (!gs || !gs->is_array() || gs->empty()) bad(source, "\"goroutines\" must be a non-empty array");
    std::set<std::string> names;
    for (size_t gi = 0; gi < gs->size(); ++gi) {
      std::string where = "goroutines[" + std::to_string(gi) + "]";
      const json& g = (*gs)[gi];
      if (!g.is_object()) bad(where, "must be an object");
      allowOnly(g, where, {"name", "steps"});
      GoroutineSpec spec;
      spec.name = str(g, "name", where, true);
      if (!names.insert(spec.name).second) bad(where, "goroutine name \"" + spec.name + "\" is used twice");
      const json* steps = get(g, "steps");
      if (!steps || !steps->is_array()) bad(where, "\"steps\" must be an array");
      for (size_t si = 0; si < steps->size(); ++si)
        spec.steps.push_back(parseStep((*steps)[si], where + ".steps[" + std::to_string(si) + "]"));
      s.goroutines.push_back(std::move(spec));
    }
    // Every name a step uses must be created by some step.
    std::set<std::string> created;
    for (const auto& g : s.goroutines)
      for (const auto& st : g.steps)
        if (!st.as.empty()) created.insert(st.as);
    for (const auto& g : s.goroutines)
      for (const auto& st : g.steps) {
        if (!st.target.empty() && !created.count(st.target))
          bad(st.path, "\"" + st.target + "\" is not created by any step (use \"as\" on a listen, accept or dial)");
        if (st.op == Op::dial && !st.addr.empty() && st.addr[0] == '@' && !created.count(st.addr.substr(1)))
          bad(st.path, "dial address \"" + st.addr + "\" names no listener");
      }
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
