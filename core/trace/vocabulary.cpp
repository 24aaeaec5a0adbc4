// Vocabulary tables. Sections: 1. kind layouts  2. enum names  3. OS names  4. throws
// Both the kind layouts and the enum names are generated from their single tables.
#include "trace/vocabulary.hpp"

#include <array>
#include <cerrno>
#include <cstring>

#include "trace/kqueue_names.hpp"

#if defined(__linux__)
#include <sys/epoll.h>
#endif

namespace pollscope::trace {
namespace {
using F = FieldType;

// ---- 1. kind layouts: generated from the kind table (kinds.hpp) ----------
#define PS_SPEC_KIND(id, json, layer) \
  {                                   \
    json, layer, {
#define PS_SPEC_FIELD(id, json, type) {json, F::type},
#define PS_SPEC_END(id) \
  }                     \
  }                     \
  ,
constexpr KindSpec kSpecs[] = {PS_TRACE_KINDS(PS_SPEC_KIND, PS_SPEC_FIELD, PS_SPEC_END)};
#undef PS_SPEC_KIND
#undef PS_SPEC_FIELD
#undef PS_SPEC_END
static_assert(std::size(kSpecs) == kKindCount);

// A copy-pasted row must not give two kinds, or two fields of a kind, one JSON name.
constexpr bool uniqueNames() {
  for (size_t k = 0; k < std::size(kSpecs); ++k) {
    for (size_t j = k + 1; j < std::size(kSpecs); ++j)
      if (std::string_view(kSpecs[k].name) == kSpecs[j].name) return false;
    for (int f = 0; f < kMaxArgs && kSpecs[k].fields[f].name; ++f)
      for (int g = f + 1; g < kMaxArgs && kSpecs[k].fields[g].name; ++g)
        if (std::string_view(kSpecs[k].fields[f].name) == kSpecs[k].fields[g].name) return false;
  }
  return true;
}
static_assert(uniqueNames(), "two kinds, or two fields of one kind, share a JSON name (kinds.hpp)");

// ---- 2. enum names: generated from each enum's own rows (event.hpp) -------
struct Named {
  int64_t v;
  const char* name;
};
// Each name must map back to one value (the JSON reader relies on it).
template <size_t N>
constexpr bool uniqueRows(const Named (&t)[N]) {
  for (size_t i = 0; i < N; ++i)
    for (size_t j = i + 1; j < N; ++j)
      if (t[i].v == t[j].v || std::string_view(t[i].name) == t[j].name) return false;
  return true;
}
#define PS_NAMED_ROW(id, value, name) {value, name},
#define PS_NAMES_TABLE(E)                                      \
  constexpr Named k##E##Names[] = {PS_ENUM_##E(PS_NAMED_ROW)}; \
  static_assert(uniqueRows(k##E##Names), #E ": two rows share a value or a name");
PS_TRACE_ENUM_TYPES(PS_NAMES_TABLE)
#undef PS_NAMES_TABLE
#undef PS_NAMED_ROW

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
  return t >= F::Mode && t <= F::BreakCaller && t != F::PollErr;
}
// Raw numbers with a name beside them: OS values, and Go's netpollcheckerr codes
// (whose numbers internal/poll.convertErr relies on).
bool hasNameBeside(FieldType t) {
  return t == F::Errno || t == F::EpollMask || t == F::InfoBits || t == F::PollErr;
}

std::string_view enumName(FieldType t, int64_t v) {
  switch (t) {
#define PS_CASE(E) \
  case F::E: return lookup(k##E##Names, v);
    PS_TRACE_ENUM_TYPES(PS_CASE)
#undef PS_CASE
    default: return "?";
  }
}

#define PS_NAME_DEF(E)                                   \
  std::string_view name(E v) {                           \
    return lookup(k##E##Names, static_cast<int64_t>(v)); \
  }
PS_TRACE_ENUM_TYPES(PS_NAME_DEF)
#undef PS_NAME_DEF

std::optional<int64_t> enumValue(FieldType t, std::string_view name) {
  switch (t) {
#define PS_CASE(E) \
  case F::E: return reverse(k##E##Names, name);
    PS_TRACE_ENUM_TYPES(PS_CASE)
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
  if (kq::isKeventMask(mask)) return kq::keventMaskName(mask);  // recorded by the kqueue backend
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
  auto name = lookup(kThrowCodeNames, code);
  return name.data();
}

}  // namespace pollscope::trace
