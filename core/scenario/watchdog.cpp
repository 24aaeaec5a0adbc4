// The run's watchdog (see watchdog.hpp): on timeout it prints the last events,
// which say where the runtime is stuck, and ends the process.
#include "scenario/watchdog.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "trace/fields.hpp"

namespace pollscope::scenario::runner {

Watchdog::Watchdog(int64_t ms, std::string name, const trace::Recorder* rec) {
  if (ms <= 0) return;
  thread_ = std::thread([this, ms, name, rec] {
    std::unique_lock lk(mu_);
    if (!cv_.wait_for(lk, std::chrono::milliseconds(ms), [this] { return done_; })) {
      std::fprintf(stderr,
                   "pollscope: scenario \"%s\" did not finish within its %lld ms watchdog (settings.timeout_ms)\n",
                   name.c_str(), static_cast<long long>(ms));
      // What the runtime did last says where it is stuck.
      auto events = rec->collect();
      size_t from = events.size() > 25 ? events.size() - 25 : 0;
      std::fprintf(stderr, "pollscope: the last %zu events:\n", events.size() - from);
      for (size_t i = from; i < events.size(); ++i) {
        const auto& e = events[i];
        std::string line = fmt::format("  #{} M{} G{} {}", e.seq, e.m, e.g, trace::kindSpec(e.kind).name);
        for (trace::FieldValue f : trace::fieldsOf(e))
          line += fmt::format(" {}={}", f.spec.name, trace::formatValue(f.spec.type, f.raw));
        std::fprintf(stderr, "%s\n", line.c_str());
      }
      std::_Exit(3);
    }
  });
}

Watchdog::~Watchdog() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lk(mu_);
    done_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

}  // namespace pollscope::scenario::runner
