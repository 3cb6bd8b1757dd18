#include "unix_socket_file.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace wasi_socketd::daemon {
namespace {

[[noreturn]] void fail(int error, const std::string& what) {
  throw std::system_error(error, std::generic_category(), what);
}

sockaddr_un address_of(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof address.sun_path) {
    fail(ENAMETOOLONG, "socket path " + path);
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  return address;
}

// Whether a process accepts on `address`. Non-blocking, so a live daemon with a full backlog
// (EAGAIN) counts as live instead of stalling the probe.
bool accepts_connections(const sockaddr_un& address) {
  const int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (probe < 0) fail(errno, "socket");
  const int result = ::connect(probe, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  const int error = errno;
  ::close(probe);
  return result == 0 || error == EAGAIN || error == EINPROGRESS;
}

// A socket file nobody accepts on is left over from a crash: it may go. Anything else stays.
void remove_stale(const std::string& path, const sockaddr_un& address) {
  struct stat status {};
  if (::lstat(path.c_str(), &status) != 0) return;
  if (!S_ISSOCK(status.st_mode)) fail(EEXIST, path + " exists and is not a socket");
  if (accepts_connections(address)) fail(EADDRINUSE, path + " is in use by a running process");
  ::unlink(path.c_str());
}

// Creates the missing directories above a socket with mode 0755 whatever the umask: under a
// root umask of 077 they would be 0700, and no tenant could reach a socket its mode lets it
// use. Directories that exist are left as they are.
void create_parent_directories(const std::filesystem::path& parent) {
  std::filesystem::path partial;
  for (const auto& part : parent) {
    partial /= part;
    if (::mkdir(partial.c_str(), 0755) == 0) {
      if (::chmod(partial.c_str(), 0755) != 0) fail(errno, "chmod " + partial.string());
    } else if (errno != EEXIST) {
      fail(errno, "creating " + partial.string());
    }
  }
}

}  // namespace

void SocketFile::remove_if_ours() const {
  struct stat status {};
  if (path.empty() || ::lstat(path.c_str(), &status) != 0) return;
  if (status.st_dev == device && status.st_ino == inode) ::unlink(path.c_str());
}

ListeningSocket listen_unix(const std::string& path, mode_t mode, std::optional<uid_t> owner,
                            std::optional<gid_t> group, int backlog) {
  const auto address = address_of(path);
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) create_parent_directories(parent);
  remove_stale(path, address);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) fail(errno, "socket");
  const auto close_and_fail = [fd](const std::string& step) {
    const int error = errno;
    ::close(fd);
    fail(error, step);
  };
  // The socket file takes the socket inode's mode (minus umask) at bind(): set it first.
  if (::fchmod(fd, mode) != 0) close_and_fail("fchmod");
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    close_and_fail("binding " + path);
  }
  struct stat status {};
  if (::lstat(path.c_str(), &status) != 0) close_and_fail("stat " + path);
  ListeningSocket bound{fd, {path, status.st_dev, status.st_ino}};
  const auto undo = [&](const std::string& step) {
    const int error = errno;
    bound.file.remove_if_ours();
    ::close(fd);
    fail(error, step);
  };
  if (::chmod(path.c_str(), mode) != 0) undo("chmod " + path);
  if ((owner || group) && ::chown(path.c_str(), owner.value_or(static_cast<uid_t>(-1)),
                                  group.value_or(static_cast<gid_t>(-1))) != 0) {
    undo("chown " + path);
  }
  if (::listen(fd, backlog) != 0) undo("listening on " + path);
  return bound;
}

}  // namespace wasi_socketd::daemon
