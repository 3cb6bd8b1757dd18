// The daemon's own socket fds, duplicated into the test process with pidfd_getfd (the test is the
// daemon's parent), to check from outside what the daemon did to a kernel socket.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <optional>

namespace wasi_socketd::testing {

// The first of the daemon's fds for which `match(fd)` holds (the caller owns the duplicate);
// nullopt if none matches or the kernel does not let us look.
std::optional<int> daemon_socket_fd(pid_t daemon, const std::function<bool(int fd)>& match);

// The daemon's IPv4 or IPv6 socket connected to the loopback peer port `peer_port`.
std::optional<int> daemon_socket_to(pid_t daemon, std::uint32_t peer_port);
// The daemon's socket bound to local port `local_port` (either family, any type).
std::optional<int> daemon_socket_at(pid_t daemon, std::uint32_t local_port);

}  // namespace wasi_socketd::testing
