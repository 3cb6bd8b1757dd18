#include "connection_monitor.h"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <system_error>
#include <vector>

namespace wasi_socketd::daemon {

namespace {

std::system_error errno_error(const char* what) {
  return std::system_error(errno, std::generic_category(), what);
}

}  // namespace

ConnectionMonitor::ConnectionMonitor() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) {
    throw errno_error("epoll_create1");
  }
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) {
    ::close(epoll_fd_);
    throw errno_error("eventfd");
  }
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = wake_fd_;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event);
  thread_ = std::thread([this] { run(); });
}

ConnectionMonitor::~ConnectionMonitor() {
  const std::uint64_t one = 1;
  [[maybe_unused]] ssize_t written = ::write(wake_fd_, &one, sizeof one);
  thread_.join();
  for (auto& [fd, closed] : watches_) {
    ::close(fd);
  }
  ::close(wake_fd_);
  ::close(epoll_fd_);
}

bool ConnectionMonitor::watch(int fd, std::function<void()> closed) {
  const int duplicate = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (duplicate < 0) {
    return false;
  }
  std::lock_guard lock(mutex_);
  epoll_event event{};
  event.events = 0;  // EPOLLHUP and EPOLLERR are always reported; nothing else is wanted
  event.data.fd = duplicate;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, duplicate, &event) != 0) {
    ::close(duplicate);
    return false;
  }
  watches_.emplace(duplicate, std::move(closed));
  return true;
}

std::size_t ConnectionMonitor::watched() const {
  std::lock_guard lock(mutex_);
  return watches_.size();
}

void ConnectionMonitor::run() {
  std::array<epoll_event, 64> events;
  for (;;) {
    const int count = ::epoll_wait(epoll_fd_, events.data(), events.size(), -1);
    if (count < 0) {
      if (errno == EINTR) {
        continue;
      }
      return;
    }
    std::vector<std::function<void()>> callbacks;
    {
      std::lock_guard lock(mutex_);
      for (int i = 0; i < count; ++i) {
        const int fd = events[i].data.fd;
        if (fd == wake_fd_) {
          return;
        }
        auto found = watches_.find(fd);
        if (found == watches_.end()) {
          continue;
        }
        callbacks.push_back(std::move(found->second));
        watches_.erase(found);
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
        ::close(fd);
      }
    }
    for (auto& closed : callbacks) {
      closed();
    }
  }
}

}  // namespace wasi_socketd::daemon
