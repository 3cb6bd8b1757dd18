#include "udp_options.h"

#include <limits>

#include "option_answer.h"
#include "proto_convert.h"

namespace wasi_socketd::daemon {

void get_udp_option(const sockets::UdpSocket& socket, v1::UdpOption option,
                    v1::OptionValueResponse& response) {
  switch (option) {
    case v1::UDP_OPTION_UNICAST_HOP_LIMIT:
      return answer_option(socket.unicast_hop_limit(), response);
    case v1::UDP_OPTION_RECEIVE_BUFFER_SIZE:
      return answer_option(socket.receive_buffer_size(), response);
    case v1::UDP_OPTION_SEND_BUFFER_SIZE:
      return answer_option(socket.send_buffer_size(), response);
    default:
      response.set_error(v1::ERROR_CODE_INVALID_ARGUMENT);
  }
}

v1::ErrorCode set_udp_option(sockets::UdpSocket& socket, v1::UdpOption option,
                             std::uint64_t value) {
  switch (option) {
    case v1::UDP_OPTION_UNICAST_HOP_LIMIT:
      if (value > std::numeric_limits<std::uint8_t>::max()) {
        return v1::ERROR_CODE_INVALID_ARGUMENT;
      }
      return error_of(socket.set_unicast_hop_limit(static_cast<std::uint8_t>(value)));
    case v1::UDP_OPTION_RECEIVE_BUFFER_SIZE:
      return error_of(socket.set_receive_buffer_size(value));
    case v1::UDP_OPTION_SEND_BUFFER_SIZE:
      return error_of(socket.set_send_buffer_size(value));
    default:
      return v1::ERROR_CODE_INVALID_ARGUMENT;
  }
}

}  // namespace wasi_socketd::daemon
