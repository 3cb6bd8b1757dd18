#include "policy/network_namespace.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace wasi_socketd::policy {

std::shared_ptr<NetworkNamespace> NetworkNamespace::open(const std::string& path,
                                                         std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = path + ": " + std::strerror(errno);
    return nullptr;
  }
  // Probe: entering and leaving at once proves it is a network namespace we may enter.
  std::shared_ptr<NetworkNamespace> netns(new NetworkNamespace(fd, path));
  if (!netns->enter().ok()) {
    error = path + ": not a network namespace this daemon can enter (" + std::strerror(errno) + ")";
    return nullptr;
  }
  return netns;
}

NetworkNamespace::~NetworkNamespace() { ::close(fd_); }

NetworkNamespace::Entry NetworkNamespace::enter() const {
  const int own = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (own < 0) return Entry(-1, false);
  if (::setns(fd_, CLONE_NEWNET) != 0) {
    const int saved = errno;
    ::close(own);
    errno = saved;
    return Entry(-1, false);
  }
  return Entry(own, true);
}

NetworkNamespace::Entry::~Entry() {
  if (return_fd_ < 0) return;
  // Failing to come back would leave an event-loop thread in a tenant's namespace: every later
  // socket of every tenant would be created there. Nothing sane can continue after that.
  if (::setns(return_fd_, CLONE_NEWNET) != 0) std::abort();
  ::close(return_fd_);
}

}  // namespace wasi_socketd::policy
