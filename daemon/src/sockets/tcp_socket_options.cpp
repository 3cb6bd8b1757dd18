// TcpSocket's option accessors: state checks here, the syscalls in socket_options.cpp.
// Linux lets an accepted socket inherit every one of these from its listener.
#include <sys/socket.h>

#include <algorithm>
#include <limits>

#include "socket_extensions.h"
#include "socket_options.h"
#include "tcp_socket.h"

namespace wasi_socketd::sockets {

Result<int> TcpSocket::option_fd() const {
  // Mid-connect and closed sockets have no options to speak of (as in the reference host).
  if (state_ == State::connect_in_progress || state_ == State::closed) {
    return ErrorCode::invalid_state;
  }
  return fd();
}

Result<void> TcpSocket::set_listen_backlog_size(std::uint64_t value) {
  strand_.assert_on_sequence();
  if (value == 0) return ErrorCode::invalid_argument;
  const auto backlog =
      static_cast<std::uint32_t>(std::min<std::uint64_t>(value, std::numeric_limits<int>::max()));
  switch (state_) {
    case State::connect_in_progress:
    case State::connected:
    case State::closed:
      return ErrorCode::invalid_state;
    case State::listen_in_progress:
    case State::listening:
      // Linux applies a new backlog when listen() is called again.
      if (::listen(fd(), static_cast<int>(backlog)) != 0) return ErrorCode::not_supported;
      break;
    default:
      break;
  }
  listen_backlog_ = backlog;
  return {};
}

namespace {

// Runs `call(fd)` if the socket is in a state with options, else returns that state's error.
template <class Call>
auto with_option_fd(Result<int> socket_fd, Call call) -> decltype(call(0)) {
  if (!socket_fd) return socket_fd.error();
  return call(*socket_fd);
}

}  // namespace

Result<bool> TcpSocket::keep_alive_enabled() const {
  strand_.assert_on_sequence();
  return with_option_fd(option_fd(), [&](int fd) { return options::keep_alive_enabled(fd); });
}
Result<void> TcpSocket::set_keep_alive_enabled(bool value) {
  strand_.assert_on_sequence();
  return with_option_fd(option_fd(),
                        [&](int fd) { return options::set_keep_alive_enabled(fd, value); });
}

Result<std::uint64_t> TcpSocket::keep_alive_idle_time() const {
  strand_.assert_on_sequence();
  return with_option_fd(option_fd(), [&](int fd) { return options::keep_alive_idle_time(fd); });
}
Result<void> TcpSocket::set_keep_alive_idle_time(std::uint64_t value) {
  strand_.assert_on_sequence();
  return with_option_fd(option_fd(),
                        [&](int fd) { return options::set_keep_alive_idle_time(fd, value); });
}

Result<std::uint64_t> TcpSocket::keep_alive_interval() const {
  strand_.assert_on_sequence();
  return with_option_fd(option_fd(), [&](int fd) { return options::keep_alive_interval(fd); });
}
Result<void> TcpSocket::set_keep_alive_interval(std::uint64_t value) {
  strand_.assert_on_sequence();
  return with_option_fd(option_fd(),
                        [&](int fd) { return options::set_keep_alive_interval(fd, value); });
}

Result<std::uint32_t> TcpSocket::keep_alive_count() const {
  strand_.assert_on_sequence();
  return with_option_fd(option_fd(), [&](int fd) { return options::keep_alive_count(fd); });
}
Result<void> TcpSocket::set_keep_alive_count(std::uint32_t value) {
  strand_.assert_on_sequence();
  return with_option_fd(option_fd(),
                        [&](int fd) { return options::set_keep_alive_count(fd, value); });
}

Result<std::uint8_t> TcpSocket::hop_limit() const {
  strand_.assert_on_sequence();
  return with_option_fd(option_fd(), [&](int fd) { return options::hop_limit(fd, family_); });
}
Result<void> TcpSocket::set_hop_limit(std::uint8_t value) {
  strand_.assert_on_sequence();
  return with_option_fd(option_fd(),
                        [&](int fd) { return options::set_hop_limit(fd, family_, value); });
}

Result<std::uint64_t> TcpSocket::receive_buffer_size() const {
  strand_.assert_on_sequence();
  return with_option_fd(option_fd(), [&](int fd) { return options::receive_buffer_size(fd); });
}
Result<void> TcpSocket::set_receive_buffer_size(std::uint64_t value) {
  strand_.assert_on_sequence();
  return with_option_fd(option_fd(),
                        [&](int fd) { return options::set_receive_buffer_size(fd, value); });
}

Result<std::uint64_t> TcpSocket::send_buffer_size() const {
  strand_.assert_on_sequence();
  return with_option_fd(option_fd(), [&](int fd) { return options::send_buffer_size(fd); });
}
Result<void> TcpSocket::set_send_buffer_size(std::uint64_t value) {
  strand_.assert_on_sequence();
  return with_option_fd(option_fd(),
                        [&](int fd) { return options::set_send_buffer_size(fd, value); });
}

Result<std::optional<std::uint64_t>> TcpSocket::linger() const {
  strand_.assert_on_sequence();
  return with_option_fd(option_fd(), extensions::linger);
}

}  // namespace wasi_socketd::sockets
