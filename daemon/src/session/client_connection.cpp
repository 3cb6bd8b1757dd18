#include "client_connection.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wasi_socketd::daemon {
namespace {

// The socket's inode; 0 when `fd` is not open.
ino_t inode_of(int fd) {
  struct stat status {};
  return ::fstat(fd, &status) == 0 ? status.st_ino : 0;
}

}  // namespace

std::unique_ptr<ClientConnection> ClientConnection::duplicate(int fd) {
  const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) return nullptr;
  const ino_t inode = inode_of(copy);
  if (inode == 0) {
    ::close(copy);
    return nullptr;
  }
  return std::unique_ptr<ClientConnection>(new ClientConnection(copy, inode));
}

ClientConnection::~ClientConnection() { ::close(fd_); }

bool ClientConnection::is(int fd) const { return inode_of(fd) == inode_; }

void ClientConnection::close() const { ::shutdown(fd_, SHUT_RDWR); }

}  // namespace wasi_socketd::daemon
