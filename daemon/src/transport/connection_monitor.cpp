#include "connection_monitor.h"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <system_error>
#include <utility>
#include <vector>

namespace wasi_socketd::daemon {

namespace {

std::system_error errno_error(const char* what) {
  return std::system_error(errno, std::generic_category(), what);
}

constexpr std::uint64_t kWakeUp = 0;

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
  event.data.u64 = kWakeUp;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event);
  thread_ = std::thread([this] { run(); });
}

ConnectionMonitor::~ConnectionMonitor() {
  const std::uint64_t one = 1;
  [[maybe_unused]] ssize_t written = ::write(wake_fd_, &one, sizeof one);
  thread_.join();
  ::close(wake_fd_);
  ::close(epoll_fd_);
}

std::uint64_t ConnectionMonitor::watch(int fd, std::function<void()> closed) {
  std::lock_guard lock(mutex_);
  const std::uint64_t number = next_watch_++;
  epoll_event event{};
  // EPOLLHUP and EPOLLERR are always reported; nothing else is wanted, and only once.
  event.events = EPOLLONESHOT;
  event.data.u64 = number;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
    return 0;
  }
  watches_.emplace(number, std::move(closed));
  return number;
}

void ConnectionMonitor::unwatch(std::uint64_t watch, int fd) {
  std::lock_guard lock(mutex_);
  if (watches_.erase(watch) != 0) {
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  }
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
        const std::uint64_t number = events[i].data.u64;
        if (number == kWakeUp) {
          return;
        }
        auto found = watches_.find(number);
        if (found == watches_.end()) {
          continue;  // unwatched meanwhile
        }
        // The entry stays until its owner unwatches it (before closing the fd); the callback is
        // used up, and the one-shot registration reports nothing more.
        callbacks.push_back(std::exchange(found->second, nullptr));
      }
    }
    for (auto& closed : callbacks) {
      if (closed) closed();
    }
  }
}

WatchedConnection::WatchedConnection(int fd, std::shared_ptr<ConnectionMonitor> monitor)
    : ClientConnection(::fcntl(fd, F_DUPFD_CLOEXEC, 0)), monitor_(std::move(monitor)) {}

WatchedConnection::~WatchedConnection() {
  if (watch_ != 0) monitor_->unwatch(watch_, this->fd());
}

bool WatchedConnection::watch(std::function<void()> closed) {
  if (!valid()) return false;
  watch_ = monitor_->watch(this->fd(), std::move(closed));
  return watch_ != 0;
}

}  // namespace wasi_socketd::daemon
