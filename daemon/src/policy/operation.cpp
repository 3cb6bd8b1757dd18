#include "policy/operation.h"

namespace wasi_socketd::policy {

std::string_view operation_name(Operation operation) {
  switch (operation) {
    case Operation::tcp_bind:
      return "tcp.bind";
    case Operation::tcp_listen:
      return "tcp.listen";
    case Operation::tcp_accept:
      return "tcp.accept";
    case Operation::tcp_connect:
      return "tcp.connect";
    case Operation::udp_bind:
      return "udp.bind";
    case Operation::udp_send:
      return "udp.send";
    case Operation::udp_receive:
      return "udp.receive";
  }
  return "unknown";
}

bool is_bind(Operation operation) {
  return operation == Operation::tcp_bind || operation == Operation::udp_bind;
}

bool is_tcp(Operation operation) {
  return operation == Operation::tcp_bind || operation == Operation::tcp_listen ||
         operation == Operation::tcp_accept || operation == Operation::tcp_connect;
}

}  // namespace wasi_socketd::policy
