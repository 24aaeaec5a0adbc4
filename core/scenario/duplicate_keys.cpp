// A parser callback that tracks where it is (object keys, array indices) so the
// first repeated key can be named by its JSON path.
#include "scenario/duplicate_keys.hpp"

#include <set>
#include <vector>

namespace pollscope::scenario {
namespace {
using json = nlohmann::json;

struct Frame {
  bool array = false;
  size_t index = 0;  // arrays: the element being parsed
  std::string key;   // objects: the member being parsed
  std::set<std::string> keys;
};

std::string pathOf(const std::vector<Frame>& frames) {
  std::string out;
  for (const auto& f : frames) {
    if (f.array) {
      out += "[" + std::to_string(f.index) + "]";
    } else if (!f.key.empty()) {
      if (!out.empty()) out += ".";
      out += f.key;
    }
  }
  return out;
}

void elementDone(std::vector<Frame>& frames) {
  if (!frames.empty() && frames.back().array) ++frames.back().index;
}
}  // namespace

json parseRejectingDuplicates(const std::string& text, std::optional<std::string>* duplicatePath) {
  std::vector<Frame> frames;
  duplicatePath->reset();
  json::parser_callback_t cb = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start: frames.push_back(Frame{}); break;
      case json::parse_event_t::array_start:
        frames.emplace_back();
        frames.back().array = true;
        break;
      case json::parse_event_t::key: {
        Frame& f = frames.back();
        f.key = parsed.get<std::string>();
        if (!f.keys.insert(f.key).second && !*duplicatePath) *duplicatePath = pathOf(frames);
        break;
      }
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        frames.pop_back();
        elementDone(frames);
        break;
      case json::parse_event_t::value: elementDone(frames); break;
    }
    return true;
  };
  return json::parse(text, cb);
}

}  // namespace pollscope::scenario
