// 127.0.0.1:port as the socket calls of the benchmarks' native baselines take it.
#pragma once

#include <netinet/in.h>

#include <cstdint>

namespace wasi_socketd::bench {

inline sockaddr_in loopback_address(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  return address;
}

}  // namespace wasi_socketd::bench
