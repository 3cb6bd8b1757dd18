// Native baselines for bulk throughput: the same byte count pushed through a plain kernel socket.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>

namespace wasi_socketd::bench {

// A loopback TCP sink on an ephemeral port: one thread accepts one connection at a time and reads
// until EOF, discarding. `wait_for(n)` blocks until n bytes arrived since the last reset.
class TcpSink {
 public:
  TcpSink();
  ~TcpSink();
  TcpSink(const TcpSink&) = delete;
  TcpSink& operator=(const TcpSink&) = delete;

  std::uint16_t port() const { return port_; }
  void reset();
  void wait_for(std::uint64_t bytes);

 private:
  struct State;
  State* state_;
  std::uint16_t port_ = 0;
};

// A loopback TCP source on an ephemeral port: accepts one connection, writes `total` bytes into
// it, closes it; then waits for the next. For receive-direction measurements.
class TcpSource {
 public:
  explicit TcpSource(std::uint64_t total);
  ~TcpSource();
  TcpSource(const TcpSource&) = delete;
  TcpSource& operator=(const TcpSource&) = delete;

  std::uint16_t port() const { return port_; }

 private:
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

// Bytes/second of `total` bytes written in `chunk`-sized writes over loopback TCP into `sink`.
double loopback_tcp_throughput(TcpSink& sink, std::uint64_t total, std::size_t chunk);

// Bytes/second of `total` bytes through a connected Unix stream socket pair with a reader thread.
double unix_socket_throughput(std::uint64_t total, std::size_t chunk);

}  // namespace wasi_socketd::bench
