// Translating a scenario into the Go program a student would write.
//
// Sections: 1. identifiers and Go literals  2. what the scenario needs (a pre-pass)
//           3. one step -> Go statements      4. the program around the steps
//           5. classification
//
// Each step becomes the Go call it stands for (docs/scenario-format.md's "Go
// equivalent" column), preceded by a comment naming the step; every call's result
// is printed by report(). Shared names are package variables set once, with a
// signal that the goroutines using them wait for (the engine parks them the same
// way). wait_parked becomes waitParked(), the nearest honest Go equivalent
// (go_helpers.cpp). docs/go-programs.md is the user's account of all this.
#include "gosource/go_program.hpp"

#include <fmt/format.h>

#include <functional>
#include <set>

#include "gosource/go_helpers.hpp"
#include "scenario/scenario.hpp"

namespace pollscope::gosource {
namespace {
using scenario::Op;
using scenario::Race;
using scenario::Scenario;
using scenario::Step;

// ---- 1. identifiers and Go literals ---------------------------------------------------
const std::set<std::string> kReserved = {
    "break",       "case",        "chan",      "const",    "continue", "default",    "defer",   "else",
    "fallthrough", "for",         "func",      "go",       "goto",     "if",         "import",  "interface",
    "map",         "package",     "range",     "return",   "select",   "struct",     "switch",  "type",
    "var",         "bool",        "byte",      "error",    "int",      "string",     "len",     "make",
    "new",         "nil",         "true",      "false",    "close",    "copy",       "bytes",   "context",
    "errors",      "fmt",         "io",        "net",      "os",       "runtime",    "strings", "sync",
    "syscall",     "time",        "trace",     "main",     "wg",       "signal",     "hint",    "waitParked",
    "parkedAt",    "thisFile",    "spin",      "unixAddr", "report",   "reportRead", "errKind", "traceName",
    "startTrace",  "closeIfOpen", "newSignal", "err",      "n",        "buf",        "all",     "last",
    "i",           "j",           "k",         "stop",     "n64"};

// "reader-done" -> "readerDone", "s2.peer" -> "s2Peer"; never a Go keyword or one of ours.
std::string ident(const std::string& name) {
  std::string out;
  bool upper = false;
  for (char c : name) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      upper = !out.empty();
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  if (out.empty() || (out[0] >= '0' && out[0] <= '9')) out = "x" + out;
  if (kReserved.count(out)) out += "_";
  return out;
}

// A Go interpreted string literal.
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 32 || c == 127) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// A narration on one comment line.
std::string oneLine(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '\n' ? ' ' : c;
  return out;
}

// The op's name in scenario files. Its own table, not the op table's opName: that
// lives with the runner, which links the engine.
const char* opWord(Op op) {
  switch (op) {
    case Op::listen: return "listen";
    case Op::accept: return "accept";
    case Op::dial: return "dial";
    case Op::read: return "read";
    case Op::write: return "write";
    case Op::close: return "close";
    case Op::closeWrite: return "close_write";
    case Op::sleep: return "sleep";
    case Op::setReadDeadline: return "set_read_deadline";
    case Op::setWriteDeadline: return "set_write_deadline";
    case Op::setDeadline: return "set_deadline";
    case Op::setOption: return "set_option";
    case Op::go: return "go";
    case Op::loop: return "loop";
    case Op::spin: return "spin";
    case Op::waitParked: return "wait_parked";
    case Op::waitStep: return "wait_step";
    case Op::waitEvents: return "wait_events";
    case Op::closeDuringPoll: return "close_during_poll";
    case Op::readAll: return "read_all";
    case Op::echo: return "echo";
  }
  return "?";
}

std::string millis(int64_t ms) {
  if (ms == 0) return "0";
  return fmt::format("{} * time.Millisecond", ms);
}

// ---- 2. what the scenario needs --------------------------------------------------------
struct NameInfo {
  bool listener = false;
  std::string network = "tcp";
};

struct Needs {  // the local variables one Go function body uses
  bool err = false, n = false, buf = false, all = false, last = false, n64 = false, payload = false;
};

bool touches(const Step& st, const std::string& name, char mode) {
  if (st.target != name) return false;
  switch (st.op) {
    case Op::read:
    case Op::readAll:
    case Op::accept: return mode == 'r';
    case Op::write: return mode == 'w';
    case Op::echo: return true;
    default: return false;
  }
}

std::string key(const std::string& name, char mode) {
  return name + (mode == 'r' ? "/r" : "/w");
}

class Translator {
 public:
  Translator(const Scenario& s, std::string sourceName) : s_(s), source_(std::move(sourceName)) {}
  GoProgram run();

