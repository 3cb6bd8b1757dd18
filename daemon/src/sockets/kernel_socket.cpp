#include "kernel_socket.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "errno_map.h"

namespace wasi_socketd::sockets {

Result<int> open_kernel_socket(Family family, int type) {
  const int fd = ::socket(to_native(family), type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return error_from_errno(SocketOperation::create, errno);
  if (family == Family::ipv6) {
    const int on = 1;
    if (::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on) != 0) {
      const int error = errno;
      ::close(fd);
      return error_from_errno(SocketOperation::create, error);
    }
  }
  return fd;
}

Result<SocketAddress> kernel_local_address(int fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
    return error_from_errno(SocketOperation::option, errno);
  }
  auto address = from_sockaddr(reinterpret_cast<const sockaddr*>(&storage), length);
  if (!address) return ErrorCode::unknown;
  return *address;
}

}  // namespace wasi_socketd::sockets
