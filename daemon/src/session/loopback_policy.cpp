#include "loopback_policy.h"

namespace wasi_socketd::daemon {

bool LoopbackPolicy::allows(sockets::Protocol, sockets::Use use,
                            const sockets::SocketAddress& address) const {
  switch (use) {
    case sockets::Use::bind:
    case sockets::Use::listen:
      return address.ip.is_loopback() || address.ip.is_unspecified();
    case sockets::Use::connect:
    case sockets::Use::send:
    case sockets::Use::accept:
    case sockets::Use::receive:
      return address.ip.is_loopback();
  }
  return false;
}

}  // namespace wasi_socketd::daemon
