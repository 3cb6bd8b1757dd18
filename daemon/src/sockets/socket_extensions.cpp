#include "socket_extensions.h"

#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <limits>

#include "errno_map.h"
#include "socket_options.h"
#include "wasi_socketd/option_rules.h"

namespace wasi_socketd::sockets::extensions {
namespace {

using options::get_int;
using options::set_int;

Result<bool> get_flag(int fd, int level, int name) {
  auto value = get_int(fd, level, name);
  if (!value) return value.error();
  return *value != 0;
}

Result<void> set_flag(int fd, int level, int name, bool value) {
  return set_int(fd, level, name, value ? 1 : 0);
}

// An IPv4 socket has no IPv6 options (and an IPv6 one is asked at the IPv6 level).
int level_of(Family family) { return family == Family::ipv4 ? IPPROTO_IP : IPPROTO_IPV6; }

Result<std::uint8_t> get_byte(int fd, int level, int name) {
  auto value = get_int(fd, level, name);
  if (!value) return value.error();
  if (*value < 0 || *value > 255) return ErrorCode::not_supported;
  return static_cast<std::uint8_t>(*value);
}

Result<void> change_membership(int fd, Family family, const boost::asio::ip::address& group,
                               std::uint32_t interface_index, bool join) {
  if (!group.is_multicast() || (group.is_v4() != (family == Family::ipv4))) {
    return ErrorCode::invalid_argument;
  }
  int result = 0;
  if (family == Family::ipv4) {
    ip_mreqn request{};
    const auto octets = group.to_v4().to_bytes();
    std::memcpy(&request.imr_multiaddr.s_addr, octets.data(), octets.size());
    request.imr_address.s_addr = htonl(INADDR_ANY);
    request.imr_ifindex = static_cast<int>(interface_index);
    result = ::setsockopt(fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &request,
                          sizeof request);
  } else {
    ipv6_mreq request{};
    const auto octets = group.to_v6().to_bytes();
    std::memcpy(request.ipv6mr_multiaddr.s6_addr, octets.data(), octets.size());
    request.ipv6mr_interface = interface_index;
    result = ::setsockopt(fd, IPPROTO_IPV6, join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP,
                          &request, sizeof request);
  }
  if (result != 0) return error_from_errno(SocketOperation::multicast_membership, errno);
  return {};
}

}  // namespace

Result<bool> no_delay(int fd) { return get_flag(fd, IPPROTO_TCP, TCP_NODELAY); }
Result<void> set_no_delay(int fd, bool value) {
  return set_flag(fd, IPPROTO_TCP, TCP_NODELAY, value);
}
Result<bool> cork(int fd) { return get_flag(fd, IPPROTO_TCP, TCP_CORK); }
Result<void> set_cork(int fd, bool value) { return set_flag(fd, IPPROTO_TCP, TCP_CORK, value); }

Result<bool> ipv6_only(int fd, Family family) {
  if (family != Family::ipv6) return ErrorCode::not_supported;
  return get_flag(fd, IPPROTO_IPV6, IPV6_V6ONLY);
}

Result<void> set_ipv6_only(int fd, Family family, bool value) {
  if (family != Family::ipv6) return ErrorCode::not_supported;
  return set_flag(fd, IPPROTO_IPV6, IPV6_V6ONLY, value);
}

Result<std::optional<std::uint64_t>> linger(int fd) {
  ::linger value{};
  socklen_t length = sizeof value;
  if (::getsockopt(fd, SOL_SOCKET, SO_LINGER, &value, &length) != 0) {
    return error_from_errno(SocketOperation::option, errno);
  }
  if (value.l_onoff == 0) return std::optional<std::uint64_t>{};
  return std::optional<std::uint64_t>{static_cast<std::uint64_t>(value.l_linger) * kNanosPerSecond};
}

Result<void> set_linger(int fd, std::optional<std::uint64_t> nanoseconds) {
  const std::uint64_t seconds = nanoseconds && *nanoseconds != 0 ? linger_seconds(*nanoseconds) : 0;
  const ::linger value{nanoseconds ? 1 : 0, static_cast<int>(seconds)};
  if (::setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, sizeof value) != 0) {
    return error_from_errno(SocketOperation::option, errno);
  }
  return {};
}

