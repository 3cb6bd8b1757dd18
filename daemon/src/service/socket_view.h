// What a socket's getters answer, read at once on the daemon's socket: the view that the calls
// which change a socket return, so that the client answers local-address, remote-address,
// is-listening and the option getters itself (docs/PROTOCOL.md, "Getters"). Strand only.
#pragma once

#include "sockets/tcp_socket.h"
#include "sockets/udp_socket.h"
#include "wasi_socketd/v1/tcp.pb.h"
#include "wasi_socketd/v1/udp.pb.h"

namespace wasi_socketd::daemon {

v1::TcpSocketView describe(const sockets::TcpSocket& socket);
v1::UdpSocketView describe(const sockets::UdpSocket& socket);

}  // namespace wasi_socketd::daemon
