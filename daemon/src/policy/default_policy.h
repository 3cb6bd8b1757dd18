// The policy in force when no --policy file is given (DESIGN.md decision 3): the daemon's own
// uid, through the main socket, gets loopback only — enough to develop and run every test guest.
#pragma once

#include <sys/types.h>

#include <memory>

#include "policy/policy.h"

namespace wasi_socketd::policy {

// One tenant "default" for `owner` (normally the daemon's effective uid):
//  - tcp, udp, name lookup on;
//  - bind and listen: loopback (127.0.0.0/8, ::1) or the wildcard (0.0.0.0, ::), ports 0 or
//    >= 1024 (implicit binds are asked as the wildcard with port 0);
//  - connect/send/accept/receive only with loopback peers, so even a wildcard socket talks to
//    this host only;
//  - lookups of "localhost" and IP literals; nothing is lent below port 1024.
std::shared_ptr<const Policy> make_default_policy(uid_t owner);

}  // namespace wasi_socketd::policy
