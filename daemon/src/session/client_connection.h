// The client connection a session belongs to, as the daemon holds it beside gRPC: a duplicate of
// the connection's fd, kept for the session's whole life.
//
// Because the duplicate keeps the kernel socket alive, its inode names this connection and no
// other for as long as the session exists, whatever happens to gRPC's own fd number (the kernel
// reuses numbers as soon as gRPC closes its copy). close() shuts the socket down through the
// duplicate: the client sees EOF and gRPC a hang-up, which ends every call on the connection.
// Thread-safe; any thread. The transport may derive from it to unhook the duplicate from whatever
// watches it before it is closed.
#pragma once

#include <sys/types.h>

#include <memory>

namespace wasi_socketd::daemon {

class ClientConnection {
 public:
  // A duplicate of the connected socket `fd` (which stays the caller's), or null if it cannot be
  // duplicated (out of fds): the connection should then be refused.
  static std::unique_ptr<ClientConnection> duplicate(int fd);
  // Takes ownership of `duplicate`, a duplicate of the connection's fd; check valid().
  explicit ClientConnection(int duplicate);
  virtual ~ClientConnection();
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;

  bool valid() const { return inode_ != 0; }
  // The duplicate (owned by this object).
  int fd() const { return fd_; }
  // Whether the descriptor `fd` of this process refers to this very connection right now.
  bool is(int fd) const;
  // Shuts the connection down both ways. Idempotent.
  void close() const;

 private:
  const int fd_;
  const ino_t inode_;
};

}  // namespace wasi_socketd::daemon
