// The policy in force when no --policy file is given (DESIGN.md decision 3): the daemon's own
// uid, through the main socket, gets loopback only — enough to develop and run every test guest.
#pragma once

#include <sys/types.h>

#include <memory>

#include "policy/policy.h"

namespace wasi_socketd::policy {

// One tenant "default" for `owner` (normally getuid() of the daemon):
//  - tcp, udp, name lookup on;
//  - bind: 127.0.0.0/8 and ::1 on ports >= 1024 or 0, plus the unspecified address with port 0
//    (implicit binds of connect/send are asked that way);
//  - listen on loopback; connect/send/accept/receive only with loopback peers;
//  - lookups of "localhost" and IP literals; nothing is lent below port 1024.
std::shared_ptr<const Policy> make_default_policy(uid_t owner);

}  // namespace wasi_socketd::policy
