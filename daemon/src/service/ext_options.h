// The options of wasi-socketd:sockets-ext behind SocketsExt.GetOption / SetOption: which socket
// kind has which option, which policy grant it needs, the before-bind rule, and the wire values
// mapped onto the socket core (sockets/socket_extensions.h). Strand only.
#pragma once

#include <optional>

#include "policy/extension_grants.h"
#include "sockets/socket_address.h"
#include "sockets/socket_policy.h"
#include "sockets/udp_socket.h"
#include "wasi_socketd/v1/sockets_ext.pb.h"

namespace wasi_socketd::daemon {

// One socket as the extension options see it.
struct ExtSocket {
  sockets::Protocol protocol;
  sockets::Family family;
  int fd;
  bool unbound;                       // set-ipv6-only and set-reuse-* work only in this state
  sockets::UdpSocket* udp = nullptr;  // UDP only: options the daemon keeps (multicast-interface)
};

// The grant `option` needs; nullopt for UNSPECIFIED, unknown values, and an option the
// `protocol`'s sockets do not have (then the call is INVALID_ARGUMENT).
std::optional<policy::Extension> extension_for(v1::ExtOption option, sockets::Protocol protocol);

// The getter of an option extension_for() accepted for the socket.
void get_ext_option(const ExtSocket& socket, v1::ExtOption option, v1::ExtOptionResponse& response);
// The setter: INVALID_ARGUMENT for values outside the WIT parameter's type (a bool over 1, a u8
// over 255) and for BYTES_AVAILABLE (no setter); INVALID_STATE for a before-bind option after
// bind.
v1::ErrorCode set_ext_option(const ExtSocket& socket, const v1::ExtSetOptionRequest& request);

}  // namespace wasi_socketd::daemon
