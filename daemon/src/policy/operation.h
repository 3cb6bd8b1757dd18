// The uses of an address a tenant's rules speak about; each has its own rule list.
// Which address is checked: bind/listen — the local address; connect/send — the remote;
// accept/receive — the peer the connection or datagram came from.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace wasi_socketd::policy {

enum class Operation {
  tcp_bind,
  tcp_listen,
  tcp_accept,
  tcp_connect,
  udp_bind,
  udp_send,
  udp_receive
};

inline constexpr std::array<Operation, 7> kAllOperations = {
    Operation::tcp_bind, Operation::tcp_listen, Operation::tcp_accept, Operation::tcp_connect,
    Operation::udp_bind, Operation::udp_send,   Operation::udp_receive};

// "tcp.connect", "udp.send", ... — the spelling used in audit lines and rule labels.
std::string_view operation_name(Operation operation);
bool is_bind(Operation operation);
bool is_tcp(Operation operation);

}  // namespace wasi_socketd::policy
