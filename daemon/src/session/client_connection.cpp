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
  auto connection = std::make_unique<ClientConnection>(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
  return connection->valid() ? std::move(connection) : nullptr;
}

ClientConnection::ClientConnection(int duplicate) : fd_(duplicate), inode_(inode_of(duplicate)) {}

ClientConnection::~ClientConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool ClientConnection::is(int fd) const { return inode_ != 0 && inode_of(fd) == inode_; }

void ClientConnection::close() const { ::shutdown(fd_, SHUT_RDWR); }

}  // namespace wasi_socketd::daemon
