#include "peer_credentials.h"

#include <sys/socket.h>

namespace wasi_socketd::daemon {

std::optional<PeerCredentials> read_peer_credentials(int fd) {
  ucred credentials{};
  socklen_t length = sizeof credentials;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0 ||
      length != sizeof credentials) {
    return std::nullopt;
  }
  return PeerCredentials{credentials.uid, credentials.gid, credentials.pid};
}

}  // namespace wasi_socketd::daemon
