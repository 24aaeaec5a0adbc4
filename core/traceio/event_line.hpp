// One event's line of a JSON trace, formatted fast: the writer of a streamed run
// formats close to a million events a second on the engine's own core, so this
// appends straight into a reused byte buffer, with integers by std::to_chars and
// every key ("seq", "kind":"...", a field's name) taken from text built once per
// kind. The bytes are exactly those docs/trace-format.md describes (the golden
// traces pin them); tests/traceio/test_event_line.cpp checks every kind.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "trace/event.hpp"

namespace pollscope::traceio {

// A growable byte buffer that does not zero what it grows into (std::string's
// resize would, for every event).
class ByteBuffer {
 public:
  // Room for `n` more bytes: write them at the pointer returned, then commit().
  char* reserve(size_t n) {
    if (cap_ - size_ < n) grow(n);
    return data_.get() + size_;
  }
  void commit(const char* end) { size_ = static_cast<size_t>(end - data_.get()); }
  void append(std::string_view s) {
    char* p = reserve(s.size());
    s.copy(p, s.size());
    size_ += s.size();
  }
  void push(char c) {
    *reserve(1) = c;
    ++size_;
  }
  const char* data() const { return data_.get(); }
  size_t size() const { return size_; }
  std::string_view view() const { return {data_.get(), size_}; }
  void clear() { size_ = 0; }  // keeps the memory: the next batch reuses the same pages

 private:
  void grow(size_t n);
  std::unique_ptr<char[]> data_;
  size_t size_ = 0, cap_ = 0;
};

class EventLineFormatter {
 public:
  // Appends `e` as `,\n{...}` (or `\n{...}` for the trace's first event) with
  // "site":siteId.
  void append(ByteBuffer& out, const trace::Event& e, int siteId, bool first);

 private:
  void appendNameBeside(ByteBuffer& out, int type, int64_t v);
  // The readable names written beside OS numbers (EPOLLIN|EPOLLET, EAGAIN), quoted:
  // building them allocates, and a run repeats a handful of them millions of times.
  struct Key {
    int type;
    int64_t value;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const { return std::hash<int64_t>()(k.value) * 31 + static_cast<size_t>(k.type); }
  };
  std::unordered_map<Key, std::string, KeyHash> names_;
};

}  // namespace pollscope::traceio
