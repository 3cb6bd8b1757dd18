// The socket policy of the default tenant (DESIGN.md decision 3): loopback only.
//   bind/listen: a loopback or a wildcard address (a wildcard listener still only accepts
//                loopback peers; implicit binds ask for the wildcard);
//   connect/send/accept/receive: the peer must be on loopback.
// Stateless, so callable from any thread. The "policy" part replaces it when a policy is
// configured.
#pragma once

#include "sockets/socket_policy.h"

namespace wasi_socketd::daemon {

class LoopbackPolicy final : public sockets::SocketPolicy {
 public:
  bool allows(sockets::Protocol protocol, sockets::Use use,
              const sockets::SocketAddress& address) const override;
};

// Refuses everything: the policy of a client the daemon does not know.
class DenyAllPolicy final : public sockets::SocketPolicy {
 public:
  bool allows(sockets::Protocol, sockets::Use, const sockets::SocketAddress&) const override {
    return false;
  }
};

}  // namespace wasi_socketd::daemon
