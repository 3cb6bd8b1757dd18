// The far end of the daemon's sockets in robustness tests: plain kernel sockets on 127.0.0.1 in
// the test process, so what the daemon does to its own sockets is seen from outside.
//
// A LoopbackPeer owns one listening socket and every connection it accepted; all are closed in
// the destructor. Not thread-safe: accept on one thread; the fds it returns may be used by others.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace wasi_socketd::testing {

class LoopbackPeer {
 public:
  LoopbackPeer();
  ~LoopbackPeer();
  LoopbackPeer(const LoopbackPeer&) = delete;
  LoopbackPeer& operator=(const LoopbackPeer&) = delete;

  std::uint16_t port() const { return port_; }
  // The next queued connection within `timeout`, or -1.
  int accept_one(std::chrono::milliseconds timeout);

 private:
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::vector<int> connections_;
};

// A kernel TCP connection to 127.0.0.1:port (blocking, close-on-exec), or -1.
int connect_loopback(std::uint16_t port);

// Writes to `fd` as fast as the kernel takes it until `stop` is set or the connection fails;
// returns the bytes written.
std::size_t flood(int fd, const std::atomic<bool>& stop);

// Reads and discards from `fd` until the connection ends (EOF or error: true) or `timeout`
// passes (false).
bool drain_until_end(int fd, std::chrono::milliseconds timeout);

}  // namespace wasi_socketd::testing
