// Who is on the other end of a client connection: the kernel's SO_PEERCRED answer plus the
// listening socket the connection arrived through. Never taken from anything the client says.
#pragma once

#include <sys/types.h>

#include <string>

namespace wasi_socketd::policy {

struct PeerIdentity {
  uid_t uid = 0;
  gid_t gid = 0;
  pid_t pid = 0;
  std::string listener;  // ListenerDefinition::name, "main" for --listen
};

}  // namespace wasi_socketd::policy