 private:
  struct Scope {
    std::string goroutine;
    std::set<std::string> known;  // names this body has created or waited for
    int depth = 0;                // loop nesting (i, j, k)
    bool keepLast = false;        // a write echoes this goroutine's last read
  };

  void prepass(const std::vector<Step>& steps);
  void needsOf(const std::vector<Step>& steps, Needs& n) const;
  bool declareLocals(const std::vector<Step>& steps, int indent);  // true: keeps $last
  void body(const std::vector<Step>& steps, int indent, Scope& scope);
  void step(const Step& st, int indent, Scope& scope);
  void use(const std::string& name, int indent, Scope& scope);  // wait for a name made elsewhere
  void created(const std::string& name, int indent, Scope& scope);
  std::string nameNetwork(const std::string& name) const;
  std::string connType(const std::string& name) const;

  void line(int indent, const std::string& text) {
    lines_.push_back(std::string(static_cast<size_t>(indent), '\t') + text);
  }
  int nextLine() const { return static_cast<int>(lines_.size()) + 1; }
  void statement(const Step& st, int indent, const std::string& text) {
    out_.stepLine.emplace(st.id, nextLine());
    line(indent, text);
  }

  const Scenario& s_;
  std::string source_;
  std::vector<std::string> lines_;
  GoProgram out_;
  std::map<std::string, NameInfo> names_;              // every shared name, in name order
  std::set<std::string> parkKeys_;                     // "s/r": some wait_parked waits for it
  std::map<std::string, std::vector<int>> parkLines_;  // key -> lines of calls that may park there
  std::set<std::string> labels_;
  std::set<std::string> imports_;
};

void Translator::prepass(const std::vector<Step>& steps) {
  for (const Step& st : steps) {
    if (st.op == Op::listen) names_[st.as] = {true, st.network};
    if (st.op == Op::dial) names_[st.as] = {false, st.network};
    if (st.op == Op::closeDuringPoll) {
      names_[st.as] = {false, "tcp"};
      names_[st.as + ".peer"] = {false, "tcp"};
    }
    if (st.op == Op::waitParked) parkKeys_.insert(key(st.target, st.mode));
    if (!st.label.empty()) labels_.insert(st.label);
    prepass(st.body);
  }
}

// Accepted connections take their listener's network (a second walk: listens come first).
void assignAcceptNetworks(const std::vector<Step>& steps, std::map<std::string, NameInfo>& names) {
  for (const Step& st : steps) {
    if (st.op == Op::accept) names[st.as] = {false, names.count(st.target) ? names[st.target].network : "tcp"};
    assignAcceptNetworks(st.body, names);
  }
}

void Translator::needsOf(const std::vector<Step>& steps, Needs& n) const {
  for (const Step& st : steps) {
    switch (st.op) {
      case Op::read: n.n = n.buf = n.err = true; break;
      case Op::write:
        n.n = n.err = true;
        if (st.data == "$last") n.last = true;
        if (st.repeat > 1) n.payload = true;
        break;
      case Op::readAll: n.all = n.err = true; break;
      case Op::echo: n.n64 = n.err = true; break;
      case Op::listen:
      case Op::accept:
      case Op::dial:
      case Op::close:
      case Op::closeWrite:
      case Op::setOption:
      case Op::setReadDeadline:
      case Op::setWriteDeadline:
      case Op::setDeadline: n.err = true; break;
      default: break;
    }
    if (st.op == Op::loop) needsOf(st.body, n);  // a go body is its own function
  }
}

bool Translator::declareLocals(const std::vector<Step>& steps, int indent) {
  Needs n;
  needsOf(steps, n);
  if (n.err) line(indent, "var err error");
  if (n.n) line(indent, "var n int");
  if (n.n64) line(indent, "var n64 int64");
  if (n.buf) line(indent, "var buf []byte");
  if (n.all) line(indent, "var all []byte");
  if (n.last) line(indent, "var last []byte");
  if (n.payload) line(indent, "var payload []byte");
  return n.last;
}

std::string Translator::nameNetwork(const std::string& name) const {
  auto it = names_.find(name);
  return it == names_.end() ? "tcp" : it->second.network;
}

std::string Translator::connType(const std::string& name) const {
  return nameNetwork(name) == "unix" ? "*net.UnixConn" : "*net.TCPConn";
}

void Translator::use(const std::string& name, int indent, Scope& scope) {
  if (name.empty() || scope.known.count(name)) return;
  line(indent, fmt::format("// \"{}\" is made by another goroutine: wait until it exists", name));
  line(indent, fmt::format("{}Ready.wait()", ident(name)));
  scope.known.insert(name);
}

void Translator::created(const std::string& name, int indent, Scope& scope) {
  line(indent, fmt::format("{}Ready.fire()", ident(name)));
  scope.known.insert(name);
}

// ---- 3. one step -> Go statements -------------------------------------------------------
void Translator::step(const Step& st, int indent, Scope& scope) {
  const std::string g = quote(scope.goroutine);
  const std::string on = ident(st.target);
  const std::string say = st.narration.en.empty() ? "" : " -- " + oneLine(st.narration.en);
  line(indent, fmt::format("// step {} ({}): {}{}", st.id, st.path, opWord(st.op), say));
  auto hintFor = [&](char mode) {
    if (parkKeys_.count(key(st.target, mode)) && touches(st, st.target, mode)) {
      line(indent, fmt::format("hint({}{}Hint)", on, mode == 'r' ? "Read" : "Write"));
      parkLines_[key(st.target, mode)].push_back(nextLine());
    }
  };
  switch (st.op) {
    case Op::listen: {
      std::string addr =
          st.network == "unix" && st.addr.empty() ? fmt::format("unixAddr({})", quote(st.as)) : quote(st.addr);
      statement(st, indent, fmt::format("{}, err = net.Listen({}, {})", ident(st.as), quote(st.network), addr));
      line(indent, fmt::format("report({}, {}, \"listen\", 0, err)", st.id, g));
      created(st.as, indent, scope);
      break;
    }
    case Op::accept:
      use(st.target, indent, scope);
      hintFor('r');
      statement(st, indent, fmt::format("{}, err = {}.Accept()", ident(st.as), on));
      line(indent, fmt::format("report({}, {}, \"accept\", 0, err)", st.id, g));
      created(st.as, indent, scope);
      break;
    case Op::dial: {
      std::string addr = quote(st.addr);
      if (!st.addr.empty() && st.addr[0] == '@' && names_.count(st.addr.substr(1)) &&
          names_[st.addr.substr(1)].listener) {
        use(st.addr.substr(1), indent, scope);
        addr = ident(st.addr.substr(1)) + ".Addr().String()";
      }
      statement(st, indent, fmt::format("{}, err = net.Dial({}, {})", ident(st.as), quote(st.network), addr));
      line(indent, fmt::format("report({}, {}, \"dial\", 0, err)", st.id, g));
      created(st.as, indent, scope);
      break;
    }
    case Op::read:
      use(st.target, indent, scope);
      if (st.race != Race::none) {
        line(indent, fmt::format("// INJECTION POINT ({}): pollscope writes {} to {}'s peer and runs netpoll(0) {}.",
                                 st.race == Race::dataBeforePark ? "data_before_park" : "event_while_wait",
                                 quote(st.data), st.peer,
                                 st.race == Race::dataBeforePark ? "between this Read's EAGAIN and netpollblock"
                                                                 : "inside netpollblockcommit, before its CAS"));
        line(indent, "// Go has no hook there: this Read simply waits for data that never comes.");
      }
      line(indent, fmt::format("buf = make([]byte, {})", st.size));
      hintFor('r');
      statement(st, indent, fmt::format("n, err = {}.Read(buf)", on));
      line(indent, fmt::format("reportRead({}, {}, n, err, buf[:n])", st.id, g));
      if (scope.keepLast) line(indent, "last = buf[:n]");
      break;
    case Op::readAll:
      use(st.target, indent, scope);
      hintFor('r');
      statement(st, indent, fmt::format("all, err = io.ReadAll({})", on));
      line(indent, fmt::format("report({}, {}, \"read_all\", len(all), err)", st.id, g));
      break;
    case Op::echo:
      use(st.target, indent, scope);
      hintFor('r');
      statement(st, indent, fmt::format("n64, err = io.Copy({0}, {0})", on));
      line(indent, fmt::format("report({}, {}, \"echo\", int(n64), err)", st.id, g));
      line(indent, fmt::format("{}.Close()", on));
      break;
    case Op::write: {
      use(st.target, indent, scope);
      std::string data = st.data == "$last" ? "last" : fmt::format("[]byte({})", quote(st.data));
      if (st.repeat > 1) {
        // Built before the hint: nothing may stand between a hint and its call.
        imports_.insert("bytes");
        line(indent, fmt::format("payload = bytes.Repeat({}, {})", data, st.repeat));
        data = "payload";
      }
      hintFor('w');
      statement(st, indent, fmt::format("n, err = {}.Write({})", on, data));
      line(indent, fmt::format("report({}, {}, \"write\", n, err)", st.id, g));
      break;
    }
    case Op::close:
      use(st.target, indent, scope);
      statement(st, indent, fmt::format("err = {}.Close()", on));
      line(indent, fmt::format("report({}, {}, \"close\", 0, err)", st.id, g));
      break;
    case Op::closeWrite:
      use(st.target, indent, scope);
      statement(st, indent, fmt::format("err = {}.({}).CloseWrite()", on, connType(st.target)));
      line(indent, fmt::format("report({}, {}, \"close_write\", 0, err)", st.id, g));
      break;
    case Op::setOption: {
      use(st.target, indent, scope);
      bool first = true;
      auto option = [&](const std::string& call, const char* what) {
        if (first)
          statement(st, indent, fmt::format("err = {}.({}).{}", on, connType(st.target), call));
        else
          line(indent, fmt::format("err = {}.({}).{}", on, connType(st.target), call));
        first = false;
        line(indent, fmt::format("report({}, {}, {}, 0, err)", st.id, g, quote(what)));
      };
      if (st.sndbuf) option(fmt::format("SetWriteBuffer({})", st.sndbuf), "SetWriteBuffer");
      if (st.rcvbuf) option(fmt::format("SetReadBuffer({})", st.rcvbuf), "SetReadBuffer");
      if (st.linger0) {
        if (nameNetwork(st.target) == "unix")
          line(indent, "// SO_LINGER 0 on a unix socket: Go's UnixConn has no SetLinger (not translated)");
        else
          option("SetLinger(0)", "SetLinger");
      }
      break;
    }
    case Op::setReadDeadline:
    case Op::setWriteDeadline:
    case Op::setDeadline: {
      use(st.target, indent, scope);
      const char* method = st.op == Op::setReadDeadline    ? "SetReadDeadline"
                           : st.op == Op::setWriteDeadline ? "SetWriteDeadline"
                                                           : "SetDeadline";
      auto at = [](int64_t ms) {
        return ms < 0 ? fmt::format("time.Now().Add(-{})", millis(-ms)) : fmt::format("time.Now().Add({})", millis(ms));
      };
      std::string when = st.clearDeadline ? "time.Time{}" : at(st.ms);
      statement(st, indent, fmt::format("err = {}.{}({})", on, method, when));
      if (st.moveAfterFireMs) {
        // The engine's goroutine waits for the deadline's timer and then calls the
        // setter again; a Go goroutine cannot wait for a runtime timer it does not own.
        line(indent, fmt::format("// INJECTION POINT (move_after_fire_ms {}): pollscope parks this goroutine until "
                                 "this deadline's timer fires; the timer readies it right after the reader it "
                                 "woke, and before the reader re-checks it runs",
                                 *st.moveAfterFireMs));
        line(indent, fmt::format("//   err = {}.{}({})", on, method, at(*st.moveAfterFireMs)));
        line(indent, "// Go has no hook to wait for that moment.");
      }
      line(indent, fmt::format("report({}, {}, {}, 0, err)", st.id, g, quote(opWord(st.op))));
      break;
    }
    case Op::sleep: statement(st, indent, fmt::format("time.Sleep({})", millis(st.ms))); break;
    case Op::spin:
      if (st.spinUntil != "ms")  // Go cannot see its own poller: the loop runs its longest
        line(indent, fmt::format("// pollscope ends this loop early, as soon as {}",
                                 st.spinUntil == "readied" ? "the goroutine parked on " + st.target + " is readied"
                                                           : std::string("an M sleeps in netpoll")));
      statement(st, indent, fmt::format("spin({})", millis(st.ms)));
      break;
    case Op::go: {
      line(indent, "wg.Add(1)");
      std::string params, args;
      for (const auto& c : st.capture) {
        use(c, indent, scope);
        params += (params.empty() ? "" : ", ") + ident(c) +
                  (names_.count(c) && names_[c].listener ? " net.Listener" : " net.Conn");
        args += (args.empty() ? "" : ", ") + ident(c);
      }
      line(indent, fmt::format("// goroutine {}", quote(st.goroutineName)));
      statement(st, indent, fmt::format("go func({}) {{", params));
      line(indent + 1, "defer wg.Done()");
      line(indent + 1, fmt::format("traceName({})", quote(st.goroutineName)));
      Scope inner{st.goroutineName, scope.known, 0, false};
      for (const auto& c : st.capture) inner.known.insert(c);
      inner.keepLast = declareLocals(st.body, indent + 1);
      body(st.body, indent + 1, inner);
      line(indent, fmt::format("}}({})", args));
      break;
    }
    case Op::loop: {
      const char* var = scope.depth == 0 ? "i" : scope.depth == 1 ? "j" : "k";
      statement(st, indent, fmt::format("for {0} := 0; {0} < {1}; {0}++ {{", var, st.times));
      Scope inner = scope;
      inner.depth++;
      body(st.body, indent + 1, inner);
      scope.known.insert(inner.known.begin(), inner.known.end());  // a loop runs at least once
      line(indent, "}");
      break;
    }
    case Op::waitParked: {
      use(st.target, indent, scope);
      std::string k = key(st.target, st.mode);
      line(indent, fmt::format("// until a goroutine is parked on {}'s {}", st.target,
                               st.mode == 'r' ? "rg (in a read)" : "wg (in a write)"));
      statement(
          st, indent,
          fmt::format("waitParked({}{}Hint, @@LINES:{}@@)", ident(st.target), st.mode == 'r' ? "Read" : "Write", k));
      break;
    }
    case Op::waitStep:
      line(indent, fmt::format("// until the step labelled {} has finished", quote(st.target)));
      statement(st, indent, fmt::format("{}Step.wait()", ident(st.target)));
      break;
    case Op::waitEvents:
      line(indent,
           fmt::format("// wait_events {}: Go has no event recorder to count; yield instead (approximate)", st.count));
      statement(st, indent, "runtime.Gosched()");
      break;
    case Op::closeDuringPoll:
      line(indent, "// INJECTION POINT (close_during_poll): pollscope closes this socket inside netpoll, between");
      line(indent, "// epoll_wait and the processing of its event, and hands its pollDesc to a new socket pair.");
      line(indent, fmt::format("// Go has no hook there; {} and {}.peer are never made, so this program cannot go on.",
                               st.as, st.as));
      statement(st, indent, fmt::format("panic(\"close_during_poll on {} has no Go equivalent\")", st.target));
      break;
  }
  if (!st.label.empty()) line(indent, fmt::format("{}Step.fire()", ident(st.label)));
}

void Translator::body(const std::vector<Step>& steps, int indent, Scope& scope) {
  for (const Step& st : steps) step(st, indent, scope);
}

// ---- 4. the program around the steps ------------------------------------------------------
GoProgram Translator::run() {
  for (const auto& g : s_.goroutines) prepass(g.steps);
  for (const auto& g : s_.goroutines) assignAcceptNetworks(g.steps, names_);
  out_.fidelity = classify(s_, &out_.why);

  // The goroutines first (into `lines_`), then the header above them, so the header
  // knows the imports; step lines are shifted by the header's length afterwards.
  std::vector<std::string> funcs;
  std::set<std::string> funcNames;
  for (const auto& g : s_.goroutines) {
    std::string f = ident(g.name);
    if (names_.count(g.name) || funcNames.count(f)) f += "Goroutine";
    funcNames.insert(f);
    funcs.push_back(f);
    line(0, "");
    line(0, fmt::format("// {}: the scenario's goroutine {}.", f, quote(g.name)));
    line(0, fmt::format("func {}() {{", f));
    line(1, "defer wg.Done()");
    line(1, fmt::format("traceName({})", quote(g.name)));
    Scope scope{g.name, {}, 0, false};
    scope.keepLast = declareLocals(g.steps, 1);
    body(g.steps, 1, scope);
    line(0, "}");
  }
  line(0, "");
  line(0, "func main() {");
  line(1, "// settings.gomaxprocs");
  line(1, fmt::format("runtime.GOMAXPROCS({})", s_.gomaxprocs));
  line(1, "stopTrace := startTrace()");
  line(1, fmt::format("wg.Add({})", s_.goroutines.size()));
  for (const auto& f : funcs) line(1, fmt::format("go {}()", f));
  line(1, "wg.Wait()");
  line(1, "// The scenario's end: whatever is still open is closed (connections, then");
  line(1, "// listeners, by name), as pollscope's runner does and as the process exit would.");
  for (int pass = 0; pass < 2; ++pass)
    for (const auto& [name, info] : names_)
      if (info.listener == (pass == 1)) line(1, fmt::format("closeIfOpen({})", ident(name)));
  line(1, "stopTrace()");
  line(0, "}");

  // The header.
  std::vector<std::string> head;
  auto h = [&](const std::string& t) { head.push_back(t); };
  h(fmt::format("// Code generated by \"pollscope go {}\". DO NOT EDIT.", source_));
  h("//");
  h(fmt::format("// {}", oneLine(s_.title.en.empty() ? s_.name : s_.title.en)));
  if (!s_.description.en.empty()) h(fmt::format("// {}", oneLine(s_.description.en)));
  h("//");
  h(fmt::format("// The Go program behind pollscope's scenario {}: the same goroutines, sockets", quote(s_.name)));
  h("// and calls, each under a comment naming its scenario step. It prints what every");
  h("// call returned. Run it with: go run THIS_FILE.go");
  h("//");
  h(fmt::format("// Translation: {}.", fidelityName(out_.fidelity)));
  for (const auto& w : out_.why) h("//   - " + w);
  h("package main");
  h("");
  h("import (");
  std::set<std::string> imports = {"context", "errors",        "fmt",     "io",   "net",     "os",
                                   "runtime", "runtime/trace", "strings", "sync", "syscall", "time"};
  imports.insert(imports_.begin(), imports_.end());
  for (const auto& i : imports) h("\t" + quote(i));
  h(")");
  h("");
  h("// Shared names: set once by the step that makes them; their signal fires then,");
  h("// and a goroutine that uses a name made elsewhere waits for it first.");
  for (const auto& [name, info] : names_) {
    h(fmt::format("// {}: a {}", quote(name), info.listener ? "listener" : "connection"));
    h(fmt::format("var {} {}", ident(name), info.listener ? "net.Listener" : "net.Conn"));
    h(fmt::format("var {}Ready = newSignal()", ident(name)));
    h("");
  }
  for (const auto& l : labels_) {
    h(fmt::format("// The step labelled {} has finished.", quote(l)));
    h(fmt::format("var {}Step = newSignal()", ident(l)));
    h("");
  }
  for (const auto& k : parkKeys_) {
    std::string name = k.substr(0, k.size() - 2);
    h(fmt::format("// A goroutine is about to make a call that may park on {}'s {}.", name,
                  k.back() == 'r' ? "rg" : "wg"));
    h(fmt::format("var {}{}Hint = make(chan struct{{}}, 1)", ident(name), k.back() == 'r' ? "Read" : "Write"));
    h("");
  }

  if (!head.empty() && head.back().empty()) head.pop_back();  // each function starts with its blank line
  int shift = static_cast<int>(head.size());
  for (auto& [id, ln] : out_.stepLine) ln += shift;
  std::string text;
  for (const auto& l : head) text += l + "\n";
  for (auto l : lines_) {
    // waitParked's list of lines, known only now.
    auto at = l.find("@@LINES:");
    if (at != std::string::npos) {
      auto end = l.find("@@", at + 8);
      std::string k = l.substr(at + 8, end - at - 8);
      std::string list;
      for (int n : parkLines_[k]) list += (list.empty() ? "" : ", ") + std::to_string(n + shift);
      if (list.empty()) list = "/* any line */";
      l = l.substr(0, at) + list + l.substr(end + 2);
    }
    text += l + "\n";
  }
  text += kGoHelpers;
  out_.text = std::move(text);
  return std::move(out_);
}

// ---- 5. classification ------------------------------------------------------------------------
void walk(const std::vector<Step>& steps, const std::function<void(const Step&)>& f) {
  for (const Step& st : steps) {
    f(st);
    walk(st.body, f);
  }
}
}  // namespace

