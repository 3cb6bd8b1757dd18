#include "socket_view.h"

#include "proto_convert.h"
#include "tcp_options.h"
#include "udp_options.h"

namespace wasi_socketd::daemon {

namespace {

v1::TcpSocketState to_proto(sockets::TcpSocket::State state) {
  using State = sockets::TcpSocket::State;
  switch (state) {
    case State::unbound:
      return v1::TCP_SOCKET_STATE_UNBOUND;
    case State::bind_in_progress:
      return v1::TCP_SOCKET_STATE_BIND_IN_PROGRESS;
    case State::bound:
      return v1::TCP_SOCKET_STATE_BOUND;
    case State::listen_in_progress:
      return v1::TCP_SOCKET_STATE_LISTEN_IN_PROGRESS;
    case State::listening:
      return v1::TCP_SOCKET_STATE_LISTENING;
    case State::connect_in_progress:
      return v1::TCP_SOCKET_STATE_CONNECT_IN_PROGRESS;
    case State::connected:
      return v1::TCP_SOCKET_STATE_CONNECTED;
    case State::closed:
      return v1::TCP_SOCKET_STATE_CLOSED;
  }
  return v1::TCP_SOCKET_STATE_UNSPECIFIED;
}

void describe_address(const sockets::Result<sockets::SocketAddress>& address,
                      v1::SocketAddressResponse& out) {
  if (address) {
    *out.mutable_address() = daemon::to_proto(*address);
  } else {
    out.set_error(daemon::to_proto(address.error()));
  }
}

// Every option with a getter, answered as GetOption would.
template <class Value, class Option, class Socket, class Getter>
void describe_options(const Socket& socket, std::initializer_list<Option> options, Getter get,
                      google::protobuf::RepeatedPtrField<Value>& out) {
  for (Option option : options) {
    v1::OptionValueResponse answer;
    get(socket, option, answer);
    Value* value = out.Add();
    value->set_option(option);
    value->set_error(answer.error());
    value->set_value(answer.value());
  }
}

}  // namespace

v1::TcpSocketView describe(const sockets::TcpSocket& socket) {
  v1::TcpSocketView view;
  view.set_state(to_proto(socket.state()));
  describe_address(socket.local_address(), *view.mutable_local_address());
  describe_address(socket.remote_address(), *view.mutable_remote_address());
  describe_options<v1::TcpOptionValue>(
      socket,
      {v1::TCP_OPTION_KEEP_ALIVE_ENABLED, v1::TCP_OPTION_KEEP_ALIVE_IDLE_TIME,
       v1::TCP_OPTION_KEEP_ALIVE_INTERVAL, v1::TCP_OPTION_KEEP_ALIVE_COUNT,
       v1::TCP_OPTION_HOP_LIMIT, v1::TCP_OPTION_RECEIVE_BUFFER_SIZE,
       v1::TCP_OPTION_SEND_BUFFER_SIZE},
      get_tcp_option, *view.mutable_options());
  return view;
}

v1::UdpSocketView describe(const sockets::UdpSocket& socket) {
  v1::UdpSocketView view;
  describe_address(socket.local_address(), *view.mutable_local_address());
  describe_address(socket.remote_address(), *view.mutable_remote_address());
  describe_options<v1::UdpOptionValue>(
      socket,
      {v1::UDP_OPTION_UNICAST_HOP_LIMIT, v1::UDP_OPTION_RECEIVE_BUFFER_SIZE,
       v1::UDP_OPTION_SEND_BUFFER_SIZE},
      get_udp_option, *view.mutable_options());
  return view;
}

}  // namespace wasi_socketd::daemon
