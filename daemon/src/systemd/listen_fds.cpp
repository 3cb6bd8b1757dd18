#include "systemd/listen_fds.h"

#include <sys/socket.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cstdlib>
#include <utility>

namespace wasi_socketd::systemd {
namespace {

bool is_unix_stream_listener(int fd) {
  return sd_is_socket_unix(fd, SOCK_STREAM, /*listening=*/1, nullptr, 0) > 0;
}

// The names systemd uses when a socket unit has no FileDescriptorName=.
bool is_default_name(std::string_view name) {
  return name.empty() || name == "unknown" || name.ends_with(".socket");
}

}  // namespace

InheritedSockets InheritedSockets::from_environment() {
  char** names = nullptr;
  // unset_environment=1; sd_listen_fds sets FD_CLOEXEC on every fd it returns.
  const int count = sd_listen_fds_with_names(1, &names);
  std::vector<InheritedSocket> sockets;
  for (int i = 0; i < count; ++i) {
    sockets.push_back({SD_LISTEN_FDS_START + i, names && names[i] ? names[i] : "unknown"});
  }
  if (names) {
    for (int i = 0; names[i]; ++i) std::free(names[i]);
    std::free(names);
  }
  return InheritedSockets(std::move(sockets));
}

InheritedSockets::InheritedSockets(std::vector<InheritedSocket> sockets)
    : sockets_(std::move(sockets)) {}

InheritedSockets::InheritedSockets(InheritedSockets&& other) noexcept
    : sockets_(std::exchange(other.sockets_, {})) {}

InheritedSockets& InheritedSockets::operator=(InheritedSockets&& other) noexcept {
  if (this != &other) {
    for (const auto& socket : sockets_) ::close(socket.fd);
    sockets_ = std::exchange(other.sockets_, {});
  }
  return *this;
}

InheritedSockets::~InheritedSockets() {
  for (const auto& socket : sockets_) ::close(socket.fd);
}

std::optional<int> InheritedSockets::take_unix_listener(std::string_view name) {
  auto found = sockets_.end();
  for (auto it = sockets_.begin(); it != sockets_.end(); ++it) {
    if (it->name == name) found = it;
  }
  if (found == sockets_.end() && sockets_.size() == 1 && is_default_name(sockets_[0].name)) {
    found = sockets_.begin();
  }
  if (found == sockets_.end() || !is_unix_stream_listener(found->fd)) return std::nullopt;
  const int fd = found->fd;
  sockets_.erase(found);
  return fd;
}

}  // namespace wasi_socketd::systemd
