// Reads a connected Unix socket's peer credentials from the kernel (SO_PEERCRED).
// Any thread.
#pragma once

#include <optional>

#include "session/peer_credentials.h"

namespace wasi_socketd::daemon {

// nullopt if the kernel cannot tell (not a Unix socket, or the peer is gone).
std::optional<PeerCredentials> read_peer_credentials(int fd);

}  // namespace wasi_socketd::daemon
