// The load generator of `make bench-echo`: N connections, each a closed loop of
// 64-byte ping-pongs (send, wait for the whole echo, check it, send the next), on
// one epoll thread pinned to its own core so it does not compete with the server.
// Every message carries the connection and its sequence number, so a reply that is
// not the bytes just sent (a mix-up between connections, a stale or cut reply) is
// caught, not counted.
//
// Usage: pollscope-bench-echo-load PORT CONNS SECONDS CPU
// Prints one line: conns, requests, rps, p50_us, p99_us, min_replies (the fewest
// round trips any one connection completed). Exit 1 on any wrong byte or error.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

constexpr size_t kMessage = 64;
using Clock = std::chrono::steady_clock;

struct Conn {
  int fd = -1;
  uint64_t seq = 0;  // round trips completed
  size_t got = 0;    // bytes of the current reply received
  Clock::time_point sent;
  char expect[kMessage];
  char reply[kMessage];
};

[[noreturn]] void die(const char* what) {
  std::perror(what);
  std::exit(1);
}

// The message for round trip `seq` of connection `id`: both numbers, then filler
// that depends on them.
void fill(char* out, uint64_t id, uint64_t seq) {
  std::memcpy(out, &id, 8);
  std::memcpy(out + 8, &seq, 8);
  for (size_t i = 16; i < kMessage; ++i) out[i] = static_cast<char>('a' + (id + seq + i) % 26);
}

void send_next(Conn& c, uint64_t id) {
  fill(c.expect, id, c.seq);
  c.got = 0;
  c.sent = Clock::now();
  if (write(c.fd, c.expect, kMessage) != static_cast<ssize_t>(kMessage)) die("write");
}

int connect_to(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket (is the open-file limit high enough?)");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) die("connect");
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

double percentile_us(std::vector<uint32_t>& ns, double p) {
  if (ns.empty()) return 0;
  size_t k = std::min(ns.size() - 1, static_cast<size_t>(p * static_cast<double>(ns.size())));
  std::nth_element(ns.begin(), ns.begin() + static_cast<long>(k), ns.end());
  return ns[k] / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s PORT CONNS SECONDS CPU\n", argv[0]);
    return 2;
  }
  int port = std::atoi(argv[1]);
  size_t nconns = static_cast<size_t>(std::atol(argv[2]));
  double seconds = std::atof(argv[3]);
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  CPU_SET(std::atoi(argv[4]), &cpus);
  if (sched_setaffinity(0, sizeof cpus, &cpus) != 0) die("sched_setaffinity");

  std::vector<Conn> conns(nconns);
  int ep = epoll_create1(EPOLL_CLOEXEC);
  for (size_t i = 0; i < nconns; ++i) {
    conns[i].fd = connect_to(port);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = i;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev) != 0) die("epoll_ctl");
  }

  std::vector<uint32_t> latency_ns;
  latency_ns.reserve(1 << 20);
  auto start = Clock::now();
  auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  for (size_t i = 0; i < nconns; ++i) send_next(conns[i], i);

  std::vector<epoll_event> events(1024);
  for (auto now = start; now < end; now = Clock::now()) {
    int ms = static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(end - now).count());
    int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), ms);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die("epoll_wait");
    for (int e = 0; e < n; ++e) {
      uint64_t id = events[e].data.u64;
      Conn& c = conns[id];
      ssize_t r = read(c.fd, c.reply + c.got, kMessage - c.got);
      if (r <= 0) {
        if (r < 0 && errno == EAGAIN) continue;
        std::fprintf(stderr, "connection %llu: %s after %llu replies\n", static_cast<unsigned long long>(id),
                     r == 0 ? "closed by the server" : std::strerror(errno), static_cast<unsigned long long>(c.seq));
        return 1;
      }
      c.got += static_cast<size_t>(r);
      if (c.got < kMessage) continue;
      if (std::memcmp(c.reply, c.expect, kMessage) != 0) {
        std::fprintf(stderr, "connection %llu: reply %llu is not the bytes sent\n", static_cast<unsigned long long>(id),
                     static_cast<unsigned long long>(c.seq));
        return 1;
      }
      auto now2 = Clock::now();
      latency_ns.push_back(static_cast<uint32_t>(
          std::min<int64_t>(UINT32_MAX, std::chrono::duration_cast<std::chrono::nanoseconds>(now2 - c.sent).count())));
      ++c.seq;
      if (now2 < end) send_next(c, id);
    }
  }
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  uint64_t min_replies = UINT64_MAX;
  for (auto& c : conns) {
    min_replies = std::min(min_replies, c.seq);
    close(c.fd);
  }
  size_t requests = latency_ns.size();
  double p50 = percentile_us(latency_ns, 0.50);
  double p99 = percentile_us(latency_ns, 0.99);
  std::printf("conns=%zu requests=%zu rps=%.0f p50_us=%.1f p99_us=%.1f min_replies=%llu\n", nconns, requests,
              static_cast<double>(requests) / elapsed, p50, p99, static_cast<unsigned long long>(min_replies));
  return 0;
}
