// The run's watchdog (see watchdog.hpp): on timeout it prints the last events,
// which say where the runtime is stuck, asks the run to end, and if it does not,
// hands over the partial trace and ends the process.
#include "scenario/watchdog.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "trace/fields.hpp"

namespace pollscope::scenario::runner {

Watchdog::Watchdog(int64_t ms, std::string name, const trace::Recorder* rec,
                   std::function<void(const std::string&)> interrupt, std::function<void(const std::string&)> stuck) {
  if (ms <= 0) return;
  thread_ = std::thread([this, ms, name, rec, interrupt = std::move(interrupt), stuck = std::move(stuck)] {
    std::unique_lock lk(mu_);
    if (cv_.wait_for(lk, std::chrono::milliseconds(ms), [this] { return done_; })) return;
    std::string why = fmt::format("scenario \"{}\" did not finish within its {} ms watchdog (settings.timeout_ms)",
                                  name, static_cast<long long>(ms));
    std::fprintf(stderr, "pollscope: %s\n", why.c_str());
    // What the runtime did last says where it is stuck.
    auto events = rec->collect();
    size_t from = events.size() > 25 ? events.size() - 25 : 0;
    if (events.empty())
      std::fprintf(stderr, "pollscope: no event was recorded before the watchdog fired\n");
    else
      std::fprintf(stderr, "pollscope: the last %zu of %zu events:\n", events.size() - from, events.size());
    for (size_t i = from; i < events.size(); ++i) {
      const auto& e = events[i];
      std::string line = fmt::format("  #{} M{} G{} {}", e.seq, e.m, e.g, trace::kindSpec(e.kind).name);
      for (trace::FieldValue f : trace::fieldsOf(e))
        line += fmt::format(" {}={}", f.spec.name, trace::formatValue(f.spec.type, f.raw));
      std::fprintf(stderr, "%s\n", line.c_str());
    }
    fired_.store(true);
    interrupt(why);
    if (cv_.wait_for(lk, std::chrono::milliseconds(kGraceMs), [this] { return done_; })) return;
    std::fprintf(stderr, "pollscope: the run did not end %lld ms after the watchdog asked it to; exiting\n",
                 static_cast<long long>(kGraceMs));
    stuck(why);
    std::_Exit(3);
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
