// UDP baselines: a counting receiver on 127.0.0.1 and native datagrams sent to it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "bench_report.h"

namespace wasi_socketd::bench {

// A UDP socket on 127.0.0.1 (64 MiB receive buffer) whose thread counts arriving datagrams.
class UdpCounter {
 public:
  UdpCounter();
  ~UdpCounter();
  UdpCounter(const UdpCounter&) = delete;
  UdpCounter& operator=(const UdpCounter&) = delete;

  std::uint16_t port() const { return port_; }
  void reset();
  // Datagrams/s: those that arrived since reset() over the time from `start` to the last one.
  // Waits until `expected` arrived or none arrived for 200 ms (loopback UDP may drop some).
  struct Rate {
    double datagrams_per_s = 0;
    std::uint64_t lost = 0;
  };
  Rate wait_for(std::uint64_t expected, Clock::time_point start);
  // The same wait; returns how many arrived since reset().
  std::uint64_t wait_for_arrivals(std::uint64_t expected);

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::uint16_t port_ = 0;
};

// `count` datagrams of `size` bytes sent one sendto() each from a native socket to `counter`.
UdpCounter::Rate native_udp_rate(UdpCounter& counter, std::uint64_t count, std::size_t size);

}  // namespace wasi_socketd::bench
