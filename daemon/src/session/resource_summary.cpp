#include "resource_summary.h"

namespace wasi_socketd::daemon {

std::string format_address(const sockets::SocketAddress& address) {
  const std::string ip = address.ip.to_string();
  return (address.ip.is_v6() ? "[" + ip + "]" : ip) + ":" + std::to_string(address.port);
}

}  // namespace wasi_socketd::daemon
