// kqueue's words for traces recorded by the kqueue backend (macOS and the BSDs).
//
// A kevent is a (filter, flags, fflags) triple whose numbers differ between the
// BSDs (EVFILT_USER is -10 on macOS, -11 on FreeBSD), so the backend records it in
// this fixed encoding instead, in the same "mask"/"events" fields that hold epoll
// masks on Linux. Bit 62 marks the encoding, so a reader names either kind without
// knowing the backend: epollMaskName() hands marked values to keventMaskName().
// A registration of both filters is one value: "EVFILT_READ|EVFILT_WRITE|EV_ADD|EV_CLEAR".
#pragma once

#include <cstdint>
#include <string>

namespace pollscope::trace::kq {

inline constexpr int64_t kMarker = int64_t{1} << 62;
// filters (one bit each, so one value can carry the two changes of netpollopen)
inline constexpr int64_t kFilterRead = int64_t{1} << 32;
inline constexpr int64_t kFilterWrite = int64_t{1} << 33;
inline constexpr int64_t kFilterUser = int64_t{1} << 34;
// flags
inline constexpr int64_t kAdd = 1 << 0;
inline constexpr int64_t kDelete = 1 << 1;
inline constexpr int64_t kEnable = 1 << 2;
inline constexpr int64_t kDisable = 1 << 3;
inline constexpr int64_t kOneshot = 1 << 4;
inline constexpr int64_t kClear = 1 << 5;  // edge-triggered
inline constexpr int64_t kEof = 1 << 6;
inline constexpr int64_t kError = 1 << 7;
// fflags
inline constexpr int64_t kNoteTrigger = int64_t{1} << 16;

inline bool isKeventMask(int64_t m) {
  return (m & kMarker) != 0;
}
std::string keventMaskName(int64_t m);  // "EVFILT_READ|EV_EOF"

}  // namespace pollscope::trace::kq
