// The hook through which the tenancy layer decides what a session's sockets may do.
//
// The core asks the policy before every syscall that would use an address. Implementations must
// be callable from any thread (several sessions' strands share one policy object) and must not
// block: they are called on the event loop.
#pragma once

#include "socket_address.h"

namespace wasi_socketd::sockets {

enum class Protocol { tcp, udp };
enum class Use { bind, listen, connect, accept, send, receive };

class SocketPolicy {
 public:
  virtual ~SocketPolicy() = default;
  // True if the tenant may use `address` this way. Called before any syscall that would use it.
  // For implicit binds (connect/send on an unbound socket) it is asked for Use::bind with the
  // unspecified address of the family and port 0.
  // Denied bind/listen/connect/send -> access-denied, before the syscall. Denied accept: the
  // connection is reset and accept goes on with the next. Denied received datagram: dropped.
  virtual bool allows(Protocol protocol, Use use, const SocketAddress& address) const = 0;
  // The implicit bind of a connect to `target` (the kernel picks the local address): asked as
  // Use::bind of `local`; `target` only tells an audit what the bind was for.
  virtual bool allows_implicit_bind(Protocol protocol, const SocketAddress& local,
                                    const SocketAddress& target) const {
    (void)target;
    return allows(protocol, Use::bind, local);
  }
  // The kernel refused a datagram to `destination` with EACCES after allows() let it through:
  // a broadcast address on a socket without SO_BROADCAST (sockets-ext `broadcast`). For the
  // audit only; the send has already failed with access-denied.
  virtual void broadcast_refused(const SocketAddress& destination) const { (void)destination; }
};

// Allows everything. For tests and trusted embedders only.
class AllowAllPolicy final : public SocketPolicy {
 public:
  bool allows(Protocol, Use, const SocketAddress&) const override { return true; }
};

}  // namespace wasi_socketd::sockets
