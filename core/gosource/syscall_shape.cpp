// Normalising strace -f output (see syscall_shape.hpp).
//
// Sections: 1. reading strace lines  2. fd lifetimes and their roles  3. one call -> one line
#include "gosource/syscall_shape.hpp"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace pollscope::gosource {
namespace {

// ---- 1. reading strace lines --------------------------------------------------------
struct Call {
  std::string name;
  std::vector<std::string> args;
  std::string ret;  // "0", "5", "-1 EAGAIN (...)"
};

// Splits "a, {b, c}, [d]" at the commas outside brackets and quotes.
std::vector<std::string> splitArgs(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  bool quoted = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      cur += c;
      if (c == '\\' && i + 1 < s.size())
        cur += s[++i];
      else if (c == '"')
        quoted = false;
      continue;
    }
    if (c == '"') quoted = true;
    if (c == '(' || c == '{' || c == '[') depth++;
    if (c == ')' || c == '}' || c == ']') depth--;
    if (c == ',' && depth == 0) {
      out.push_back(cur);
      cur.clear();
      continue;
    }
    if (!(c == ' ' && cur.empty())) cur += c;
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::optional<Call> parseCall(const std::string& text) {
  // "listen(3, 4096)                   = 0": strace pads the result to a column.
  auto open = text.find('(');
  auto eq = text.rfind(" = ");
  if (open == std::string::npos || eq == std::string::npos || eq < open) return std::nullopt;
  size_t close = eq;
  while (close > open && text[close] == ' ') --close;
  if (text[close] != ')') return std::nullopt;
  Call c;
  c.name = text.substr(0, open);
  for (char ch : c.name)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return std::nullopt;
  c.args = splitArgs(text.substr(open + 1, close - open - 1));
  c.ret = text.substr(eq + 3);
  return c;
}

// Threads merged: "PID call(...", "PID <... call resumed>...)" joined, in completion order.
std::vector<Call> readCalls(const std::string& text) {
  std::vector<Call> out;
  std::map<std::string, std::string> pending;  // pid -> the start of an unfinished call
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::string pid;
    size_t i = 0;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9') pid += line[i++];
    while (i < line.size() && line[i] == ' ') ++i;
    std::string rest = line.substr(i);
    if (rest.rfind("+++", 0) == 0 || rest.rfind("---", 0) == 0) continue;
    auto unf = rest.find(" <unfinished ...>");
    if (unf != std::string::npos) {
      pending[pid] = rest.substr(0, unf);
      continue;
    }
    if (rest.rfind("<... ", 0) == 0) {
      auto close = rest.find("resumed>");
      if (close == std::string::npos) continue;
      std::string head = pending[pid];
      pending.erase(pid);
      std::string tail = rest.substr(close + 8);
      // "epoll_pwait(4, " + "[...], 128, -1) = 1"
      if (!head.empty() && head.back() != '(' && head.back() != ' ' && !tail.empty() && tail.front() != ',')
        head += ", ";
      rest = head + tail;
    }
    if (auto c = parseCall(rest)) out.push_back(std::move(*c));
  }
  return out;
}

int fdOf(const std::string& s) {
  if (s.empty() || s[0] < '0' || s[0] > '9') return -1;
  return std::stoi(s);
}

// "-1 EAGAIN (Resource ...)" -> "EAGAIN"; "5" -> 5.
std::string errName(const std::string& ret) {
  if (ret.rfind("-1 ", 0) != 0) return "";
  auto sp = ret.find(' ', 3);
  return ret.substr(3, sp == std::string::npos ? std::string::npos : sp - 3);
}
long retValue(const std::string& ret) {
  try {
    return std::stol(ret);
  } catch (...) {
    return -1;
  }
}

// ---- 2. fd lifetimes and their roles -----------------------------------------------------
const std::set<std::string> kFdCalls = {
    "bind",        "listen",   "accept", "accept4",   "connect",    "getsockopt",  "setsockopt",  "getsockname",
    "getpeername", "shutdown", "close",  "read",      "write",      "recvfrom",    "sendto",      "recvmsg",
    "sendmsg",     "readv",    "writev", "epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2"};

struct Lifetimes {
  std::vector<std::string> role;           // per lifetime; "" = not ours (dropped)
  std::vector<std::vector<int>> fdAtCall;  // per call: the lifetime of each fd argument (-1 none)
  std::vector<int> created;                // per call: the lifetime it created (-1 none)
  std::vector<int> created2;               // pipe2's write end
};

