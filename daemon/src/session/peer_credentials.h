// Who is on the other end of a client connection, as the kernel reports it (SO_PEERCRED).
#pragma once

#include <sys/types.h>

namespace wasi_socketd::daemon {

struct PeerCredentials {
  uid_t uid = 0;
  gid_t gid = 0;
  pid_t pid = 0;
};

}  // namespace wasi_socketd::daemon
