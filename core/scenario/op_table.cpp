// The scenario op table (see op_table.hpp). Rows are in `Op` order.
//
// Sections: 1. fields shared by several ops  2. rules between fields  3. the table
#include "scenario/op_table.hpp"

#include <algorithm>

#include "scenario/ops/ops.hpp"

namespace pollscope::scenario {
namespace {
using K = FieldKind;
constexpr int64_t kMiB = 1 << 20;
constexpr int64_t kHour = 3600000;  // ms

// ---- 1. fields shared by several ops ----------------------------------------------------
constexpr const char* kNetworks[] = {"tcp", "tcp4", "tcp6", "unix"};
constexpr const char* kRaces[] = {"data_before_park", "event_while_wait"};
constexpr const char* kModes[] = {"r", "w"};
constexpr const char* kErrKinds[] = {"ok", "eof", "timeout", "closed", "refused", "reset", "broken_pipe", "any"};

constexpr OpField on{.name = "on",
                     .kind = K::name,
                     .required = true,
                     .set = [](Step& s, const FieldValue& v) { s.target = v.text; },
                     .doc = "the connection or listener the step works on"};
constexpr OpField as{.name = "as",
                     .kind = K::name,
                     .required = true,
                     .set = [](Step& s, const FieldValue& v) { s.as = v.text; },
                     .doc = "the name given to the socket the step creates"};
constexpr OpField network{.name = "network",
                          .kind = K::choice,
                          .defaultText = "tcp",
                          .choices = kNetworks,
                          .set = [](Step& s, const FieldValue& v) { s.network = v.text; },
                          .doc = "the address family"};
constexpr OpField sizeField(int64_t def) {
  return {.name = "size",
          .kind = K::integer,
          .lo = 1,
          .hi = 64 * kMiB,
          .defaultNumber = def,
          .set = [](Step& s, const FieldValue& v) { s.size = v.number; },
          .doc = "bytes per read"};
}
// rg or wg of a socket (wait_parked, spin until readied).
constexpr OpField modeField(const char* doc) {
  return {.name = "mode",
          .kind = K::choice,
          .defaultText = "r",
          .choices = kModes,
          .badChoice = "\"mode\" must be \"r\" or \"w\"",
          .set = [](Step& s, const FieldValue& v) { s.mode = v.text[0]; },
          .doc = doc};
}
constexpr OpField expectBytes(int64_t hi) {
  return {.name = "expect_bytes",
          .kind = K::integer,
          .lo = 0,
          .hi = hi,
          .set = [](Step& s, const FieldValue& v) { s.expectBytes = v.number; },
          .doc = "the exact number of bytes moved"};
}
constexpr OpField ms{.name = "ms",
                     .kind = K::integer,
                     .required = true,
                     .lo = 0,
                     .hi = 60000,
                     .set = [](Step& s, const FieldValue& v) { s.ms = v.number; },
                     .doc = "milliseconds"};
constexpr OpField steps{.name = "steps", .kind = K::steps, .required = true, .doc = "the nested steps"};

// ---- 2. rules between fields -------------------------------------------------------------
std::string listenAddrDefault(Step& s, const std::set<std::string>& given) {
  if (!given.count("addr") && s.network != "unix") s.addr = "127.0.0.1:0";
  return {};
}

std::string raceNeedsPeerAndData(Step& s, const std::set<std::string>& given) {
  if (s.race == Race::none)
    return given.count("peer") || given.count("data") ? "\"peer\" and \"data\" go with \"race\"" : "";
  if (!given.count("peer")) return "missing \"peer\"";
  if (!given.count("data")) return "missing \"data\"";
  if (s.data.empty()) return "\"data\" must not be empty";
  return {};
}

// A loop says how long it runs: `times`, or `forever` (a server's accept loop,
// which only a stop signal or the watchdog ends).
std::string timesOrForever(Step& s, const std::set<std::string>& given) {
  if (given.count("times") && s.forever) return "give \"times\" or \"forever\", not both";
  if (!given.count("times") && !s.forever) return "missing \"times\" (or \"forever\": true)";
  return {};
}

std::string payloadAtMost256MiB(Step& s, const std::set<std::string>&) {
  if (s.repeat * static_cast<int64_t>(std::max<size_t>(s.data.size(), 1)) > 256 * kMiB)
    return "the payload (data x repeat) must be at most 256 MiB";
  return {};
}

// `until: readied` watches the goroutine parked on a socket: it needs `on`.
std::string spinUntilNeedsOn(Step& s, const std::set<std::string>& given) {
  if (s.spinUntil == "readied" && !given.count("on")) return "\"until\": \"readied\" needs \"on\"";
  if (s.spinUntil != "readied" && (given.count("on") || given.count("mode")))
    return "\"on\" and \"mode\" go with \"until\": \"readied\"";
  return {};
}

std::string someOption(Step& s, const std::set<std::string>&) {
  if (!s.sndbuf && !s.rcvbuf && !s.linger0) return "set_option needs \"sndbuf\", \"rcvbuf\" or \"linger0\"";
  return {};
}

std::string dataWithWriteOn(Step& s, const std::set<std::string>& given) {
  if (!s.peer.empty() && !given.count("data")) return "missing \"data\"";
  return {};
}

// move_after_fire: the step waits (parked) for its deadline's timer to fire, so the
// deadline must be one that a timer fires: in the future, not cleared.
std::string moveNeedsAFiringDeadline(Step& s, const std::set<std::string>&) {
  if (s.moveAfterFireMs && (s.clearDeadline || s.ms <= 0))
    return "\"move_after_fire_ms\" needs a deadline in the future (\"ms\" > 0): the step waits for its timer to fire";
  return {};
}

// ---- 3. the table ------------------------------------------------------------------------
constexpr OpField kCommon[] = {
    {.name = "say",
     .kind = K::narration,
     .set =
         [](Step& s, const FieldValue& v) {
           s.narration = {v.text, v.zh};
         },
     .doc = "narration shown when the step starts"},
    {.name = "label",
     .kind = K::name,
     .set = [](Step& s, const FieldValue& v) { s.label = v.text; },
     .doc = "a name other goroutines can wait_step for"},
    {.name = "expect_error",
     .kind = K::choice,
     .defaultText = "ok",
     .choices = kErrKinds,
     .badChoice = "unknown \"expect_error\" \"{}\"",
     .set = [](Step& s, const FieldValue& v) { s.expectErr = v.text; },
     .doc = "the error the step must end with"},
};

constexpr OpField kListen[] = {
    as,
    {.name = "addr",
     .kind = K::text,
     .set = [](Step& s, const FieldValue& v) { s.addr = v.text; },
     .doc = "where to listen (default 127.0.0.1:0; unix: a path, @name, or empty for a fresh abstract name)"},
    network};
constexpr OpField kAccept[] = {as, on};
constexpr OpField kDial[] = {as,
                             {.name = "addr",
                              .kind = K::text,
                              .required = true,
                              .set = [](Step& s, const FieldValue& v) { s.addr = v.text; },
                              .doc = "@name of a listener, or an address"},
                             network};
constexpr OpField kRead[] = {on,
                             sizeField(4096),
                             {.name = "expect",
                              .kind = K::text,
                              .set = [](Step& s, const FieldValue& v) { s.expectData = v.text; },
                              .doc = "the exact data the read must return"},
                             expectBytes(64 * kMiB),
                             {.name = "race",
                              .kind = K::choice,
                              .choices = kRaces,
                              .set =
                                  [](Step& s, const FieldValue& v) {
                                    s.race = v.text == "data_before_park" ? Race::dataBeforePark : Race::eventWhileWait;
                                  },
                              .doc = "force one of Go's races during this read"},
                             {.name = "peer",
                              .kind = K::name,
                              .set = [](Step& s, const FieldValue& v) { s.peer = v.text; },
                              .doc = "race: the connection whose bytes arrive at the forced moment"},
                             {.name = "data",
                              .kind = K::text,
                              .set = [](Step& s, const FieldValue& v) { s.data = v.text; },
                              .doc = "race: the bytes written to peer"}};
constexpr OpField kWrite[] = {on,
                              {.name = "data",
                               .kind = K::text,
                               .required = true,
                               .set = [](Step& s, const FieldValue& v) { s.data = v.text; },
                               .doc = "the bytes to write ($last: this goroutine's last read)"},
                              {.name = "repeat",
                               .kind = K::integer,
                               .lo = 1,
                               .hi = 1 << 28,
                               .defaultNumber = 1,
                               .set = [](Step& s, const FieldValue& v) { s.repeat = v.number; },
                               .doc = "write data this many times over, in one call"},
                              expectBytes(256 * kMiB)};
constexpr OpField kOn[] = {on};
constexpr OpField kMs[] = {ms};
constexpr OpField kDeadline[] = {on,
                                 {.name = "ms",
                                  .kind = K::msOrNull,
                                  .required = true,
                                  .lo = -kHour,
                                  .hi = kHour,
                                  .set =
                                      [](Step& s, const FieldValue& v) {
                                        s.clearDeadline = v.null;
                                        s.ms = v.number;
                                      },
                                  .doc = "the deadline, relative to now (negative: in the past; null clears it)"},
                                 {.name = "move_after_fire_ms",
                                  .kind = K::integer,
                                  .lo = -kHour,
                                  .hi = kHour,
                                  .set = [](Step& s, const FieldValue& v) { s.moveAfterFireMs = v.number; },
                                  .doc = "when the deadline fires, set it again this far from then"}};
constexpr OpField kSetOption[] = {on,
                                  {.name = "sndbuf",
                                   .kind = K::integer,
                                   .lo = 0,
                                   .hi = 64 * kMiB,
                                   .set = [](Step& s, const FieldValue& v) { s.sndbuf = static_cast<int>(v.number); },
                                   .doc = "SO_SNDBUF in bytes"},
                                  {.name = "rcvbuf",
                                   .kind = K::integer,
                                   .lo = 0,
                                   .hi = 64 * kMiB,
                                   .set = [](Step& s, const FieldValue& v) { s.rcvbuf = static_cast<int>(v.number); },
                                   .doc = "SO_RCVBUF in bytes"},
                                  {.name = "linger0",
                                   .kind = K::flag,
                                   .set = [](Step& s, const FieldValue& v) { s.linger0 = v.flag; },
                                   .doc = "SO_LINGER 0: close sends RST"}};
constexpr OpField kGo[] = {{.name = "name",
                            .kind = K::name,
                            .required = true,
                            .set = [](Step& s, const FieldValue& v) { s.goroutineName = v.text; },
                            .doc = "the new goroutine's name"},
                           {.name = "capture",
                            .kind = K::names,
                            .set = [](Step& s, const FieldValue& v) { s.capture = v.names; },
                            .doc = "names the new goroutine keeps as they are now"},
                           steps};
constexpr OpField kLoop[] = {{.name = "times",
                              .kind = K::integer,
                              .lo = 1,
                              .hi = 100000,
                              .set = [](Step& s, const FieldValue& v) { s.times = v.number; },
                              .doc = "how many times to run the steps"},
                             {.name = "forever",
                              .kind = K::flag,
                              .set = [](Step& s, const FieldValue& v) { s.forever = v.flag; },
                              .doc = "for { ... }: until the run stops (a server's accept loop)"},
                             steps};
constexpr OpField kWaitParked[] = {on, modeField("r: wait on rg, w: on wg")};
constexpr const char* kSpinUntil[] = {"ms", "poller_asleep", "readied"};
constexpr OpField kSpin[] = {
    ms,
    {.name = "until",
     .kind = K::choice,
     .defaultText = "ms",
     .choices = kSpinUntil,
     .set = [](Step& s, const FieldValue& v) { s.spinUntil = v.text; },
     .doc = "ms: spin `ms`; poller_asleep: stop as soon as an M sleeps in netpoll (lastpoll == 0); readied: stop "
            "as soon as the goroutine parked on `on`'s rg/wg has been readied. With either, `ms` is the longest "
            "it spins, so the scenario's timing holds on a slow machine"},
    {.name = "on",
     .kind = K::name,
     .set = [](Step& s, const FieldValue& v) { s.target = v.text; },
     .doc = "with until readied: the connection whose parked goroutine is watched"},
    modeField("with until readied: r watches rg, w watches wg")};
constexpr OpField kWaitStep[] = {{.name = "step",
                                  .kind = K::name,
                                  .required = true,
                                  .set = [](Step& s, const FieldValue& v) { s.target = v.text; },
                                  .doc = "the label of the step to wait for"}};
constexpr OpField kWaitEvents[] = {{.name = "count",
                                    .kind = K::integer,
                                    .required = true,
                                    .lo = 1,
                                    .hi = 10000000,
                                    .set = [](Step& s, const FieldValue& v) { s.count = v.number; },
                                    .doc = "how many events the recorder must hold"}};
constexpr OpField kCloseDuringPoll[] = {
    on,
    {.name = "reuse_as",
     .kind = K::name,
     .required = true,
     .set = [](Step& s, const FieldValue& v) { s.as = v.text; },
     .doc = "the name of the socket that takes the freed pollDesc (its other end: NAME.peer)"},
    // Optionally make the event to hold: written only once the injection is armed,
    // so no other M's netpoll can take it first.
    {.name = "write_on",
     .kind = K::name,
     .set = [](Step& s, const FieldValue& v) { s.peer = v.text; },
     .doc = "a connection written once the injection is armed, to make the event"},
    {.name = "data",
     .kind = K::text,
     .set = [](Step& s, const FieldValue& v) { s.data = v.text; },
     .doc = "write_on: the bytes written"}};
constexpr OpField kReadAll[] = {on, sizeField(65536), expectBytes(INT64_MAX)};
constexpr OpField kEcho[] = {on, sizeField(4096)};

using namespace runner;
constexpr OpSpec kOps[] = {
    {Op::listen, "listen", "net.Listen", kListen, opListen, listenAddrDefault},
    {Op::accept, "accept", "ln.Accept()", kAccept, opAccept},
    {Op::dial, "dial", "net.Dial", kDial, opDial},
    {Op::read, "read", "conn.Read(buf)", kRead, opRead, raceNeedsPeerAndData},
    {Op::write, "write", "conn.Write(data)", kWrite, opWrite, payloadAtMost256MiB},
    {Op::close, "close", "Close() a connection or a listener", kOn, opClose},
    {Op::closeWrite, "close_write", "CloseWrite(): shutdown(SHUT_WR)", kOn, opCloseWrite},
    {Op::sleep, "sleep", "time.Sleep", kMs, opSleep},
    {Op::setReadDeadline, "set_read_deadline", "SetReadDeadline(time.Now().Add(ms))", kDeadline, opSetDeadline,
     moveNeedsAFiringDeadline},
    {Op::setWriteDeadline, "set_write_deadline", "SetWriteDeadline(time.Now().Add(ms))", kDeadline, opSetDeadline,
     moveNeedsAFiringDeadline},
    {Op::setDeadline, "set_deadline", "SetDeadline(time.Now().Add(ms))", kDeadline, opSetDeadline,
     moveNeedsAFiringDeadline},
    {Op::setOption, "set_option", "SetWriteBuffer, SetReadBuffer, SetLinger(0)", kSetOption, opSetOption, someOption},
    {Op::go, "go", "go func() { ... }()", kGo, opGo},
    {Op::loop, "loop", "for i := 0; i < times; i++ { ... } (or for { ... })", kLoop, opLoop, timesOrForever},
    {Op::spin, "spin", "a CPU loop that keeps the P (no preemption in the engine)", kSpin, opSpin, spinUntilNeedsOn},
    {Op::waitParked, "wait_parked", "wait until a goroutine is parked on the socket's rg/wg", kWaitParked,
     opWaitParked},
    {Op::waitStep, "wait_step", "wait until the step with that label has finished", kWaitStep, opWaitStep},
    {Op::waitEvents, "wait_events", "wait until the recorder holds that many events", kWaitEvents, opWaitEvents},
    {Op::closeDuringPoll, "close_during_poll",
     "in the next netpoll that returns events: close the socket and reuse its pollDesc", kCloseDuringPoll,
     opCloseDuringPoll, dataWithWriteOn},
    {Op::readAll, "read_all", "io.ReadAll(conn) (EOF is success)", kReadAll, opReadAll},
    {Op::echo, "echo", "io.Copy(conn, conn), then Close", kEcho, opEcho},
};

// The table and the enum must agree: one row per op, row i for op i. Removing,
// adding or reordering a row without the enum (or the reverse) fails here.
consteval bool rowsMatchEnum() {
  if (std::size(kOps) != static_cast<size_t>(kOpCount)) return false;
  for (size_t i = 0; i < std::size(kOps); ++i)
    if (static_cast<size_t>(kOps[i].op) != i) return false;
  return true;
}
static_assert(rowsMatchEnum(), "the op table (op_table.cpp) and enum class Op (scenario.hpp) disagree");
}  // namespace

std::span<const OpSpec> opTable() {
  return kOps;
}

const OpSpec& opSpec(Op op) {
  return kOps[static_cast<size_t>(op)];
}

const OpSpec* findOp(const std::string& name) {
  for (const auto& spec : kOps)
    if (name == spec.name) return &spec;
  return nullptr;
}

std::span<const OpField> commonStepFields() {
  return kCommon;
}

const char* opName(Op op) {
  return opSpec(op).name;
}

}  // namespace pollscope::scenario
