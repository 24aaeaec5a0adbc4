// Opening a trace without freezing the window: the file is parsed, replayed and
// laid out on a background thread that reports its progress and can be cancelled.
// Where there are no threads (the web page is built without them) the same work
// runs in the constructor instead, and the loader is done when it returns.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "model/replay.hpp"
#include "model/sequence_layout.hpp"
#include "traceio/trace_model.hpp"

namespace pollscope::viz {

// A trace with everything the views derive from it.
struct Document {
  std::unique_ptr<traceio::TraceModel> trace;
  std::unique_ptr<Replay> replay;
  std::unique_ptr<SequenceLayout> sequence;
};

// Builds the replay and the sequence layout of a trace (the slow part after parsing).
Document prepareDocument(std::unique_ptr<traceio::TraceModel> trace);

class TraceLoader {
 public:
  enum class On { backgroundThread, callingThread };
  explicit TraceLoader(std::string path, On on = On::backgroundThread);
  ~TraceLoader();  // cancels and waits
  TraceLoader(const TraceLoader&) = delete;
  TraceLoader& operator=(const TraceLoader&) = delete;

  const std::string& path() const { return path_; }
  float progress() const { return progress_.load(std::memory_order_relaxed); }  // 0..1
  std::string stage() const;                                                    // "reading", "laying out"
  void cancel() { cancel_.store(true); }
  bool done() const { return done_.load(std::memory_order_acquire); }
  // Once done(): the document, or an empty one and the reason (also "cancelled").
  Document takeDocument() { return std::move(doc_); }
  const std::string& error() const { return error_; }

 private:
  void run();  // parse, then prepare the document
  void setStage(const char* s);
  std::string path_;
  std::atomic<float> progress_{0};
  std::atomic<bool> cancel_{false};
  std::atomic<bool> done_{false};
  mutable std::mutex stageMu_;
  std::string stage_ = "reading";
  Document doc_;
  std::string error_;
  std::thread thread_;
};

}  // namespace pollscope::viz
