#include "runtime/goroutine_names.hpp"

namespace pollscope::rt {

void GoroutineNames::set(int64_t goid, const std::string& name) {
  if (goid < 0) return;  // ids start at 1; nothing records a negative one
  auto [it, added] = index_.try_emplace(name, static_cast<uint32_t>(names_.size()));
  if (added) names_.push_back(name);
  auto slot = static_cast<size_t>(goid);
  if (slot >= byGoid_.size()) byGoid_.resize(slot + 1, 0);
  byGoid_[slot] = it->second + 1;
}

std::string GoroutineNames::get(int64_t goid) const {
  if (goid < 0 || static_cast<size_t>(goid) >= byGoid_.size()) return {};
  uint32_t i = byGoid_[static_cast<size_t>(goid)];
  return i == 0 ? std::string() : names_[i - 1];
}

}  // namespace pollscope::rt
