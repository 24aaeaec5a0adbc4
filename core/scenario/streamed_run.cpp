#include "scenario/streamed_run.hpp"

#include "trace/fields.hpp"

namespace pollscope::scenario::runner {

StreamedRun::StreamedRun(trace::Recorder& rec, traceio::TraceStream& out) : out_(out), pump_(rec, *this) {}

bool StreamedRun::write(const trace::Event* events, size_t n) {
  if (mainDone_) return true;  // the program has ended: dropped, recording may go on
  for (size_t i = 0; i < n; ++i) {
    const trace::Event& e = events[i];
    if (auto c = trace::as<trace::Kind::gCreate>(e)) created_.push_back(c->goid());
    if (auto st = trace::as<trace::Kind::gStatus>(e); st && st->goid() == 1 && st->to() == trace::GStatus::Gdead) {
      mainDone_ = true;
      return out_.write(events, i + 1);
    }
  }
  return out_.write(events, n);
}

bool StreamedRun::end(const std::function<std::string(int64_t)>& nameOf, const std::string& partial,
                      std::string* error) {
  pump_.finish();  // after this the pump's thread is gone and created_ no longer changes
  std::map<int64_t, std::string> names;
  for (int64_t g : created_) names[g] = nameOf(g);
  return out_.end(names, partial, error);
}

}  // namespace pollscope::scenario::runner
