// Vocabulary tables. Sections: 1. kind layouts  2. enum names  3. OS names  4. throws
#include "trace/vocabulary.hpp"

#include <array>
#include <cerrno>
#include <cstring>

#if defined(__linux__)
#include <sys/epoll.h>
#endif

namespace pollscope::trace {
namespace {
using F = FieldType;

// ---- 1. kind layouts (order must follow enum Kind) -----------------------
const KindSpec kSpecs[kKindCount] = {
    {"g_create", "sched", {{"goid", F::G}, {"parent", F::G}}},
    {"gstatus", "sched", {{"goid", F::G}, {"from", F::GStatus}, {"to", F::GStatus}, {"reason", F::WaitReason}}},
    {"park", "runtime", {{"pd", F::Pd}, {"fd", F::Fd}, {"mode", F::Mode}, {"result", F::ParkResult}}},
    {"sem",
     "runtime",
     {{"pd", F::Pd},
      {"fd", F::Fd},
      {"mode", F::Mode},
      {"from", F::SemState},
      {"to", F::SemState},
      {"by", F::SemBy},
      {"from_g", F::G},
      {"to_g", F::G}}},
    {"checkerr",
     "runtime",
     {{"pd", F::Pd}, {"fd", F::Fd}, {"mode", F::Mode}, {"code", F::PollErr}, {"info", F::InfoBits}}},
    {"publish_info", "runtime", {{"pd", F::Pd}, {"fd", F::Fd}, {"info", F::InfoBits}}},
    {"set_event_err",
     "runtime",
     {{"pd", F::Pd}, {"fd", F::Fd}, {"value", F::Bool}, {"tag", F::Int}, {"applied", F::Bool}}},
    {"poll_enter", "runtime", {{"caller", F::PollSite}, {"delay_ns", F::Duration}, {"timeout_ms", F::Int}}},
    {"poll_exit",
     "runtime",
     {{"caller", F::PollSite}, {"n_events", F::Int}, {"n_g", F::Int}, {"delta", F::Int}, {"eintr", F::Bool}}},
    {"poll_event",
     "kernel",
     {{"fd", F::Fd},
      {"pd", F::Pd},
      {"mask", F::EpollMask},
      {"mode", F::Mode},
      {"tag", F::Int},
      {"pd_fdseq", F::Int},
      {"action", F::PollAction}}},
    {"netpoll_ready",
     "runtime",
     {{"pd", F::Pd}, {"fd", F::Fd}, {"mode", F::Mode}, {"rg_g", F::G}, {"wg_g", F::G}, {"delta", F::Int}}},
    {"waiters", "runtime", {{"delta", F::Int}, {"value", F::Int}}},
    {"inject", "sched", {{"n", F::Int}, {"to_global", F::Int}, {"to_local", F::Int}, {"ms_started", F::Int}}},
    {"break", "runtime", {{"deduped", F::Bool}}},
    {"break_consume", "runtime", {{"blocking", F::Bool}, {"drained", F::Bool}}},
    {"lastpoll", "sched", {{"old", F::Int}, {"new", F::Int}}},
    {"poll_until", "sched", {{"value", F::Int}}},
    {"deadline_set",
     "runtime",
     {{"pd", F::Pd},
      {"fd", F::Fd},
      {"mode", F::Mode},
      {"d_ns", F::Duration},
      {"combo", F::Bool},
      {"rseq", F::Int},
      {"wseq", F::Int},
      {"timer", F::TimerOp}}},
    {"deadline_fire",
     "runtime",
     {{"pd", F::Pd}, {"fd", F::Fd}, {"timer_seq", F::Int}, {"stale", F::Bool}, {"r", F::Bool}, {"w", F::Bool}}},
    {"sys", "kernel", {{"op", F::SysOp}, {"fd", F::Fd}, {"ret", F::Int}, {"err", F::Errno}, {"arg", F::Int}}},
    {"fdmu",
     "poll",
     {{"fd", F::Fd},
      {"op", F::FdMuOp},
      {"refs", F::Int},
      {"rlock", F::Bool},
      {"wlock", F::Bool},
      {"closed", F::Bool},
      {"rwait", F::Int},
      {"wwait", F::Int}}},
    {"pd_open", "runtime", {{"pd", F::Pd}, {"fd", F::Fd}, {"fdseq", F::Int}, {"rseq", F::Int}, {"wseq", F::Int}}},
    {"pd_free", "runtime", {{"pd", F::Pd}, {"fd", F::Fd}, {"fdseq_old", F::Int}, {"fdseq_new", F::Int}}},
    {"poll_ctl",
     "kernel",
     {{"op", F::CtlOp}, {"fd", F::Fd}, {"events", F::EpollMask}, {"tag", F::Int}, {"ret", F::Int}, {"err", F::Errno}}},
    {"pollcache_alloc", "runtime", {{"pd", F::Pd}, {"block", F::Int}, {"fresh", F::Bool}}},
    {"user",
     "user",
     {{"op", F::UserOp}, {"phase", F::Phase}, {"fd", F::Fd}, {"n", F::Int}, {"result", F::NetErr}, {"err", F::Errno}}},
    {"step", "user", {{"step", F::Int}, {"phase", F::Phase}}},
    {"throw", "runtime", {{"code", F::ThrowCode}}},
};

// ---- 2. enum names -------------------------------------------------------
struct Named {
  int64_t v;
  const char* name;
};
const Named kModes[] = {{0, "-"}, {'r', "r"}, {'w', "w"}, {'r' + 'w', "rw"}};
const Named kSem[] = {{0, "pdNil"}, {1, "pdReady"}, {2, "pdWait"}, {3, "G"}};
const Named kSemBy[] = {{0, "pollReset"},       {1, "block.consume"}, {2, "block.prepare"},
                        {3, "blockcommit"},     {4, "block.swap"},    {5, "unblock.io"},
                        {6, "unblock.timeout"}, {7, "unblock.close"}, {8, "pollOpen"}};
const Named kGStatus[] = {{0, "_Gidle"}, {1, "_Grunnable"}, {2, "_Grunning"}, {3, "_Gwaiting"}, {4, "_Gdead"}};
const Named kWait[] = {{0, ""},           {1, "IO wait"},      {2, "sleep"},
                       {3, "semacquire"}, {4, "chan receive"}, {5, "scenario sync"}};
const Named kPark[] = {{0, "committed"}, {1, "aborted"}, {2, "skipped_err"}};
const Named kPollErr[] = {{0, "pollNoError"}, {1, "pollErrClosing"}, {2, "pollErrTimeout"}, {3, "pollErrNotPollable"}};
const Named kPollSite[] = {
    {0, "findRunnable_nb"}, {1, "findRunnable_block"}, {2, "sysmon"}, {3, "pollWork"}, {4, "startTheWorld"}};
const Named kAction[] = {{0, "ready"}, {1, "stale_drop"}, {2, "wakeup_fd"}, {3, "skip_empty"}};
const Named kSysOp[] = {{0, "socket"},         {1, "bind"},       {2, "listen"},       {3, "accept4"},
                        {4, "connect"},        {5, "read"},       {6, "write"},        {7, "close"},
                        {8, "shutdown"},       {9, "getsockopt"}, {10, "getpeername"}, {11, "setsockopt"},
                        {12, "epoll_create1"}, {13, "epoll_ctl"}, {14, "epoll_wait"},  {15, "eventfd_read"},
                        {16, "eventfd_write"}, {17, "kqueue"},    {18, "kevent"}};
const Named kCtl[] = {{1, "ADD"}, {2, "DEL"}, {3, "MOD"}};
const Named kFdMu[] = {{0, "rwlock"}, {1, "rwlock_wait"},    {2, "rwunlock"}, {3, "incref"},
                       {4, "decref"}, {5, "increfAndClose"}, {6, "destroy"}};
const Named kTimer[] = {{0, "none"}, {1, "add"}, {2, "modify"}, {3, "stop"}};
const Named kUser[] = {{0, "Listen"},      {1, "Accept"},          {2, "Dial"},
                       {3, "Read"},        {4, "Write"},           {5, "Close"},
                       {6, "CloseWrite"},  {7, "SetReadDeadline"}, {8, "SetWriteDeadline"},
                       {9, "SetDeadline"}, {10, "Sleep"},          {11, "go"},
                       {12, "done"}};
const Named kPhase[] = {{0, "call"}, {1, "return"}};
const Named kNetErr[] = {{0, "ok"},
                         {1, "EOF"},
                         {2, "ErrNetClosing"},
                         {3, "ErrDeadlineExceeded"},
                         {4, "ErrNotPollable"},
                         {5, "errno"},
                         {6, "ErrUnexpectedEOF"},
                         {7, "ECONNREFUSED"}};
const Named kThrow[] = {{0, "double wait"},
                        {1, "corrupted polldesc"},
                        {2, "unblock on closing polldesc"},
                        {3, "blocked read on free polldesc"},
                        {4, "blocked write on free polldesc"},
                        {5, "close polldesc w/o unblock"},
                        {6, "blocked read on closing polldesc"},
                        {7, "blocked write on closing polldesc"},
                        {8, "inconsistent read deadline"},
                        {9, "inconsistent write deadline"},
                        {10, "netpoll: eventfd ready for something other than read"},
                        {11, "netpoll failed"}};

template <size_t N>
std::string_view lookup(const Named (&t)[N], int64_t v) {
  for (const auto& n : t)
    if (n.v == v) return n.name;
  return "?";
}
template <size_t N>
std::optional<int64_t> reverse(const Named (&t)[N], std::string_view name) {
  for (const auto& n : t)
    if (name == n.name) return n.v;
  return std::nullopt;
}

// clang-format off
#define PS_ENUM_TABLES(X)                                                              \
  X(Mode, kModes) X(SemState, kSem) X(SemBy, kSemBy) X(GStatus, kGStatus)              \
  X(WaitReason, kWait) X(ParkResult, kPark) X(PollErr, kPollErr) X(PollSite, kPollSite) \
  X(PollAction, kAction) X(SysOp, kSysOp) X(CtlOp, kCtl) X(FdMuOp, kFdMu)              \
  X(TimerOp, kTimer) X(UserOp, kUser) X(Phase, kPhase) X(NetErr, kNetErr)              \
  X(ThrowCode, kThrow)
// clang-format on

}  // namespace

int KindSpec::fieldCount() const {
  int n = 0;
  while (n < kMaxArgs && fields[n].name) ++n;
  return n;
}

int KindSpec::fieldIndex(std::string_view field) const {
  for (int i = 0; i < kMaxArgs && fields[i].name; ++i)
    if (field == fields[i].name) return i;
  return -1;
}

const KindSpec& kindSpec(Kind k) {
  return kSpecs[static_cast<int>(k)];
}

std::optional<Kind> kindFromName(std::string_view name) {
  for (int i = 0; i < kKindCount; ++i)
    if (name == kSpecs[i].name) return static_cast<Kind>(i);
  return std::nullopt;
}

bool isEnumType(FieldType t) {
  return t >= F::Mode && t <= F::ThrowCode && t != F::PollErr;
}
// Raw numbers with a name beside them: OS values, and Go's netpollcheckerr codes
// (whose numbers internal/poll.convertErr relies on).
bool hasNameBeside(FieldType t) {
  return t == F::Errno || t == F::EpollMask || t == F::InfoBits || t == F::PollErr;
}

std::string_view enumName(FieldType t, int64_t v) {
  switch (t) {
#define PS_CASE(type, table) \
  case F::type: return lookup(table, v);
    PS_ENUM_TABLES(PS_CASE)
#undef PS_CASE
    default: return "?";
  }
}

std::optional<int64_t> enumValue(FieldType t, std::string_view name) {
  switch (t) {
#define PS_CASE(type, table) \
  case F::type: return reverse(table, name);
    PS_ENUM_TABLES(PS_CASE)
#undef PS_CASE
    default: return std::nullopt;
  }
}

// ---- 3. OS names ---------------------------------------------------------
std::string errnoName(int64_t err) {
  if (err == 0) return "0";
  // strerrorname_np is glibc-only; this table covers what sockets produce.
  static const Named kErrnos[] = {
      {EAGAIN, "EAGAIN"},
      {EINTR, "EINTR"},
      {EINPROGRESS, "EINPROGRESS"},
      {EALREADY, "EALREADY"},
      {EISCONN, "EISCONN"},
      {ECONNREFUSED, "ECONNREFUSED"},
      {ECONNRESET, "ECONNRESET"},
      {ECONNABORTED, "ECONNABORTED"},
      {EPIPE, "EPIPE"},
      {EBADF, "EBADF"},
      {EINVAL, "EINVAL"},
      {ENOTCONN, "ENOTCONN"},
      {ETIMEDOUT, "ETIMEDOUT"},
      {EADDRINUSE, "EADDRINUSE"},
      {EADDRNOTAVAIL, "EADDRNOTAVAIL"},
      {ENOENT, "ENOENT"},
      {EEXIST, "EEXIST"},
      {EPERM, "EPERM"},
      {EACCES, "EACCES"},
      {EMFILE, "EMFILE"},
      {ENFILE, "ENFILE"},
      {ENOMEM, "ENOMEM"},
      {ENOTSOCK, "ENOTSOCK"},
      {EHOSTUNREACH, "EHOSTUNREACH"},
      {ENETUNREACH, "ENETUNREACH"},
      {EAFNOSUPPORT, "EAFNOSUPPORT"},
      {ENOBUFS, "ENOBUFS"},
      {EPROTOTYPE, "EPROTOTYPE"},
      {EOPNOTSUPP, "EOPNOTSUPP"},
      {ESHUTDOWN, "ESHUTDOWN"},
  };
  for (const auto& n : kErrnos)
    if (n.v == err) return n.name;
  return "E" + std::to_string(err);
}

std::string epollMaskName(int64_t mask) {
  if (mask == 0) return "0";
  std::string out;
  auto add = [&](int64_t bit, const char* name) {
    if (mask & bit) {
      if (!out.empty()) out += '|';
      out += name;
      mask &= ~bit;
    }
  };
  // Linux values, fixed by the kernel ABI, so traces read the same on any host.
  add(0x001, "EPOLLIN");
  add(0x002, "EPOLLPRI");
  add(0x004, "EPOLLOUT");
  add(0x008, "EPOLLERR");
  add(0x010, "EPOLLHUP");
  add(0x2000, "EPOLLRDHUP");
  add(int64_t{1} << 31, "EPOLLET");
  if (mask) {
    if (!out.empty()) out += '|';
    out += "0x";
    static const char* hex = "0123456789abcdef";
    std::string h;
    for (uint64_t m = static_cast<uint64_t>(mask); m; m >>= 4) h.insert(h.begin(), hex[m & 15]);
    out += h;
  }
  return out;
}

std::string infoBitsName(int64_t info) {
  std::string out;
  auto add = [&](uint32_t bit, const char* name) {
    if (info & bit) {
      if (!out.empty()) out += '|';
      out += name;
    }
  };
  add(kPollClosing, "closing");
  add(kPollEventErr, "eventErr");
  add(kPollExpiredReadDeadline, "expiredRead");
  add(kPollExpiredWriteDeadline, "expiredWrite");
  if (!out.empty()) out += '|';
  out += "seq=" + std::to_string((info >> kPollFDSeqShift) & kPollFDSeqMask);
  return out;
}

std::string formatValue(FieldType t, int64_t v) {
  if (isEnumType(t) || t == F::PollErr) return std::string(enumName(t, v));
  switch (t) {
    case F::Bool: return v ? "true" : "false";
    case F::Errno: return errnoName(v);
    case F::EpollMask: return epollMaskName(v);
    case F::InfoBits: return infoBitsName(v);
    case F::G: return v ? "G" + std::to_string(v) : "-";
    case F::Pd: return v ? "pd" + std::to_string(v) : "-";
    case F::Duration: {
      if (v < 0) return std::to_string(v) + "ns";
      if (v >= 1000000) return std::to_string(v / 1000000) + "ms";
      if (v >= 1000) return std::to_string(v / 1000) + "us";
      return std::to_string(v) + "ns";
    }
    default: return std::to_string(v);
  }
}

// ---- 4. throws -------------------------------------------------------------
const char* throwMessage(int64_t code) {
  auto name = lookup(kThrow, code);
  return name.data();
}

}  // namespace pollscope::trace
