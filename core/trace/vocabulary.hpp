// The trace vocabulary: for every event kind its name and field layout, and the
// names people read for every enum, flag set and errno. Shared by the JSON layer,
// the linter, the narrator and the viewer so that a kind is declared exactly once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "trace/event.hpp"

namespace pollscope::trace {

// How a field's raw int64 is shown and serialised.
enum class FieldType : uint8_t {
  Int,
  Bool,
  Duration,
  G,
  Pd,
  Fd,
  // closed enums, serialised as their name
  Mode,
  SemState,
  SemBy,
  GStatus,
  WaitReason,
  ParkResult,
  PollErr,
  PollSite,
  PollAction,
  SysOp,
  CtlOp,
  FdMuOp,
  TimerOp,
  UserOp,
  Phase,
  NetErr,
  ThrowCode,
  HookName,
  HookPhase,
  ReadyBy,
  RunQueue,
  SchedOp,
  TimerOwner,
  BreakCaller,
  // OS numbers, serialised raw with a readable "<field>_name" beside them
  Errno,
  EpollMask,
  InfoBits,
};

bool isEnumType(FieldType t);     // serialised as a name
bool hasNameBeside(FieldType t);  // serialised raw + "<name>_name" (OS numbers, Go's pollErr codes)

struct FieldSpec {
  const char* name = nullptr;
  FieldType type = FieldType::Int;
};

struct KindSpec {
  const char* name;   // JSON "kind"
  const char* layer;  // "user", "poll", "runtime", "kernel", "sched": for grouping in views
  FieldSpec fields[kMaxArgs];
  int fieldCount() const;
  int fieldIndex(std::string_view field) const;  // -1 when absent
};

const KindSpec& kindSpec(Kind k);
std::optional<Kind> kindFromName(std::string_view name);

// Enum <-> name. Returns "?" / nullopt for values or names outside the table.
std::string_view enumName(FieldType t, int64_t v);
std::optional<int64_t> enumValue(FieldType t, std::string_view name);

// Readable forms of OS values.
std::string errnoName(int64_t err);               // "EAGAIN", "0" for no error, "E123" if unknown
std::string epollMaskName(int64_t mask);          // "EPOLLIN|EPOLLOUT|EPOLLET"
std::string infoBitsName(int64_t info);           // "closing|rexp|seq=3"
std::string formatValue(FieldType t, int64_t v);  // any field, for people

const char* throwMessage(int64_t code);
// clang-format off
#define PS_ENUM_ThrowCode(X)                                                                  \
  X(doubleWait, 0, "double wait")                                                             \
  X(corruptedPolldesc, 1, "corrupted polldesc")                                               \
  X(unblockOnClosing, 2, "unblock on closing polldesc")                                       \
  X(blockedReadOnFree, 3, "blocked read on free polldesc")                                    \
  X(blockedWriteOnFree, 4, "blocked write on free polldesc")                                  \
  X(closeWithoutUnblock, 5, "close polldesc w/o unblock")                                     \
  X(blockedReadOnClosing, 6, "blocked read on closing polldesc")                              \
  X(blockedWriteOnClosing, 7, "blocked write on closing polldesc")                            \
  X(inconsistentReadDeadline, 8, "inconsistent read deadline")                                \
  X(inconsistentWriteDeadline, 9, "inconsistent write deadline")                              \
  X(eventfdBadEvent, 10, "netpoll: eventfd ready for something other than read")              \
  X(netpollFailed, 11, "netpoll failed")                                                      \
  X(breakFdUnexpected, 12, "netpoll: break fd ready for something unexpected") /* kqueue */   \
  X(keventFailed, 13, "kevent failed")     /* kqueue: registering the wakeup event failed */ \
  X(breakWriteFailed, 14, "netpollBreak write failed") /* not EINTR/EAGAIN */               \
  X(pipeFailed, 15, "pipe failed")         /* the wakeup pipe could not be created */
// clang-format on
enum class ThrowCode : int64_t { PS_ENUM_ThrowCode(PS_TRACE_ENUMERATOR) };

// Every FieldType that is a closed enum, with the C++ enum it stores: the names
// tables (vocabulary.cpp) and the typed accessors (fields.hpp) are derived from it.
// clang-format off
#define PS_TRACE_ENUM_TYPES(X)                                                                \
  X(Mode) X(SemState) X(SemBy) X(GStatus) X(WaitReason) X(ParkResult) X(PollErr) X(PollSite)  \
  X(PollAction) X(SysOp) X(CtlOp) X(FdMuOp) X(TimerOp) X(UserOp) X(Phase) X(NetErr) X(ThrowCode)  \
  X(HookName) X(HookPhase) X(ReadyBy) X(RunQueue) X(SchedOp) X(TimerOwner) X(BreakCaller)
// clang-format on

// Names of enum values, typed: name(SemState::pdWait) == "pdWait".
#define PS_TRACE_NAME_DECL(E) std::string_view name(E v);
PS_TRACE_ENUM_TYPES(PS_TRACE_NAME_DECL)
#undef PS_TRACE_NAME_DECL

// pollInfo bits (runtime/netpoll.go).
inline constexpr uint32_t kPollClosing = 1u << 0;
inline constexpr uint32_t kPollEventErr = 1u << 1;
inline constexpr uint32_t kPollExpiredReadDeadline = 1u << 2;
inline constexpr uint32_t kPollExpiredWriteDeadline = 1u << 3;
inline constexpr int kPollFDSeqBits = 20;
inline constexpr uint32_t kPollFDSeqMask = (1u << kPollFDSeqBits) - 1;
inline constexpr int kPollFDSeqShift = 4;

}  // namespace pollscope::trace
