#include "keepalive_clients.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "loopback_address.h"

namespace wasi_socketd::bench {
namespace {

constexpr char kRequest[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

bool send_request(int fd) {
  const std::size_t length = sizeof kRequest - 1;
  return ::send(fd, kRequest, length, MSG_NOSIGNAL) == static_cast<ssize_t>(length);
}

// Reads one response (status line, headers, Content-Length body); true if it is a 200.
bool read_response(int fd) {
  std::string in;
  char buffer[4096];
  std::size_t head_end = std::string::npos;
  std::size_t body_length = 0;
  for (;;) {
    if (head_end == std::string::npos) {
      head_end = in.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const auto at = in.find("Content-Length:");
        if (at == std::string::npos || at > head_end) return false;
        body_length = std::strtoul(in.c_str() + at + 15, nullptr, 10);
      }
    }
    if (head_end != std::string::npos && in.size() >= head_end + 4 + body_length) {
      return in.size() == head_end + 4 + body_length && in.starts_with("HTTP/1.1 200 ");
    }
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);  // SO_RCVTIMEO bounds the wait
    if (n <= 0) return false;
    in.append(buffer, static_cast<std::size_t>(n));
  }
}

// Asks every connection in [first, last) once; returns how many were answered.
std::size_t ask(const std::vector<int>& fds, std::size_t first, std::size_t last) {
  std::vector<bool> sent(last - first);
  for (std::size_t i = first; i < last; ++i) sent[i - first] = send_request(fds[i]);
  std::size_t answered = 0;
  for (std::size_t i = first; i < last; ++i) {
    if (sent[i - first] && read_response(fds[i])) ++answered;
  }
  return answered;
}

int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
  const timeval timeout{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  const sockaddr_in address = loopback_address(port);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    throw std::runtime_error("connect: " + why);
  }
  return fd;
}

}  // namespace

KeepAliveClients::~KeepAliveClients() {
  const linger reset{1, 0};
  for (int fd : fds_) {
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    ::close(fd);
  }
}

void KeepAliveClients::open(std::uint16_t port, std::size_t count, std::size_t batch) {
  fds_.reserve(fds_.size() + count);
  for (std::size_t opened = 0; opened < count;) {
    const std::size_t first = fds_.size();
    const std::size_t n = std::min(batch, count - opened);
    for (std::size_t i = 0; i < n; ++i) fds_.push_back(connect_to(port));
    if (ask(fds_, first, fds_.size()) != n) {
      throw std::runtime_error("a new keep-alive connection was not answered (" +
                               std::to_string(first) + " held before it)");
    }
    opened += n;
  }
}

std::size_t KeepAliveClients::answering(std::size_t batch) {
  std::size_t answered = 0;
  for (std::size_t first = 0; first < fds_.size(); first += batch) {
    answered += ask(fds_, first, std::min(fds_.size(), first + batch));
  }
  return answered;
}

}  // namespace wasi_socketd::bench
