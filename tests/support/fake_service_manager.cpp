#include "fake_service_manager.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace wasi_socketd::testing {

FakeServiceManager::FakeServiceManager() {
  path_ = directory_.file("notify");
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path_.c_str(), sizeof address.sun_path - 1);
  if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("cannot bind the notify socket");
  }
}

FakeServiceManager::~FakeServiceManager() { ::close(fd_); }

std::optional<std::string> FakeServiceManager::next(std::chrono::milliseconds timeout) {
  pollfd waiting{fd_, POLLIN, 0};
  if (::poll(&waiting, 1, static_cast<int>(timeout.count())) != 1) return std::nullopt;
  char buffer[4096];
  const ssize_t length = ::recv(fd_, buffer, sizeof buffer, 0);
  if (length < 0) return std::nullopt;
  received_.emplace_back(buffer, static_cast<std::size_t>(length));
  return received_.back();
}

std::optional<std::string> FakeServiceManager::wait_for(const std::string& assignment,
                                                        std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto message = next(left);
    if (!message) return std::nullopt;
    if (has_line(*message, assignment)) return message;
  }
}

bool has_line(const std::string& message, const std::string& assignment) {
  std::istringstream lines(message);
  for (std::string line; std::getline(lines, line);) {
    if (line == assignment) return true;
  }
  return false;
}

}  // namespace wasi_socketd::testing
