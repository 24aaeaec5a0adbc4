// The socket/epoll syscall sequence of one process, from `strace -f` output,
// normalised so a Go program's run and the engine's run can be laid side by side
// (docs/go-programs.md, "Syscalls"):
//   - threads merged: one sequence in completion order (an interrupted call counts
//     where it returned);
//   - only sockets, the epoll fd and the poller's wakeup fd are kept, and fds are
//     renamed by role: L1.. listeners, D1.. dialled sockets, A1.. accepted ones,
//     epfd, wake (an eventfd, or Go 1.19's pipe);
//   - arguments that name machine state (addresses, pointers, buffer contents,
//     backlog, byte counts) are dropped; send/recv variants read as write/read;
//     epoll_pwait reads as epoll_wait with its timeout as -1, 0 or >0;
//   - a run of identical lines is one line with its count.
#pragma once

#include <string>
#include <vector>

namespace pollscope::gosource {

struct SyscallLine {
  std::string text;  // "accept4(L1) = EAGAIN"
  int count = 1;     // identical consecutive calls folded into this line
};

std::vector<SyscallLine> normalizeStrace(const std::string& straceOutput);

}  // namespace pollscope::gosource
