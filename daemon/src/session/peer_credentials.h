// Who is on the other end of a client connection, as the kernel reports it (SO_PEERCRED), and
// which of the daemon's listening sockets the connection came through.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace wasi_socketd::daemon {

struct PeerCredentials {
  uid_t uid = 0;
  gid_t gid = 0;
  pid_t pid = 0;
  std::string listener = "main";  // "main" (--listen) or a [[listener]] name of the policy
  std::int64_t connected_at_unix_seconds = 0;  // when the daemon accepted the connection
};

}  // namespace wasi_socketd::daemon
