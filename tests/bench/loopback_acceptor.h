// A kernel listener on 127.0.0.1 that accepts (and keeps open) every connection on its own thread:
// the far ends of the connections a scale benchmark makes through the broker or a guest makes.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace wasi_socketd::bench {

class LoopbackAcceptor {
 public:
  LoopbackAcceptor();   // exits the program if no listener can be made
  ~LoopbackAcceptor();  // stops accepting, closes every accepted connection
  LoopbackAcceptor(const LoopbackAcceptor&) = delete;
  LoopbackAcceptor& operator=(const LoopbackAcceptor&) = delete;

  std::uint16_t port() const { return port_; }
  // Connections accepted so far; the i-th accepted connection's fd (i < count()).
  std::size_t count() const;
  int connection(std::size_t i) const;
  // Waits until at least `n` connections were accepted; false after `timeout`.
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout) const;

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  std::vector<int> accepted_;
  std::thread thread_;
};

}  // namespace wasi_socketd::bench
