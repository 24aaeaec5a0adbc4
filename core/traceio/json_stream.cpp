// The JSON trace stream (trace_stream.hpp): JsonTraceWriter's output, gathered in
// one reused buffer and written to the file with write(2) after every drain or
// every kFlushBytes, so the file only ever grows by whole event lines. The event
// lines go straight into the buffer (event_line.hpp); only the header and the
// tables, once each, pass through an ostream.
#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstring>
#include <mutex>
#include <optional>
#include <sstream>

#include "traceio/json.hpp"
#include "traceio/trace_stream.hpp"

namespace pollscope::traceio {
namespace {

constexpr size_t kFlushBytes = size_t{1} << 20;
// Room kept under the cap for what end() writes after the events: the sites and
// goroutine tables (bounded per entry; a name longer than that is unlikely) and the note.
constexpr uint64_t kTailFixed = 4096, kTailPerSite = 256, kTailPerGoroutine = 96;

class JsonTraceStream : public TraceStream {
 public:
  JsonTraceStream(int fd, std::string path, uint64_t maxBytes) : fd_(fd), path_(std::move(path)), max_(maxBytes) {}
  ~JsonTraceStream() override {
    if (fd_ >= 0) ::close(fd_);
  }

  void begin(const TraceMeta& meta, const std::vector<StepInfo>& steps) override {
    std::lock_guard lk(mu_);
    writer_.emplace(text_, meta, steps);
    takeText();
    push();
  }

  bool write(const trace::Event* events, size_t n) override {
    std::lock_guard lk(mu_);
    if (!writer_ || ended_ || !stopNote_.empty()) return false;
    for (size_t i = 0; i < n; ++i) {
      uint64_t tail = kTailFixed + kTailPerSite * (writer_->siteCount() + 1) + kTailPerGoroutine * (goroutines_ + 1);
      if (max_ && written_ + pending() + kEventMax + tail > max_) {
        stopNote_ = fmt::format("the trace reached its size cap ({} bytes) after seq {}: nothing after it was recorded",
                                max_, count_ ? std::to_string(lastSeq_) : std::string("-"));
        return false;
      }
      writer_->event(events[i], buf_);
      if (events[i].kind == trace::Kind::gCreate) ++goroutines_;
      lastSeq_ = events[i].seq;
      ++count_;
    }
    if (pending() >= kFlushBytes) return push();
    return true;
  }

  void flush() override {
    std::lock_guard lk(mu_);
    if (writer_ && !ended_) push();
  }

  bool end(const std::map<int64_t, std::string>& goroutines, const std::string& partial, std::string* error) override {
    std::lock_guard lk(mu_);
    if (ended_ || !writer_) return ended_;
    ended_ = true;
    std::string note = stopNote_;
    if (!partial.empty()) note = note.empty() ? partial : note + "; " + partial;
    writer_->finish(goroutines, {}, note);
    takeText();
    // No fsync: readers see the file at once through the page cache, and flushing a
    // GB-sized trace to the disk would take seconds after a Ctrl-C for no reader's gain.
    bool ok = push();
    if (!ok && error) *error = fmt::format("{}: {}", path_, writeError_.empty() ? std::strerror(errno) : writeError_);
    return ok;
  }

  uint64_t eventsWritten() const override {
    std::lock_guard lk(mu_);
    return count_;
  }
  std::string stoppedEarly() const override {
    std::lock_guard lk(mu_);
    return stopNote_;
  }

 private:
  uint64_t pending() const { return buf_.size(); }

  // What the writer put in its ostream (the header, the tables) joins the events.
  // str(), not view(): the macOS cross build's libc++ has no ostringstream::view.
  void takeText() {
    buf_.append(text_.str());
    text_.str({});
  }

  // Writes what is buffered; a failure (a full disk) ends the events with a note.
  bool push() {
    size_t off = 0;
    while (off < buf_.size()) {
      ssize_t w = ::write(fd_, buf_.data() + off, buf_.size() - off);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        writeError_ = std::strerror(errno);
        if (stopNote_.empty())
          stopNote_ = fmt::format("writing the trace failed after seq {} ({}): nothing after it was recorded", lastSeq_,
                                  writeError_);
        buf_.clear();
        return false;
      }
      off += static_cast<size_t>(w);
    }
    written_ += buf_.size();
    buf_.clear();
    return true;
  }

  mutable std::mutex mu_;
  int fd_;
  std::string path_;
  uint64_t max_;
  ByteBuffer buf_;
  std::ostringstream text_;
  std::optional<JsonTraceWriter> writer_;
  uint64_t written_ = 0, count_ = 0, lastSeq_ = 0, goroutines_ = 0;
  static constexpr uint64_t kEventMax = 1024;  // more than any one event line takes
  bool ended_ = false;
  std::string stopNote_, writeError_;
};

}  // namespace

std::unique_ptr<TraceStream> openJsonTraceStream(const std::string& path, uint64_t maxBytes, std::string* error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (error) *error = fmt::format("{}: cannot create file: {}", path, std::strerror(errno));
    return nullptr;
  }
  return std::make_unique<JsonTraceStream>(fd, path, maxBytes);
}

}  // namespace pollscope::traceio
