// IP socket addresses as the WIT has them, their sockaddr forms, and the WIT's address rules.
//
// Plain values and pure functions; no threading concerns.
#pragma once

#include <sys/socket.h>

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>

#include "error_code.h"

namespace wasi_socketd::sockets {

// WIT `ip-address-family`.
enum class Family { ipv4, ipv6 };

// WIT `ip-socket-address`. flow_info and scope_id only mean something for IPv6 (they are the
// sin6_flowinfo / sin6_scope_id fields); `ip`'s own scope id is not used.
struct SocketAddress {
  boost::asio::ip::address ip;
  std::uint16_t port = 0;
  std::uint32_t flow_info = 0;
  std::uint32_t scope_id = 0;

  Family family() const { return ip.is_v4() ? Family::ipv4 : Family::ipv6; }
  friend bool operator==(const SocketAddress&, const SocketAddress&) = default;
};

int to_native(Family family);  // AF_INET / AF_INET6

// 0.0.0.0 or :: with the given port.
SocketAddress unspecified_address(Family family, std::uint16_t port = 0);

// Fills `storage`, returns the length to pass to bind/connect/sendto.
socklen_t to_sockaddr(const SocketAddress& address, sockaddr_storage& storage);

// nullopt for anything but AF_INET / AF_INET6 (or a too short length).
std::optional<SocketAddress> from_sockaddr(const sockaddr* address, socklen_t length);

bool is_ipv4_mapped(const boost::asio::ip::address& ip);
// Neither multicast nor (IPv4) limited broadcast.
bool is_unicast(const boost::asio::ip::address& ip);

// The WIT rules, each returning invalid-argument when broken:
// - bind (TCP and UDP): family matches the socket, unicast, not IPv4-mapped IPv6.
Result<void> validate_bind_address(Family socket_family, const SocketAddress& local);
// - TCP start-connect: as bind, plus not the unspecified address and port != 0.
Result<void> validate_connect_address(Family socket_family, const SocketAddress& remote);
// - UDP bind: family matches, not IPv4-mapped IPv6 (multicast groups may be bound).
Result<void> validate_udp_bind_address(Family socket_family, const SocketAddress& local);
// - UDP stream(some(remote)) and an explicit send remote: family matches, not IPv4-mapped,
//   not the unspecified address, port != 0 (broadcast and multicast peers are allowed).
Result<void> validate_udp_remote_address(Family socket_family, const SocketAddress& remote);

}  // namespace wasi_socketd::sockets
