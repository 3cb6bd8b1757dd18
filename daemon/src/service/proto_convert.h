// The one place where wire types (wasi_socketd.v1) and socket-core types meet: error codes,
// address families, IP addresses and socket addresses. Pure functions, any thread.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <optional>

#include "sockets/error_code.h"
#include "sockets/socket_address.h"
#include "wasi_socketd/v1/network.pb.h"

namespace wasi_socketd::daemon {

v1::ErrorCode to_proto(sockets::ErrorCode error);
// UNSPECIFIED for success, the error otherwise.
template <class T>
v1::ErrorCode error_of(const sockets::Result<T>& result) {
  return result ? v1::ERROR_CODE_UNSPECIFIED : to_proto(result.error());
}

v1::IpAddressFamily to_proto(sockets::Family family);
// nullopt for UNSPECIFIED and unknown values.
std::optional<sockets::Family> family_from_proto(v1::IpAddressFamily family);

v1::IpAddress to_proto(const boost::asio::ip::address& ip);
v1::IpSocketAddress to_proto(const sockets::SocketAddress& address);

// invalid-argument unless the family is IPv4 with 4 octets or IPv6 with 16, and port <= 65535.
// flow_info and scope_id are kept for IPv6 only.
sockets::Result<sockets::SocketAddress> from_proto(const v1::IpSocketAddress& address);

}  // namespace wasi_socketd::daemon
