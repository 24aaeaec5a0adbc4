// The net package layer: Listen, Dial, Accept and Conn over poll::FD, for TCP on
// IPv4/IPv6 loopback and Unix stream sockets.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "poll/fd.hpp"

namespace pollscope::net {

using poll::Error;

// "tcp" with "127.0.0.1:8080" / "[::1]:0" / ":0", or "unix" with a path.
struct Address {
  std::string network;  // tcp, tcp4, tcp6, unix
  std::string address;
  std::string toString() const { return network + "://" + address; }
};

class Conn {
 public:
  explicit Conn(std::unique_ptr<poll::FD> fd) : fd_(std::move(fd)) {}
  Error read(void* buf, size_t n, size_t* got);
  Error write(const void* buf, size_t n, size_t* wrote);
  Error close();
  Error closeWrite();  // shutdown(SHUT_WR): the peer reads EOF
  Error setReadDeadline(std::optional<int64_t> relNs);
  Error setWriteDeadline(std::optional<int64_t> relNs);
  Error setDeadline(std::optional<int64_t> relNs);
  Error setLingerZero();                     // SO_LINGER 0: close sends RST
  Error setBuffers(int sndbuf, int rcvbuf);  // 0 leaves a side alone
  int fd() const;
  bool isClosed() const { return fd_->isClosed(); }
  poll::FD& pollFD() { return *fd_; }

 private:
  std::unique_ptr<poll::FD> fd_;
  int sysfd_cache_ = -1;
};

class Listener {
 public:
  Listener(std::unique_ptr<poll::FD> fd, Address addr) : fd_(std::move(fd)), addr_(std::move(addr)) {}
  Error accept(std::unique_ptr<Conn>* out);
  Error close();
  bool isClosed() const { return fd_->isClosed(); }
  poll::FD& pollFD() { return *fd_; }
  const Address& addr() const { return addr_; }  // with the real port after ":0"
  int fd() const;

 private:
  std::unique_ptr<poll::FD> fd_;
  Address addr_;
};

Error listen(const Address& addr, std::unique_ptr<Listener>* out, std::string* detail = nullptr);
Error dial(const Address& addr, std::unique_ptr<Conn>* out, std::string* detail = nullptr);

}  // namespace pollscope::net