const char* fidelityName(Fidelity f) {
  switch (f) {
    case Fidelity::exact: return "exact";
    case Fidelity::approximate: return "approximate";
    case Fidelity::none: return "none";
  }
  return "?";
}

Fidelity classify(const Scenario& s, std::vector<std::string>* why) {
  bool none = false, approx = false;
  std::set<std::string> said;
  auto note = [&](bool& flag, const std::string& reason) {
    flag = true;
    if (said.insert(reason).second) why->push_back(reason);
  };
  for (const auto& g : s.goroutines)
    walk(g.steps, [&](const Step& st) {
      if (st.race == Race::dataBeforePark)
        note(none, "needs an injection point: data arrives between a Read's EAGAIN and netpollblock (Go has no hook)");
      if (st.race == Race::eventWhileWait)
        note(none, "needs an injection point: an event inside netpollblockcommit, before its CAS (Go has no hook)");
      if (st.op == Op::closeDuringPoll)
        note(none,
             "needs an injection point: a close inside netpoll, between epoll_wait and processing (Go has no hook)");
      if (st.moveAfterFireMs)
        note(none, "needs an injection point: a deadline moved after its timer fired, before the reader runs");
      if (st.op == Op::spin)
        note(approx, "spin: Go preempts a goroutine after 10 ms; pollscope's engine never preempts");
      if (st.op == Op::waitEvents) note(approx, "wait_events: Go has no event recorder to count");
      if (st.op == Op::setOption && st.linger0 && st.network == "unix")
        note(approx, "SO_LINGER on a unix socket: Go has no SetLinger there");
    });
  if (s.serve) note(none, "serves real clients until stopped: the program would never finish");
  if (s.sysmon) note(approx, "sysmon: Go's sysmon also preempts and retakes Ps; the engine's only polls");
  if (!s.deterministic)
    note(approx, "not deterministic: its order depends on threads or TCP timing, in Go as on the engine");
  return none ? Fidelity::none : approx ? Fidelity::approximate : Fidelity::exact;
}

GoProgram goProgram(const Scenario& s, const std::string& sourceName) {
  return Translator(s, sourceName).run();
}

}  // namespace pollscope::gosource
