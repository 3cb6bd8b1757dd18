#include "proto_convert.h"

#include <cstring>

#include "wasi_socketd/error_code_wire.h"

namespace wasi_socketd::daemon {

namespace ip = boost::asio::ip;

v1::ErrorCode to_proto(sockets::ErrorCode error) {
  return wire::to_wire(static_cast<std::size_t>(error));
}

v1::IpAddressFamily to_proto(sockets::Family family) {
  return family == sockets::Family::ipv4 ? v1::IP_ADDRESS_FAMILY_IPV4 : v1::IP_ADDRESS_FAMILY_IPV6;
}

std::optional<sockets::Family> family_from_proto(v1::IpAddressFamily family) {
  switch (family) {
    case v1::IP_ADDRESS_FAMILY_IPV4:
      return sockets::Family::ipv4;
    case v1::IP_ADDRESS_FAMILY_IPV6:
      return sockets::Family::ipv6;
    default:
      return std::nullopt;
  }
}

v1::IpAddress to_proto(const ip::address& address) {
  v1::IpAddress wire;
  if (address.is_v4()) {
    const ip::address_v4::bytes_type octets = address.to_v4().to_bytes();
    wire.set_family(v1::IP_ADDRESS_FAMILY_IPV4);
    wire.set_octets(octets.data(), octets.size());
  } else {
    const ip::address_v6::bytes_type octets = address.to_v6().to_bytes();
    wire.set_family(v1::IP_ADDRESS_FAMILY_IPV6);
    wire.set_octets(octets.data(), octets.size());
  }
  return wire;
}

v1::IpSocketAddress to_proto(const sockets::SocketAddress& address) {
  v1::IpSocketAddress wire;
  *wire.mutable_address() = to_proto(address.ip);
  wire.set_port(address.port);
  if (address.ip.is_v6()) {
    wire.set_flow_info(address.flow_info);
    wire.set_scope_id(address.scope_id);
  }
  return wire;
}

sockets::Result<sockets::SocketAddress> from_proto(const v1::IpSocketAddress& wire) {
  const std::string& octets = wire.address().octets();
  if (wire.port() > 0xffff) {
    return sockets::ErrorCode::invalid_argument;
  }
  sockets::SocketAddress address;
  address.port = static_cast<std::uint16_t>(wire.port());
  switch (wire.address().family()) {
    case v1::IP_ADDRESS_FAMILY_IPV4: {
      ip::address_v4::bytes_type bytes;
      if (octets.size() != bytes.size()) {
        return sockets::ErrorCode::invalid_argument;
      }
      std::memcpy(bytes.data(), octets.data(), bytes.size());
      address.ip = ip::address_v4(bytes);
      return address;
    }
    case v1::IP_ADDRESS_FAMILY_IPV6: {
      ip::address_v6::bytes_type bytes;
      if (octets.size() != bytes.size()) {
        return sockets::ErrorCode::invalid_argument;
      }
      std::memcpy(bytes.data(), octets.data(), bytes.size());
      address.ip = ip::address_v6(bytes);
      address.flow_info = wire.flow_info();
      address.scope_id = wire.scope_id();
      return address;
    }
    default:
      return sockets::ErrorCode::invalid_argument;
  }
}

}  // namespace wasi_socketd::daemon