Lifetimes assignRoles(const std::vector<Call>& calls) {
  Lifetimes lt;
  std::map<int, int> live;  // fd -> lifetime
  int listeners = 0, dialled = 0, accepted = 0;
  auto born = [&](int fd, const std::string& role) {
    lt.role.push_back(role);
    live[fd] = static_cast<int>(lt.role.size()) - 1;
    return live[fd];
  };
  auto lifetime = [&](const std::string& arg) {
    int fd = fdOf(arg);
    auto it = live.find(fd);
    return it == live.end() ? -1 : it->second;
  };
  for (const Call& c : calls) {
    std::vector<int> fds(c.args.size(), -1);
    int made = -1, made2 = -1;
    long r = retValue(c.ret);
    if (kFdCalls.count(c.name) && !c.args.empty()) fds[0] = lifetime(c.args[0]);
    if (c.name == "epoll_ctl" && c.args.size() > 2) fds[2] = lifetime(c.args[2]);
    if (c.name == "socket" && r >= 0) made = born(static_cast<int>(r), "socket?");
    if (c.name == "epoll_create1" && r >= 0) made = born(static_cast<int>(r), "epfd");
    if (c.name == "eventfd2" && r >= 0) made = born(static_cast<int>(r), "wake?");
    if (c.name == "pipe2" && r == 0 && !c.args.empty()) {
      // "[5, 6]"
      auto ends = splitArgs(c.args[0].substr(1, c.args[0].size() - 2));
      if (ends.size() == 2) {
        made = born(fdOf(ends[0]), "wake?");
        made2 = born(fdOf(ends[1]), "wake.w?");
      }
    }
    if ((c.name == "accept4" || c.name == "accept") && r >= 0 && fds[0] >= 0)
      made = born(static_cast<int>(r), fmt::format("A{}", ++accepted));
    if (c.name == "listen" && fds[0] >= 0 && lt.role[fds[0]] == "socket?")
      lt.role[fds[0]] = fmt::format("L{}", ++listeners);
    if (c.name == "connect" && fds[0] >= 0 && lt.role[fds[0]] == "socket?")
      lt.role[fds[0]] = fmt::format("D{}", ++dialled);
    // A wakeup fd is the poller's only once it is registered with epoll.
    if (c.name == "epoll_ctl" && fds[2] >= 0 && lt.role[fds[2]] == "wake?") {
      lt.role[fds[2]] = "wake";
      if (lt.role.size() > static_cast<size_t>(fds[2] + 1) && lt.role[fds[2] + 1] == "wake.w?")
        lt.role[fds[2] + 1] = "wake";
    }
    if (c.name == "close" && fds[0] >= 0) live.erase(fdOf(c.args[0]));
    lt.fdAtCall.push_back(fds);
    lt.created.push_back(made);
    lt.created2.push_back(made2);
  }
  for (auto& r : lt.role)
    if (r == "socket?")
      r = "S";  // a socket that neither listened nor connected
    else if (r.back() == '?')
      r = "";
  return lt;
}

// ---- 3. one call -> one line ---------------------------------------------------------------
std::string result(const Call& c, bool bytes) {
  std::string e = errName(c.ret);
  if (!e.empty()) return e;
  if (bytes) return retValue(c.ret) > 0 ? "n" : "0";
  return c.ret.substr(0, c.ret.find(' '));
}

std::string arg(const Call& c, size_t i) {
  return i < c.args.size() ? c.args[i] : "?";
}

std::optional<std::string> normalize(const Call& c, const Lifetimes& lt, size_t at) {
  const auto& fds = lt.fdAtCall[at];
  auto role = [&](size_t i) { return fds[i] >= 0 ? lt.role[static_cast<size_t>(fds[i])] : std::string(); };
  int made = lt.created[at];
  std::string madeRole = made >= 0 ? lt.role[static_cast<size_t>(made)] : "";
  const std::string& n = c.name;
  if (n == "socket") {
    if (madeRole.empty()) return std::nullopt;
    return fmt::format("socket({}, {}) = {}", arg(c, 0), arg(c, 1), madeRole);
  }
  if (n == "epoll_create1") return fmt::format("epoll_create1() = epfd");
  if (n == "eventfd2" || n == "pipe2") {
    if (madeRole.empty()) return std::nullopt;
    return fmt::format("{}() = wake", n);
  }
  if (!kFdCalls.count(n) || fds.empty() || fds[0] < 0 || role(0).empty()) return std::nullopt;
  std::string fd = role(0);
  if (n == "epoll_ctl") {
    std::string op = arg(c, 1);
    if (op.rfind("EPOLL_CTL_", 0) == 0) op = op.substr(10);
    std::string ev = arg(c, 3);
    auto a = ev.find("events="), b = ev.find(", data");
    ev = a == std::string::npos ? "" : ", " + ev.substr(a + 7, b == std::string::npos ? std::string::npos : b - a - 7);
    if (role(2).empty()) return std::nullopt;  // a file the runtime tried to poll, not a socket of the story
    return fmt::format("epoll_ctl({}, {}{}) = {}", op, role(2), ev, result(c, false));
  }
  if (n == "epoll_wait" || n == "epoll_pwait" || n == "epoll_pwait2") {
    std::string t = arg(c, 3);
    std::string timeout = t == "-1" ? "-1" : t == "0" ? "0" : t == "NULL" ? "-1" : ">0";
    return fmt::format("epoll_wait(timeout {}) = {}", timeout, result(c, false));
  }
  if (n == "read" || n == "recvfrom" || n == "recvmsg" || n == "readv")
    return fmt::format("read({}) = {}", fd, result(c, true));
  if (n == "write" || n == "sendto" || n == "sendmsg" || n == "writev")
    return fmt::format("write({}) = {}", fd, result(c, true));
  if (n == "setsockopt" || n == "getsockopt")
    return fmt::format("{}({}, {}, {}) = {}", n, fd, arg(c, 1), arg(c, 2), result(c, false));
  if (n == "shutdown") return fmt::format("shutdown({}, {}) = {}", fd, arg(c, 1), result(c, false));
  if (n == "accept" || n == "accept4") {
    std::string r = errName(c.ret);
    return fmt::format("accept4({}) = {}", fd, r.empty() ? madeRole : r);
  }
  return fmt::format("{}({}) = {}", n, fd, result(c, false));
}
}  // namespace

std::vector<SyscallLine> normalizeStrace(const std::string& text) {
  auto calls = readCalls(text);
  auto lt = assignRoles(calls);
  std::vector<SyscallLine> out;
  for (size_t i = 0; i < calls.size(); ++i) {
    auto line = normalize(calls[i], lt, i);
    if (!line) continue;
    if (!out.empty() && out.back().text == *line)
      out.back().count++;
    else
      out.push_back({*line, 1});
  }
  return out;
}

}  // namespace pollscope::gosource
