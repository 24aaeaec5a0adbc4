#include "traceio/trace_model.hpp"

namespace pollscope::traceio {

const trace::Site* TraceModel::internSite(const std::string& file, int line, const std::string& goFunc,
                                          const std::string& cppFunc) {
  const char* f = ownedStrings_.emplace_back(file).c_str();
  const char* g = ownedStrings_.emplace_back(goFunc).c_str();
  const char* c = ownedStrings_.emplace_back(cppFunc).c_str();
  return &ownedSites_.emplace_back(trace::Site{f, line, g, c});
}

}  // namespace pollscope::traceio
