// Many idle HTTP/1.1 keep-alive connections held by this process to a server on 127.0.0.1, each
// proven to be served: every connection gets one GET / answered when it is opened and can be asked
// again later.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace wasi_socketd::bench {

class KeepAliveClients {
 public:
  KeepAliveClients() = default;
  ~KeepAliveClients();  // resets every connection (no TIME_WAIT left for the next run's ports)
  KeepAliveClients(const KeepAliveClients&) = delete;
  KeepAliveClients& operator=(const KeepAliveClients&) = delete;

  // Opens `count` connections to 127.0.0.1:port, `batch` at a time; each batch's connections
  // send GET / and are answered before the next batch opens (so the listen queue never
  // overflows). Throws if a connection cannot be opened or is not answered.
  void open(std::uint16_t port, std::size_t count, std::size_t batch);
  // Asks GET / once more on every held connection, `batch` at a time; returns how many were
  // answered 200 with their whole body.
  std::size_t answering(std::size_t batch);
  std::size_t size() const { return fds_.size(); }

 private:
  std::vector<int> fds_;
};

}  // namespace wasi_socketd::bench
