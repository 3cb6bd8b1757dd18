#include "resource_summary.h"

namespace wasi_socketd::daemon {

std::string format_address(const sockets::SocketAddress& address) {
  const std::string ip = address.ip.to_string();
  return (address.ip.is_v6() ? "[" + ip + "]" : ip) + ":" + std::to_string(address.port);
}

std::string_view state_name(sockets::TcpSocket::State state) {
  using State = sockets::TcpSocket::State;
  switch (state) {
    case State::unbound:
      return "unbound";
    case State::bind_in_progress:
      return "bind-in-progress";
    case State::bound:
      return "bound";
    case State::listen_in_progress:
      return "listen-in-progress";
    case State::listening:
      return "listening";
    case State::connect_in_progress:
      return "connect-in-progress";
    case State::connected:
      return "connected";
    case State::closed:
      return "closed";
  }
  return "unknown";
}

std::string_view state_name(sockets::UdpSocket::State state) {
  using State = sockets::UdpSocket::State;
  switch (state) {
    case State::unbound:
      return "unbound";
    case State::bind_in_progress:
      return "bind-in-progress";
    case State::bound:
      return "bound";
  }
  return "unknown";
}

}  // namespace wasi_socketd::daemon
