// The WIT's tcp-socket option accessors behind Tcp.GetOption / Tcp.SetOption: the wire enum
// mapped onto the socket core. Values outside the WIT parameter's type (a hop limit over 255, a
// count over u32) are INVALID_ARGUMENT; the core clamps what the type allows. Strand only.
#pragma once

#include "sockets/tcp_socket.h"
#include "wasi_socketd/v1/tcp.pb.h"

namespace wasi_socketd::daemon {

void get_tcp_option(const sockets::TcpSocket& socket, v1::TcpOption option,
                    v1::OptionValueResponse& response);
v1::ErrorCode set_tcp_option(sockets::TcpSocket& socket, v1::TcpOption option, std::uint64_t value);

}  // namespace wasi_socketd::daemon
