// What the admin interface shows of one resource of a session. Plain data.
#pragma once

#include <cstdint>
#include <string>

#include "sockets/socket_address.h"

namespace wasi_socketd::daemon {

struct ResourceSummary {
  const char* protocol = "";   // "tcp" or "udp"
  std::string state;           // the WIT state name: "unbound", "bound", "listening", ...
  std::string local_address;   // "127.0.0.1:80", "[::1]:53"; empty when unbound
  std::string remote_address;  // empty when not connected
};

// "1.2.3.4:80" / "[::1]:443".
std::string format_address(const sockets::SocketAddress& address);

}  // namespace wasi_socketd::daemon
