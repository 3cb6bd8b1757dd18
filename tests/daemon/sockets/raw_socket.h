// A plain blocking kernel socket for the far end of a test connection, so tests can observe
// exactly what reached the wire (EOF, reset, every byte) without going through the code under test.
#pragma once

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <utility>
#include <vector>

#include "sockets/socket_address.h"

namespace wasi_socketd::sockets::testing {

class RawSocket {
 public:
  explicit RawSocket(int fd) : fd_(fd) {}
  RawSocket(RawSocket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;
  RawSocket& operator=(RawSocket&& other) noexcept {
    if (this != &other) {
      close();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~RawSocket() { close(); }

  static RawSocket connect_to(const SocketAddress& remote, int type = SOCK_STREAM) {
    RawSocket socket(::socket(to_native(remote.family()), type, 0));
    sockaddr_storage storage;
    const socklen_t length = to_sockaddr(remote, storage);
    if (::connect(socket.fd_, reinterpret_cast<const sockaddr*>(&storage), length) != 0) {
      socket.close();
    }
    return socket;
  }

  // A listener on loopback with a kernel-chosen port.
  static RawSocket listen_on(Family family) {
    RawSocket socket(::socket(to_native(family), SOCK_STREAM, 0));
    SocketAddress local;
    local.ip = family == Family::ipv4
                   ? boost::asio::ip::address(boost::asio::ip::address_v4::loopback())
                   : boost::asio::ip::address(boost::asio::ip::address_v6::loopback());
    sockaddr_storage storage;
    const socklen_t length = to_sockaddr(local, storage);
    if (::bind(socket.fd_, reinterpret_cast<const sockaddr*>(&storage), length) != 0 ||
        ::listen(socket.fd_, 16) != 0) {
      socket.close();
    }
    return socket;
  }

  RawSocket accept() { return RawSocket(::accept(fd_, nullptr, nullptr)); }

  SocketAddress local_address() const {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&storage), &length);
    return from_sockaddr(reinterpret_cast<const sockaddr*>(&storage), length)
        .value_or(SocketAddress{});
  }

  int fd() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

  bool send_all(const std::vector<std::byte>& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }

  // Appends what is readable now. Returns 0 on EOF, -errno on error, else bytes read (or 1 when
  // nothing is there yet).
  int read_available(std::vector<std::byte>& into) {
    std::byte buffer[65536];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n > 0) {
      into.insert(into.end(), buffer, buffer + n);
      return static_cast<int>(n);
    }
    if (n == 0) return 0;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 1;
    return -errno;
  }

  // Close with an RST instead of a FIN.
  void reset() {
    const linger abortive{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
    close();
  }

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

inline std::vector<std::byte> pattern(std::size_t size) {
  std::vector<std::byte> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::byte>((i * 131 + 7) % 251);
  return bytes;
}

}  // namespace wasi_socketd::sockets::testing
