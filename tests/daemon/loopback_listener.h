// LoopbackListener: a kernel TCP socket listening on 127.0.0.1 (or ::1 for AF_INET6) at a port the
// kernel picks, in the
// test process: the far end the daemon's sockets connect to.
//
// Owns the fd (close-on-exec; closed by the destructor). A failed set-up fails the test and
// leaves fd() at -1. Not thread-safe.
#pragma once

#include <sys/socket.h>

#include <cstdint>

namespace wasi_socketd::testing {

class LoopbackListener {
 public:
  explicit LoopbackListener(int backlog = 8, int family = AF_INET);
  ~LoopbackListener();
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;

  int fd() const { return fd_; }
  std::uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace wasi_socketd::testing
