// The names of every goroutine an engine ever started, for the trace's
// `goroutines` table (a recording asks for the name of each g_create it kept).
//
// Why not a map from goid to string: a server starts a goroutine per connection
// for as long as it runs, and a map node with its string cost ~65 bytes each:
// under connection churn (thousands a minute) resident memory grew by about a MB
// a minute. Goroutine ids are dense (newproc1 hands them out in order from 1) and
// a server's goroutines share a handful of names ("handler"), so this keeps each
// distinct name once and 4 bytes per goroutine: its name's index.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace pollscope::rt {

class GoroutineNames {
 public:
  // Records goid's name. Not thread-safe: the engine calls it under allgMu.
  void set(int64_t goid, const std::string& name);
  // The name set for goid, or "" for a goid never set.
  std::string get(int64_t goid) const;
  size_t distinctNames() const { return names_.size(); }

 private:
  std::vector<std::string> names_;                   // each distinct name once
  std::unordered_map<std::string, uint32_t> index_;  // name -> its index in names_
  std::vector<uint32_t> byGoid_;                     // goid -> index + 1 (0: none)
};

}  // namespace pollscope::rt
