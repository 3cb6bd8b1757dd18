// The options of wasi-socketd:sockets-ext (runtime-adapter/sockets-ext/wit/sockets-ext.wit) as
// syscalls on a socket fd. Values are checked and clamped as 0.2 does for its own options (a zero
// hop limit is invalid-argument); which socket kind and state may use which option is the
// caller's rule (daemon/src/service/ext_options.h), policy too.
//
// Free functions over a plain fd; callers provide the threading (the owning socket's strand).
// None of them blocks.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>

#include "error_code.h"
#include "socket_address.h"

namespace wasi_socketd::sockets::extensions {

Result<bool> no_delay(int fd);
Result<void> set_no_delay(int fd, bool value);
Result<bool> cork(int fd);
Result<void> set_cork(int fd, bool value);

// IPv4 sockets: not-supported.
Result<bool> ipv6_only(int fd, Family family);
Result<void> set_ipv6_only(int fd, Family family, bool value);

// SO_LINGER as the WIT's option<duration> in nanoseconds: none, some(0) (abortive close), or a
// positive time, kept in whole seconds (rounded up, clamped to 1..kMaxLingerSeconds,
// option_rules.h). The daemon never lets that time block a close(): graceful_linger.h.
Result<std::optional<std::uint64_t>> linger(int fd);
Result<void> set_linger(int fd, std::optional<std::uint64_t> nanoseconds);

// IP_TOS or IPV6_TCLASS.
Result<std::uint8_t> traffic_class(int fd, Family family);
Result<void> set_traffic_class(int fd, Family family, std::uint8_t value);

// FIONREAD: unread bytes (TCP) or the size of the next datagram (UDP).
Result<std::uint64_t> bytes_available(int fd);

Result<bool> broadcast(int fd);
Result<void> set_broadcast(int fd, bool value);
Result<bool> reuse_address(int fd);
Result<void> set_reuse_address(int fd, bool value);
Result<bool> reuse_port(int fd);
Result<void> set_reuse_port(int fd, bool value);

// `group` must be a multicast address of `family` (invalid-argument otherwise); interface 0 lets
// the kernel choose. Joining twice: address-in-use; leaving a group not joined or naming an
// unknown interface: invalid-argument.
Result<void> join_multicast_group(int fd, Family family, const boost::asio::ip::address& group,
                                  std::uint32_t interface_index);
Result<void> leave_multicast_group(int fd, Family family, const boost::asio::ip::address& group,
                                   std::uint32_t interface_index);

Result<std::uint8_t> multicast_hop_limit(int fd, Family family);
Result<void> set_multicast_hop_limit(int fd, Family family, std::uint8_t value);
Result<bool> multicast_loopback(int fd, Family family);
Result<void> set_multicast_loopback(int fd, Family family, bool value);
// IP_MULTICAST_IF (by index, ip_mreqn) / IPV6_MULTICAST_IF: the interface multicast datagrams
// leave by; 0 gives the choice back to the kernel's routes. An index that names no interface:
// invalid-argument. (Linux reads IPv4's back only as an address: the caller keeps the index.)
Result<void> set_multicast_interface(int fd, Family family, std::uint32_t interface_index);

}  // namespace wasi_socketd::sockets::extensions
