#include "model/trace_loader.hpp"

#include <thread>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "traceio/json.hpp"

namespace pollscope::viz {

Document prepareDocument(std::unique_ptr<traceio::TraceModel> trace) {
  Document d;
#ifdef __EMSCRIPTEN__
  // The web page is built without threads.
  d.replay = std::make_unique<Replay>(*trace);
  d.sequence = std::make_unique<SequenceLayout>(*trace);
#else
  // The replay and the layout only read the trace: side by side, on two cores
  // they take the time of the longer of the two.
  // (std::thread, not std::jthread: macOS's libc++ has no jthread yet.)
  std::thread replay([&] { d.replay = std::make_unique<Replay>(*trace); });
  try {
    d.sequence = std::make_unique<SequenceLayout>(*trace);
  } catch (...) {
    replay.join();
    throw;
  }
  replay.join();
#endif
#ifdef __GLIBC__
  // Vectors that grew by doubling left their old buffers in malloc's free lists,
  // resident: give those pages back (1 byte per event at ten million events).
  malloc_trim(0);
#endif
  d.trace = std::move(trace);
  return d;
}

TraceLoader::TraceLoader(std::string path, On on) : path_(std::move(path)) {
  if (on == On::callingThread)
    run();
  else
    thread_ = std::thread([this] { run(); });
}

void TraceLoader::run() {
  auto t = std::make_unique<traceio::TraceModel>();
  traceio::ReadOptions opt;
  // Parsing is most of the work: it fills the bar to 80 %.
  opt.progress = [this](double f) {
    progress_.store(static_cast<float>(f) * 0.8f, std::memory_order_relaxed);
    return !cancel_.load(std::memory_order_relaxed);
  };
  std::string err;
  if (!traceio::readTraceFile(path_, t.get(), &err, opt)) {
    error_ = cancel_.load() ? "cancelled" : err;
  } else if (cancel_.load()) {
    error_ = "cancelled";
  } else {
    setStage("laying out");
    doc_ = prepareDocument(std::move(t));
    progress_.store(1.f);
  }
  done_.store(true, std::memory_order_release);
}

TraceLoader::~TraceLoader() {
  cancel();
  if (thread_.joinable()) thread_.join();
}

std::string TraceLoader::stage() const {
  std::lock_guard lk(stageMu_);
  return stage_;
}

void TraceLoader::setStage(const char* s) {
  std::lock_guard lk(stageMu_);
  stage_ = s;
}

}  // namespace pollscope::viz
