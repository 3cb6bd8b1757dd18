#include "loopback_acceptor.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace wasi_socketd::bench {

LoopbackAcceptor::LoopbackAcceptor() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(fd_, 4096) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::perror("listener");
    std::exit(1);
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] {
    for (;;) {
      const int fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;  // shutdown() in the destructor
      const std::lock_guard lock(mutex_);
      accepted_.push_back(fd);
    }
  });
}

LoopbackAcceptor::~LoopbackAcceptor() {
  ::shutdown(fd_, SHUT_RDWR);
  thread_.join();
  ::close(fd_);
  for (int fd : accepted_) ::close(fd);
}

std::size_t LoopbackAcceptor::count() const {
  const std::lock_guard lock(mutex_);
  return accepted_.size();
}

int LoopbackAcceptor::connection(std::size_t i) const {
  const std::lock_guard lock(mutex_);
  return accepted_.at(i);
}

bool LoopbackAcceptor::wait_for(std::size_t n, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (count() < n) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace wasi_socketd::bench
