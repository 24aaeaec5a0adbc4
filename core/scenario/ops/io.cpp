// Op handlers that move bytes: read, read_all, write, echo.
#include <fmt/format.h>

#include "scenario/ops/ops.hpp"

namespace pollscope::scenario::runner {
namespace {
std::string printable(const std::string& s) {
  std::string out;
  for (char c : s.substr(0, 60)) out += (c >= 32 && c < 127) ? c : '.';
  return s.size() > 60 ? out + "..." : out;
}
}  // namespace

bool opRead(StepRunner& r, const Step& s, OpOutcome& out) {
  auto c = r.needConn(s, s.target);
  if (!c) return false;
  if (s.race != Race::none) {
    auto peer = r.needConn(s, s.peer);
    if (!peer) return false;
    std::lock_guard lk(r.world().hookMu);
    r.world().races.push_back({c->pollFD().pd(), s.race, peer->fd(), s.data});
  }
  std::string buf(static_cast<size_t>(s.size), '\0');
  size_t got = 0;
  out.err = c->read(buf.data(), buf.size(), &got);
  buf.resize(got);
  r.lastRead() = buf;
  out.bytes = static_cast<int64_t>(got);
  if (s.expectData && !out.err && buf != *s.expectData)
    return r.fail(s, fmt::format("expected to read \"{}\", got \"{}\"", printable(*s.expectData), printable(buf)));
  return true;
}

bool opReadAll(StepRunner& r, const Step& s, OpOutcome& out) {
  // io.ReadAll: read until EOF (EOF itself is success).
  auto c = r.needConn(s, s.target);
  if (!c) return false;
  std::string buf(static_cast<size_t>(s.size), '\0');
  out.bytes = 0;
  for (;;) {
    size_t got = 0;
    out.err = c->read(buf.data(), buf.size(), &got);
    out.bytes += static_cast<int64_t>(got);
    if (out.err) break;
  }
  if (out.err.kind == trace::NetErr::eof) out.err = {};
  return true;
}

bool opWrite(StepRunner& r, const Step& s, OpOutcome& out) {
  auto c = r.needConn(s, s.target);
  if (!c) return false;
  const std::string& unit = s.data == "$last" ? r.lastRead() : s.data;
  std::string payload;
  payload.reserve(unit.size() * static_cast<size_t>(s.repeat));
  for (int64_t i = 0; i < s.repeat; ++i) payload += unit;
  size_t wrote = 0;
  out.err = c->write(payload.data(), payload.size(), &wrote);
  out.bytes = static_cast<int64_t>(wrote);
  return true;
}

bool opEcho(StepRunner& r, const Step& s, OpOutcome& out) {
  // io.Copy(conn, conn): echo until the peer is done.
  auto c = r.needConn(s, s.target);
  if (!c) return false;
  std::string buf(static_cast<size_t>(s.size), '\0');
  out.bytes = 0;
  for (;;) {
    size_t got = 0, wrote = 0;
    out.err = c->read(buf.data(), buf.size(), &got);
    if (out.err) break;
    out.err = c->write(buf.data(), got, &wrote);
    out.bytes += static_cast<int64_t>(wrote);
    if (out.err) break;
  }
  if (out.err.kind == trace::NetErr::eof) out.err = {};
  c->close();
  return true;
}

}  // namespace pollscope::scenario::runner
