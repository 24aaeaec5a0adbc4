#include "model/label_fit.hpp"

#include <algorithm>

namespace pollscope::viz {

namespace {
// The byte length of the first `chars` UTF-8 characters of s.
size_t prefixBytes(std::string_view s, size_t chars) {
  size_t i = 0;
  for (size_t c = 0; i < s.size() && c < chars; ++c) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}
size_t charCount(std::string_view s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}
}  // namespace

FittedLabel fitLabel(std::string_view text, float room, const std::function<float(std::string_view)>& measure,
                     float minScale, size_t minChars) {
  FittedLabel out;
  if (text.empty() || room <= 0) return out;
  float w = measure(text);
  if (w <= room) {
    out.text = std::string(text);
    return out;
  }
  if (w * minScale <= room) {
    out.text = std::string(text);
    out.scale = room / w;
    return out;
  }
  // Cut short at the smallest readable size: the longest prefix that fits with "..".
  size_t lo = 0, hi = charCount(text);
  while (lo < hi) {  // largest n with measure(prefix(n) + "..") * minScale <= room
    size_t mid = (lo + hi + 1) / 2;
    std::string candidate = std::string(text.substr(0, prefixBytes(text, mid))) + "..";
    if (measure(candidate) * minScale <= room)
      lo = mid;
    else
      hi = mid - 1;
  }
  if (lo < minChars) return out;
  out.text = std::string(text.substr(0, prefixBytes(text, lo))) + "..";
  out.scale = minScale;
  out.cut = true;
  return out;
}

}  // namespace pollscope::viz
