// Blocking order from both runtimes' traces, and the side-by-side alignment.
#include "gosource/blocking_order.hpp"

#include <map>
#include <set>
#include <sstream>

#include "trace/fields.hpp"

namespace pollscope::gosource {

std::vector<std::string> engineBlockingOrder(const traceio::TraceModel& t) {
  auto nameOf = [&](int64_t g) {
    auto it = t.goroutines.find(g);
    return it == t.goroutines.end() ? "g" + std::to_string(g) : it->second;
  };
  std::vector<std::string> out;
  std::set<int64_t> inNet;
  for (const auto& e : t.events) {
    auto s = trace::as<trace::Kind::gStatus>(e);
    if (!s) continue;
    if (s->to() == trace::GStatus::Gwaiting && s->reason() == trace::WaitReason::ioWait) {
      inNet.insert(s->goid());
      out.push_back(nameOf(s->goid()) + " blocks");
    } else if (s->from() == trace::GStatus::Gwaiting && inNet.erase(s->goid())) {
      out.push_back(nameOf(s->goid()) + " returns");
    }
  }
  return out;
}

std::vector<GoBlockEvent> goBlockingOrder(const std::string& dump) {
  // "18024027 GoBlockNet p=1 g=7 off=372", "18181615 GoUnblock p=1000002 g=0 off=383 g=7 seq=0",
  // "17969370 UserLog p=1 g=7 off=355 id=0 keyid=5 category=pollscope.goroutine message=server",
  // "46907425 GCStart p=1000004 g=0 off=722 seq=0", "58767656 GCDone p=0 g=0 off=823"
  std::map<std::string, std::string> names = {{"1", "main"}};
  struct Raw {
    std::string g, what, cause;
  };
  std::vector<Raw> events;
  std::set<std::string> inNet;
  bool inGC = false;
  std::string pending;  // a preemption or a P retaken since the last blocking event
  std::istringstream in(dump);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string ts, type, word, p, g, target, seq, category, message;
    if (!(ls >> ts >> type)) continue;
    while (ls >> word) {
      if (word.rfind("p=", 0) == 0) p = word.substr(2);
      if (word.rfind("g=", 0) == 0) (g.empty() ? g : target) = word.substr(2);
      if (word.rfind("seq=", 0) == 0) seq = word.substr(4);
      if (word.rfind("category=", 0) == 0) category = word.substr(9);
      if (word.rfind("message=", 0) == 0) message = word.substr(8);
    }
    if (type == "GoPreempt") pending = "preempt";
    if (type == "GoSysBlock") pending = "retake";
    if (type == "GCStart") inGC = true;
    if (type == "GCDone") inGC = false;
    if (type == "UserLog" && category == "pollscope.goroutine") names[g] = message;
    std::string cause = inGC ? "gc" : pending;
    if (type == "GoBlockNet") {
      inNet.insert(g);
      events.push_back({g, "blocks", cause});
      pending.clear();
    }
    if (type == "GoUnblock" && inNet.erase(target)) {
      if (g == "0" && !seq.empty() && seq != "0") cause = "sysmon";
      events.push_back({target, "returns", cause});
      pending.clear();
    }
  }
  std::vector<GoBlockEvent> out;
  for (const auto& e : events) out.push_back({(names.count(e.g) ? names[e.g] : "g" + e.g) + " " + e.what, e.cause});
  return out;
}

std::vector<std::pair<int, int>> align(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> l(n + 1, std::vector<int>(m + 1, 0));  // LCS length of a[i..], b[j..]
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;) l[i][j] = a[i] == b[j] ? l[i + 1][j + 1] + 1 : std::max(l[i + 1][j], l[i][j + 1]);
  std::vector<std::pair<int, int>> rows;
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      rows.push_back({static_cast<int>(i++), static_cast<int>(j++)});
    } else if (j < m && (i == n || l[i][j + 1] >= l[i + 1][j])) {
      rows.push_back({-1, static_cast<int>(j++)});
    } else {
      rows.push_back({static_cast<int>(i++), -1});
    }
  }
  return rows;
}

}  // namespace pollscope::gosource