Result<std::uint8_t> traffic_class(int fd, Family family) {
  return get_byte(fd, level_of(family), family == Family::ipv4 ? IP_TOS : IPV6_TCLASS);
}

Result<void> set_traffic_class(int fd, Family family, std::uint8_t value) {
  return set_int(fd, level_of(family), family == Family::ipv4 ? IP_TOS : IPV6_TCLASS, value);
}

Result<std::uint64_t> bytes_available(int fd) {
  int value = 0;
  if (::ioctl(fd, FIONREAD, &value) != 0) return error_from_errno(SocketOperation::option, errno);
  return static_cast<std::uint64_t>(value < 0 ? 0 : value);
}

Result<bool> broadcast(int fd) { return get_flag(fd, SOL_SOCKET, SO_BROADCAST); }
Result<void> set_broadcast(int fd, bool value) {
  return set_flag(fd, SOL_SOCKET, SO_BROADCAST, value);
}
Result<bool> reuse_address(int fd) { return get_flag(fd, SOL_SOCKET, SO_REUSEADDR); }
Result<void> set_reuse_address(int fd, bool value) {
  return set_flag(fd, SOL_SOCKET, SO_REUSEADDR, value);
}
Result<bool> reuse_port(int fd) { return get_flag(fd, SOL_SOCKET, SO_REUSEPORT); }
Result<void> set_reuse_port(int fd, bool value) {
  return set_flag(fd, SOL_SOCKET, SO_REUSEPORT, value);
}

Result<void> join_multicast_group(int fd, Family family, const boost::asio::ip::address& group,
                                  std::uint32_t interface_index) {
  return change_membership(fd, family, group, interface_index, true);
}

Result<void> leave_multicast_group(int fd, Family family, const boost::asio::ip::address& group,
                                   std::uint32_t interface_index) {
  return change_membership(fd, family, group, interface_index, false);
}

Result<std::uint8_t> multicast_hop_limit(int fd, Family family) {
  return get_byte(fd, level_of(family),
                  family == Family::ipv4 ? IP_MULTICAST_TTL : IPV6_MULTICAST_HOPS);
}

Result<void> set_multicast_hop_limit(int fd, Family family, std::uint8_t value) {
  if (value == 0) return ErrorCode::invalid_argument;  // as 0.2's unicast-hop-limit
  return set_int(fd, level_of(family),
                 family == Family::ipv4 ? IP_MULTICAST_TTL : IPV6_MULTICAST_HOPS, value);
}

Result<bool> multicast_loopback(int fd, Family family) {
  return get_flag(fd, level_of(family),
                  family == Family::ipv4 ? IP_MULTICAST_LOOP : IPV6_MULTICAST_LOOP);
}

Result<void> set_multicast_loopback(int fd, Family family, bool value) {
  return set_flag(fd, level_of(family),
                  family == Family::ipv4 ? IP_MULTICAST_LOOP : IPV6_MULTICAST_LOOP, value);
}

Result<void> set_multicast_interface(int fd, Family family, std::uint32_t interface_index) {
  if (interface_index > static_cast<std::uint32_t>(std::numeric_limits<int>::max())) {
    return ErrorCode::invalid_argument;
  }
  int result = 0;
  if (family == Family::ipv4) {
    ip_mreqn request{};
    request.imr_ifindex = static_cast<int>(interface_index);
    result = ::setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &request, sizeof request);
  } else {
    const int index = static_cast<int>(interface_index);
    result = ::setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &index, sizeof index);
  }
  if (result != 0) return error_from_errno(SocketOperation::multicast_membership, errno);
  return {};
}

}  // namespace wasi_socketd::sockets::extensions
