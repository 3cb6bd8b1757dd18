#include "daemon_sockets.h"

#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace wasi_socketd::testing {

namespace {

std::uint16_t port_of(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  }
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  }
  return 0;
}

int get_int(int fd, int level, int name) {
  int value = 0;
  socklen_t length = sizeof value;
  EXPECT_EQ(::getsockopt(fd, level, name, &value, &length), 0) << "getsockopt " << name;
  return value;
}

std::uint64_t hop_limit(int fd, client::AddressFamily family) {
  return static_cast<std::uint64_t>(family == client::AddressFamily::kIpv4
                                        ? get_int(fd, IPPROTO_IP, IP_TTL)
                                        : get_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS));
}

std::uint64_t half(int value) { return static_cast<std::uint64_t>(value) / 2; }

constexpr std::uint64_t kNanos = 1'000'000'000;

}  // namespace

DaemonSockets::DaemonSockets(pid_t daemon)
    : daemon_(daemon), pidfd_(static_cast<int>(::syscall(SYS_pidfd_open, daemon, 0))) {
  EXPECT_GE(pidfd_, 0) << "pidfd_open";
}

DaemonSockets::~DaemonSockets() {
  for (int fd : duplicates_) ::close(fd);
  if (pidfd_ >= 0) ::close(pidfd_);
}

int DaemonSockets::find(int type, std::uint16_t local_port, std::uint16_t peer_port) {
  const std::string dir = "/proc/" + std::to_string(daemon_) + "/fd";
  DIR* entries = ::opendir(dir.c_str());
  if (entries == nullptr) {
    ADD_FAILURE() << "cannot list " << dir;
    return -1;
  }
  int found = -1;
  while (const dirent* entry = ::readdir(entries)) {
    char* end = nullptr;
    const long number = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0') continue;
    const int fd = static_cast<int>(::syscall(SYS_pidfd_getfd, pidfd_, number, 0));
    if (fd < 0) continue;
    int socket_type = 0;
    socklen_t length = sizeof socket_type;
    const bool match = ::getsockopt(fd, SOL_SOCKET, SO_TYPE, &socket_type, &length) == 0 &&
                       socket_type == type && kernel_local_port(fd) == local_port &&
                       (peer_port == 0 || kernel_peer_port(fd) == peer_port);
    if (match && found < 0) {
      found = fd;
      duplicates_.push_back(fd);
    } else {
      ::close(fd);
    }
  }
  ::closedir(entries);
  EXPECT_GE(found, 0) << "no broker socket on port " << local_port;
  return found;
}

std::uint16_t kernel_local_port(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  return port_of(address);
}

std::uint16_t kernel_peer_port(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  return port_of(address);
}

std::uint64_t kernel_answer(int fd, client::AddressFamily family, client::TcpOption option) {
  switch (option) {
    case client::TcpOption::kKeepAliveEnabled:
      return get_int(fd, SOL_SOCKET, SO_KEEPALIVE) != 0 ? 1 : 0;
    case client::TcpOption::kKeepAliveIdleTime:
      return static_cast<std::uint64_t>(get_int(fd, IPPROTO_TCP, TCP_KEEPIDLE)) * kNanos;
    case client::TcpOption::kKeepAliveInterval:
      return static_cast<std::uint64_t>(get_int(fd, IPPROTO_TCP, TCP_KEEPINTVL)) * kNanos;
    case client::TcpOption::kKeepAliveCount:
      return static_cast<std::uint64_t>(get_int(fd, IPPROTO_TCP, TCP_KEEPCNT));
    case client::TcpOption::kHopLimit:
      return hop_limit(fd, family);
    case client::TcpOption::kReceiveBufferSize:
      return half(get_int(fd, SOL_SOCKET, SO_RCVBUF));
    case client::TcpOption::kSendBufferSize:
      return half(get_int(fd, SOL_SOCKET, SO_SNDBUF));
    case client::TcpOption::kListenBacklogSize:
      break;
  }
  ADD_FAILURE() << "no getter";
  return 0;
}

std::uint64_t kernel_answer(int fd, client::AddressFamily family, client::UdpOption option) {
  switch (option) {
    case client::UdpOption::kUnicastHopLimit:
      return hop_limit(fd, family);
    case client::UdpOption::kReceiveBufferSize:
      return half(get_int(fd, SOL_SOCKET, SO_RCVBUF));
    case client::UdpOption::kSendBufferSize:
      return half(get_int(fd, SOL_SOCKET, SO_SNDBUF));
  }
  return 0;
}

}  // namespace wasi_socketd::testing
