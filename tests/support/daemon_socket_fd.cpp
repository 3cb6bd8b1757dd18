#include "daemon_socket_fd.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace wasi_socketd::testing {
namespace {

// The port of an AF_INET/AF_INET6 address, or nullopt.
std::optional<std::uint32_t> port_of(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  }
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  }
  return std::nullopt;
}

}  // namespace

std::optional<int> daemon_socket_fd(pid_t daemon, const std::function<bool(int fd)>& match) {
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, daemon, 0));
  if (pidfd < 0) return std::nullopt;
  std::optional<int> found;
  for (const auto& entry :
       std::filesystem::directory_iterator("/proc/" + std::to_string(daemon) + "/fd")) {
    const int target = std::stoi(entry.path().filename().string());
    const int fd = static_cast<int>(::syscall(SYS_pidfd_getfd, pidfd, target, 0));
    if (fd < 0) continue;
    if (match(fd)) {
      found = fd;
      break;
    }
    ::close(fd);
  }
  ::close(pidfd);
  return found;
}

std::optional<int> daemon_socket_to(pid_t daemon, std::uint32_t peer_port) {
  return daemon_socket_fd(daemon, [peer_port](int fd) {
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    return ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) == 0 &&
           port_of(peer) == peer_port;
  });
}

std::optional<int> daemon_socket_at(pid_t daemon, std::uint32_t local_port) {
  return daemon_socket_fd(daemon, [local_port](int fd) {
    sockaddr_storage local{};
    socklen_t length = sizeof local;
    return ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) == 0 &&
           port_of(local) == local_port;
  });
}

}  // namespace wasi_socketd::testing
