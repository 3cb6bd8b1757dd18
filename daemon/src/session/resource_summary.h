// What the admin interface shows of one resource of a session. Plain data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "sockets/socket_address.h"
#include "sockets/tcp_socket.h"
#include "sockets/udp_socket.h"

namespace wasi_socketd::daemon {

struct ResourceSummary {
  const char* protocol = "";   // "tcp" or "udp"
  std::string state;           // the WIT state name: "unbound", "bound", "listening", ...
  std::string local_address;   // "127.0.0.1:80", "[::1]:53"; empty when unbound
  std::string remote_address;  // empty when not connected
  std::string linger;          // TCP with a sockets-ext linger: "2s", "0s" (abortive); else empty
};

// "1.2.3.4:80" / "[::1]:443".
std::string format_address(const sockets::SocketAddress& address);

// The WIT names of the core's socket states.
std::string_view state_name(sockets::TcpSocket::State state);
std::string_view state_name(sockets::UdpSocket::State state);

// A socket of the core as the admin interface shows it. Strand only (reads the socket's state).
template <class Socket>
ResourceSummary summarize(const char* protocol, const Socket& socket) {
  ResourceSummary summary;
  summary.protocol = protocol;
  summary.state = state_name(socket.state());
  if (auto local = socket.local_address()) summary.local_address = format_address(*local);
  if (auto remote = socket.remote_address()) summary.remote_address = format_address(*remote);
  if constexpr (std::is_same_v<Socket, sockets::TcpSocket>) {
    if (auto linger = socket.linger(); linger && *linger) {
      summary.linger = std::to_string(**linger / 1'000'000'000) + "s";  // kept in whole seconds
    }
  }
  return summary;
}

}  // namespace wasi_socketd::daemon
