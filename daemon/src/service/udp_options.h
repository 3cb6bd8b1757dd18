// The WIT's udp-socket option accessors behind Udp.GetOption / Udp.SetOption: the wire enum
// mapped onto the socket core. A hop limit over 255 is INVALID_ARGUMENT; the core clamps what
// the type allows. Strand only.
#pragma once

#include "sockets/udp_socket.h"
#include "wasi_socketd/v1/udp.pb.h"

namespace wasi_socketd::daemon {

void get_udp_option(const sockets::UdpSocket& socket, v1::UdpOption option,
                    v1::OptionValueResponse& response);
v1::ErrorCode set_udp_option(sockets::UdpSocket& socket, v1::UdpOption option, std::uint64_t value);

}  // namespace wasi_socketd::daemon
