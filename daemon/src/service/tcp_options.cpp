#include "tcp_options.h"

#include <limits>

#include "option_answer.h"
#include "proto_convert.h"

namespace wasi_socketd::daemon {

void get_tcp_option(const sockets::TcpSocket& socket, v1::TcpOption option,
                    v1::OptionValueResponse& response) {
  switch (option) {
    case v1::TCP_OPTION_KEEP_ALIVE_ENABLED:
      return answer_option(socket.keep_alive_enabled(), response);
    case v1::TCP_OPTION_KEEP_ALIVE_IDLE_TIME:
      return answer_option(socket.keep_alive_idle_time(), response);
    case v1::TCP_OPTION_KEEP_ALIVE_INTERVAL:
      return answer_option(socket.keep_alive_interval(), response);
    case v1::TCP_OPTION_KEEP_ALIVE_COUNT:
      return answer_option(socket.keep_alive_count(), response);
    case v1::TCP_OPTION_HOP_LIMIT:
      return answer_option(socket.hop_limit(), response);
    case v1::TCP_OPTION_RECEIVE_BUFFER_SIZE:
      return answer_option(socket.receive_buffer_size(), response);
    case v1::TCP_OPTION_SEND_BUFFER_SIZE:
      return answer_option(socket.send_buffer_size(), response);
    default:  // LISTEN_BACKLOG_SIZE has no getter in the WIT
      response.set_error(v1::ERROR_CODE_INVALID_ARGUMENT);
  }
}

v1::ErrorCode set_tcp_option(sockets::TcpSocket& socket, v1::TcpOption option,
                             std::uint64_t value) {
  switch (option) {
    case v1::TCP_OPTION_LISTEN_BACKLOG_SIZE:
      return error_of(socket.set_listen_backlog_size(value));
    case v1::TCP_OPTION_KEEP_ALIVE_ENABLED:
      if (value > 1) {
        return v1::ERROR_CODE_INVALID_ARGUMENT;
      }
      return error_of(socket.set_keep_alive_enabled(value == 1));
    case v1::TCP_OPTION_KEEP_ALIVE_IDLE_TIME:
      return error_of(socket.set_keep_alive_idle_time(value));
    case v1::TCP_OPTION_KEEP_ALIVE_INTERVAL:
      return error_of(socket.set_keep_alive_interval(value));
    case v1::TCP_OPTION_KEEP_ALIVE_COUNT:
      if (value > std::numeric_limits<std::uint32_t>::max()) {
        return v1::ERROR_CODE_INVALID_ARGUMENT;
      }
      return error_of(socket.set_keep_alive_count(static_cast<std::uint32_t>(value)));
    case v1::TCP_OPTION_HOP_LIMIT:
      if (value > std::numeric_limits<std::uint8_t>::max()) {
        return v1::ERROR_CODE_INVALID_ARGUMENT;
      }
      return error_of(socket.set_hop_limit(static_cast<std::uint8_t>(value)));
    case v1::TCP_OPTION_RECEIVE_BUFFER_SIZE:
      return error_of(socket.set_receive_buffer_size(value));
    case v1::TCP_OPTION_SEND_BUFFER_SIZE:
      return error_of(socket.set_send_buffer_size(value));
    default:
      return v1::ERROR_CODE_INVALID_ARGUMENT;
  }
}

}  // namespace wasi_socketd::daemon
