// DaemonSockets: the broker's own kernel sockets, duplicated into the test with pidfd_getfd, so a
// test can read their options and addresses (getsockopt/getsockname) and compare the client's
// local answers with the kernel's. The broker is the test's child and runs as the same user.
//
// Owns the duplicates (closed by the destructor). Not thread-safe.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <vector>

#include "wasi_socketd/client/tcp_socket.h"
#include "wasi_socketd/client/udp_socket.h"

namespace wasi_socketd::testing {

class DaemonSockets {
 public:
  explicit DaemonSockets(pid_t daemon);
  ~DaemonSockets();
  DaemonSockets(const DaemonSockets&) = delete;
  DaemonSockets& operator=(const DaemonSockets&) = delete;

  // A duplicate of the broker's socket of `type` (SOCK_STREAM/SOCK_DGRAM) bound to `local_port`
  // and, when `peer_port` is not 0, connected to it; -1 if there is none (the test fails).
  int find(int type, std::uint16_t local_port, std::uint16_t peer_port = 0);

 private:
  pid_t daemon_;
  int pidfd_ = -1;
  std::vector<int> duplicates_;
};

// What the broker's getter reports for `option`, read from the kernel socket `fd` (buffer sizes
// halved as the broker reports them, keep-alive times in nanoseconds).
std::uint64_t kernel_answer(int fd, client::AddressFamily family, client::TcpOption option);
std::uint64_t kernel_answer(int fd, client::AddressFamily family, client::UdpOption option);
// The port getsockname/getpeername report for `fd`.
std::uint16_t kernel_local_port(int fd);
std::uint16_t kernel_peer_port(int fd);

}  // namespace wasi_socketd::testing
