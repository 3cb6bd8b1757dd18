#include "socket_options.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <limits>

#include "errno_map.h"
#include "wasi_socketd/option_rules.h"

namespace wasi_socketd::sockets::options {
namespace {

// Whole seconds the kernel keeps for a WIT duration (the rule the client predicts with).
int clamp_to_seconds(std::uint64_t nanoseconds) {
  return static_cast<int>(keep_alive_seconds(nanoseconds));
}

// Linux doubles the size given to SO_RCVBUF/SO_SNDBUF (bookkeeping overhead) and reports the
// doubled value; halving it reads back what the application set.
Result<std::uint64_t> get_buffer_size(int fd, int name) {
  auto value = get_int(fd, SOL_SOCKET, name);
  if (!value) return value.error();
  return static_cast<std::uint64_t>(std::max(*value, 0)) / 2;
}

Result<void> set_buffer_size(int fd, int name, std::uint64_t value) {
  if (value == 0) return ErrorCode::invalid_argument;
  const auto clamped =
      static_cast<int>(std::min<std::uint64_t>(value, std::numeric_limits<int>::max() / 2));
  auto result = set_int(fd, SOL_SOCKET, name, clamped);
  // The size is a hint: a kernel that refuses a large value is treated as having clamped it.
  if (!result && result.error() == ErrorCode::out_of_memory) return {};
  return result;
}

}  // namespace

Result<int> get_int(int fd, int level, int name) {
  int value = 0;
  socklen_t length = sizeof value;
  if (::getsockopt(fd, level, name, &value, &length) != 0) {
    return error_from_errno(SocketOperation::option, errno);
  }
  return value;
}

Result<void> set_int(int fd, int level, int name, int value) {
  if (::setsockopt(fd, level, name, &value, sizeof value) != 0) {
    return error_from_errno(SocketOperation::option, errno);
  }
  return {};
}

Result<std::uint8_t> hop_limit(int fd, Family family) {
  auto value = family == Family::ipv4 ? get_int(fd, IPPROTO_IP, IP_TTL)
                                      : get_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS);
  if (!value) return value.error();
  if (*value < 0 || *value > 255) return ErrorCode::not_supported;
  return static_cast<std::uint8_t>(*value);
}

Result<void> set_hop_limit(int fd, Family family, std::uint8_t value) {
  // Checked here: Linux itself is not consistent between IPv4 and IPv6 about 0.
  if (value == 0) return ErrorCode::invalid_argument;
  return family == Family::ipv4 ? set_int(fd, IPPROTO_IP, IP_TTL, value)
                                : set_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, value);
}

Result<std::uint64_t> receive_buffer_size(int fd) { return get_buffer_size(fd, SO_RCVBUF); }
Result<void> set_receive_buffer_size(int fd, std::uint64_t value) {
  return set_buffer_size(fd, SO_RCVBUF, value);
}
Result<std::uint64_t> send_buffer_size(int fd) { return get_buffer_size(fd, SO_SNDBUF); }
Result<void> set_send_buffer_size(int fd, std::uint64_t value) {
  return set_buffer_size(fd, SO_SNDBUF, value);
}

Result<bool> keep_alive_enabled(int fd) {
  auto value = get_int(fd, SOL_SOCKET, SO_KEEPALIVE);
  if (!value) return value.error();
  return *value != 0;
}

Result<void> set_keep_alive_enabled(int fd, bool value) {
  return set_int(fd, SOL_SOCKET, SO_KEEPALIVE, value ? 1 : 0);
}

Result<std::uint64_t> keep_alive_idle_time(int fd) {
  auto value = get_int(fd, IPPROTO_TCP, TCP_KEEPIDLE);
  if (!value) return value.error();
  return static_cast<std::uint64_t>(std::max(*value, 0)) * kNanosPerSecond;
}

Result<void> set_keep_alive_idle_time(int fd, std::uint64_t nanoseconds) {
  if (nanoseconds == 0) return ErrorCode::invalid_argument;
  return set_int(fd, IPPROTO_TCP, TCP_KEEPIDLE, clamp_to_seconds(nanoseconds));
}

Result<std::uint64_t> keep_alive_interval(int fd) {
  auto value = get_int(fd, IPPROTO_TCP, TCP_KEEPINTVL);
  if (!value) return value.error();
  return static_cast<std::uint64_t>(std::max(*value, 0)) * kNanosPerSecond;
}

Result<void> set_keep_alive_interval(int fd, std::uint64_t nanoseconds) {
  if (nanoseconds == 0) return ErrorCode::invalid_argument;
  return set_int(fd, IPPROTO_TCP, TCP_KEEPINTVL, clamp_to_seconds(nanoseconds));
}

Result<std::uint32_t> keep_alive_count(int fd) {
  auto value = get_int(fd, IPPROTO_TCP, TCP_KEEPCNT);
  if (!value) return value.error();
  return static_cast<std::uint32_t>(std::max(*value, 0));
}

Result<void> set_keep_alive_count(int fd, std::uint32_t value) {
  if (value == 0) return ErrorCode::invalid_argument;
  return set_int(fd, IPPROTO_TCP, TCP_KEEPCNT,
                 static_cast<int>(wasi_socketd::keep_alive_count(value)));
}

}  // namespace wasi_socketd::sockets::options
