#include "socket_address.h"

#include <netinet/in.h>

#include <cstring>

namespace wasi_socketd::sockets {

namespace ip = boost::asio::ip;

int to_native(Family family) { return family == Family::ipv4 ? AF_INET : AF_INET6; }

SocketAddress unspecified_address(Family family, std::uint16_t port) {
  SocketAddress address;
  address.ip = family == Family::ipv4 ? ip::address(ip::address_v4::any())
                                      : ip::address(ip::address_v6::any());
  address.port = port;
  return address;
}

socklen_t to_sockaddr(const SocketAddress& address, sockaddr_storage& storage) {
  std::memset(&storage, 0, sizeof storage);
  if (address.ip.is_v4()) {
    auto& in = reinterpret_cast<sockaddr_in&>(storage);
    in.sin_family = AF_INET;
    in.sin_port = htons(address.port);
    const auto bytes = address.ip.to_v4().to_bytes();
    std::memcpy(&in.sin_addr, bytes.data(), bytes.size());
    return sizeof in;
  }
  auto& in6 = reinterpret_cast<sockaddr_in6&>(storage);
  in6.sin6_family = AF_INET6;
  in6.sin6_port = htons(address.port);
  in6.sin6_flowinfo = htonl(address.flow_info);
  in6.sin6_scope_id = address.scope_id;
  const auto bytes = address.ip.to_v6().to_bytes();
  std::memcpy(&in6.sin6_addr, bytes.data(), bytes.size());
  return sizeof in6;
}

std::optional<SocketAddress> from_sockaddr(const sockaddr* address, socklen_t length) {
  if (address == nullptr) return std::nullopt;
  SocketAddress result;
  if (address->sa_family == AF_INET && length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    sockaddr_in in;
    std::memcpy(&in, address, sizeof in);
    ip::address_v4::bytes_type bytes;
    std::memcpy(bytes.data(), &in.sin_addr, bytes.size());
    result.ip = ip::address_v4(bytes);
    result.port = ntohs(in.sin_port);
    return result;
  }
  if (address->sa_family == AF_INET6 && length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    sockaddr_in6 in6;
    std::memcpy(&in6, address, sizeof in6);
    ip::address_v6::bytes_type bytes;
    std::memcpy(bytes.data(), &in6.sin6_addr, bytes.size());
    result.ip = ip::address_v6(bytes);
    result.port = ntohs(in6.sin6_port);
    result.flow_info = ntohl(in6.sin6_flowinfo);
    result.scope_id = in6.sin6_scope_id;
    return result;
  }
  return std::nullopt;
}

bool is_ipv4_mapped(const ip::address& address) {
  return address.is_v6() && address.to_v6().is_v4_mapped();
}

bool is_unicast(const ip::address& address) {
  if (address.is_v4()) {
    const auto v4 = address.to_v4();
    return !v4.is_multicast() && v4 != ip::address_v4::broadcast();
  }
  return !address.to_v6().is_multicast();
}

namespace {

// IPv4-compatible IPv6 addresses (::a.b.c.d) are deprecated and handled inconsistently by
// kernels; the reference host refuses them like IPv4-mapped ones.
bool is_ipv4_compatible(const ip::address& address) {
  if (!address.is_v6()) return false;
  const auto v6 = address.to_v6();
  if (v6.is_unspecified() || v6.is_loopback()) return false;
  const auto bytes = v6.to_bytes();
  for (int i = 0; i < 12; ++i) {
    if (bytes[i] != 0) return false;
  }
  return true;
}

bool family_matches(Family socket_family, const ip::address& address) {
  if (address.is_v4()) return socket_family == Family::ipv4;
  return socket_family == Family::ipv6 && !is_ipv4_mapped(address) && !is_ipv4_compatible(address);
}

}  // namespace

Result<void> validate_bind_address(Family socket_family, const SocketAddress& local) {
  if (!family_matches(socket_family, local.ip) || !is_unicast(local.ip)) {
    return ErrorCode::invalid_argument;
  }
  return {};
}

Result<void> validate_connect_address(Family socket_family, const SocketAddress& remote) {
  if (!family_matches(socket_family, remote.ip) || !is_unicast(remote.ip) ||
      remote.ip.is_unspecified() || remote.port == 0) {
    return ErrorCode::invalid_argument;
  }
  return {};
}

Result<void> validate_udp_bind_address(Family socket_family, const SocketAddress& local) {
  if (!family_matches(socket_family, local.ip)) return ErrorCode::invalid_argument;
  return {};
}

Result<void> validate_udp_remote_address(Family socket_family, const SocketAddress& remote) {
  if (!family_matches(socket_family, remote.ip) || remote.ip.is_unspecified() || remote.port == 0) {
    return ErrorCode::invalid_argument;
  }
  return {};
}

}  // namespace wasi_socketd::sockets
