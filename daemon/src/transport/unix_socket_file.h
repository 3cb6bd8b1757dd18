// A listening Unix socket at a path, created the way a daemon must: the parent directories created
// if missing (0755, whatever the umask), the mode applied before bind() so no client ever connects through wider
// permissions, a stale socket file (nobody accepts on it) replaced, a live one or any other file
// refused. On the way out, a daemon removes the path only while it still names its own socket:
// never one that a later daemon bound there. The one implementation for the tenant listeners
// and the admin socket. Plain functions; thread-safe.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace wasi_socketd::daemon {

// The socket file a listener created, told apart from any later file at the same path.
struct SocketFile {
  std::string path;
  dev_t device = 0;
  ino_t inode = 0;

  // Removes `path` if it is still this socket file; otherwise leaves it alone.
  void remove_if_ours() const;
};

struct ListeningSocket {
  int fd = -1;  // SOCK_CLOEXEC | SOCK_NONBLOCK, listening
  SocketFile file;
};

// Throws std::system_error naming the failing step: EADDRINUSE when a live process accepts on
// `path`, EEXIST when `path` is not a socket.
ListeningSocket listen_unix(const std::string& path, mode_t mode,
                            std::optional<uid_t> owner = std::nullopt,
                            std::optional<gid_t> group = std::nullopt, int backlog = 4096);

}  // namespace wasi_socketd::daemon
