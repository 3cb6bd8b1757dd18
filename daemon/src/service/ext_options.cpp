#include "ext_options.h"

#include <limits>

#include "proto_convert.h"
#include "sockets/socket_extensions.h"

namespace wasi_socketd::daemon {
namespace {

namespace ext = sockets::extensions;
using policy::Extension;
using sockets::Protocol;

template <class T>
void answer(const sockets::Result<T>& result, v1::ExtOptionResponse& response) {
  if (!result) return response.set_error(to_proto(result.error()));
  response.set_value(static_cast<std::uint64_t>(*result));
}

void answer_linger(const sockets::Result<std::optional<std::uint64_t>>& result,
                   v1::ExtOptionResponse& response) {
  if (!result) return response.set_error(to_proto(result.error()));
  response.set_none(!result->has_value());
  response.set_value(result->value_or(0));
}

bool fits(std::uint64_t value, std::uint64_t max) { return value <= max; }

}  // namespace

std::optional<Extension> extension_for(v1::ExtOption option, Protocol protocol) {
  const bool tcp = protocol == Protocol::tcp;
  switch (option) {
    case v1::EXT_OPTION_NO_DELAY:
      return tcp ? std::optional(Extension::no_delay) : std::nullopt;
    case v1::EXT_OPTION_LINGER:
      return tcp ? std::optional(Extension::linger) : std::nullopt;
    case v1::EXT_OPTION_CORK:
      return tcp ? std::optional(Extension::cork) : std::nullopt;
    case v1::EXT_OPTION_IPV6_ONLY:
      return Extension::ipv6_only;
    case v1::EXT_OPTION_TRAFFIC_CLASS:
      return Extension::traffic_class;
    case v1::EXT_OPTION_BYTES_AVAILABLE:
      return Extension::bytes_available;
    case v1::EXT_OPTION_BROADCAST:
      return tcp ? std::nullopt : std::optional(Extension::broadcast);
    case v1::EXT_OPTION_REUSE_ADDRESS:
      return tcp ? std::nullopt : std::optional(Extension::reuse_address);
    case v1::EXT_OPTION_REUSE_PORT:
      return tcp ? std::nullopt : std::optional(Extension::reuse_port);
    case v1::EXT_OPTION_MULTICAST_HOP_LIMIT:
    case v1::EXT_OPTION_MULTICAST_LOOPBACK:
    case v1::EXT_OPTION_MULTICAST_INTERFACE:
      return tcp ? std::nullopt : std::optional(Extension::multicast);
    default:
      return std::nullopt;
  }
}

void get_ext_option(const ExtSocket& socket, v1::ExtOption option,
                    v1::ExtOptionResponse& response) {
  const int fd = socket.fd;
  switch (option) {
    case v1::EXT_OPTION_NO_DELAY:
      return answer(ext::no_delay(fd), response);
    case v1::EXT_OPTION_IPV6_ONLY:
      return answer(ext::ipv6_only(fd, socket.family), response);
    case v1::EXT_OPTION_LINGER:
      return answer_linger(ext::linger(fd), response);
    case v1::EXT_OPTION_TRAFFIC_CLASS:
      return answer(ext::traffic_class(fd, socket.family), response);
    case v1::EXT_OPTION_CORK:
      return answer(ext::cork(fd), response);
    case v1::EXT_OPTION_BYTES_AVAILABLE:
      return answer(ext::bytes_available(fd), response);
    case v1::EXT_OPTION_BROADCAST:
      return answer(ext::broadcast(fd), response);
    case v1::EXT_OPTION_REUSE_ADDRESS:
      return answer(ext::reuse_address(fd), response);
    case v1::EXT_OPTION_REUSE_PORT:
      return answer(ext::reuse_port(fd), response);
    case v1::EXT_OPTION_MULTICAST_HOP_LIMIT:
      return answer(ext::multicast_hop_limit(fd, socket.family), response);
    case v1::EXT_OPTION_MULTICAST_LOOPBACK:
      return answer(ext::multicast_loopback(fd, socket.family), response);
    case v1::EXT_OPTION_MULTICAST_INTERFACE:
      if (socket.udp == nullptr) break;
      return response.set_value(socket.udp->multicast_interface());
    default:
      break;
  }
  response.set_error(v1::ERROR_CODE_INVALID_ARGUMENT);
}

v1::ErrorCode set_ext_option(const ExtSocket& socket, const v1::ExtSetOptionRequest& request) {
  const int fd = socket.fd;
  const std::uint64_t value = request.value();
  const bool flag = value == 1;
  const std::uint64_t max_byte = std::numeric_limits<std::uint8_t>::max();
  switch (request.option()) {
    case v1::EXT_OPTION_LINGER:
      if (request.none()) return error_of(ext::set_linger(fd, std::nullopt));
      return error_of(ext::set_linger(fd, value));
    case v1::EXT_OPTION_TRAFFIC_CLASS:
      if (!fits(value, max_byte)) return v1::ERROR_CODE_INVALID_ARGUMENT;
      return error_of(ext::set_traffic_class(fd, socket.family, static_cast<std::uint8_t>(value)));
    case v1::EXT_OPTION_MULTICAST_HOP_LIMIT:
      if (!fits(value, max_byte)) return v1::ERROR_CODE_INVALID_ARGUMENT;
      return error_of(
          ext::set_multicast_hop_limit(fd, socket.family, static_cast<std::uint8_t>(value)));
    case v1::EXT_OPTION_MULTICAST_INTERFACE:
      if (socket.udp == nullptr || !fits(value, std::numeric_limits<std::uint32_t>::max())) {
        return v1::ERROR_CODE_INVALID_ARGUMENT;
      }
      return error_of(socket.udp->set_multicast_interface(static_cast<std::uint32_t>(value)));
    case v1::EXT_OPTION_BYTES_AVAILABLE:
      return v1::ERROR_CODE_INVALID_ARGUMENT;  // a getter only
    default:
      break;
  }
  // The rest are booleans.
  if (!fits(value, 1)) return v1::ERROR_CODE_INVALID_ARGUMENT;
  switch (request.option()) {
    case v1::EXT_OPTION_NO_DELAY:
      return error_of(ext::set_no_delay(fd, flag));
    case v1::EXT_OPTION_CORK:
      return error_of(ext::set_cork(fd, flag));
    case v1::EXT_OPTION_BROADCAST:
      return error_of(ext::set_broadcast(fd, flag));
    case v1::EXT_OPTION_MULTICAST_LOOPBACK:
      return error_of(ext::set_multicast_loopback(fd, socket.family, flag));
    default:
      break;
  }
  // Options that shape the bind itself.
  if (socket.family == sockets::Family::ipv4 && request.option() == v1::EXT_OPTION_IPV6_ONLY) {
    return v1::ERROR_CODE_NOT_SUPPORTED;
  }
  if (!socket.unbound) return v1::ERROR_CODE_INVALID_STATE;
  switch (request.option()) {
    case v1::EXT_OPTION_IPV6_ONLY:
      return error_of(ext::set_ipv6_only(fd, socket.family, flag));
    case v1::EXT_OPTION_REUSE_ADDRESS:
      return error_of(ext::set_reuse_address(fd, flag));
    case v1::EXT_OPTION_REUSE_PORT:
      return error_of(ext::set_reuse_port(fd, flag));
    default:
      return v1::ERROR_CODE_INVALID_ARGUMENT;
  }
}

}  // namespace wasi_socketd::daemon
