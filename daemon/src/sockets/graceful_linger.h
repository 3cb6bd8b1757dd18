// A positive SO_LINGER without a blocking close. Linux's close() of a socket with SO_LINGER = t > 0
// sends the FIN and then sleeps until it is acknowledged or t passes (even on a non-blocking
// socket): on the daemon's io threads that would stall every session. The broker instead keeps
// the guest's t on the kernel socket (so it reads back and shows from outside), shuts the socket
// down for sending itself, watches the FIN from its event loop (TcpSocket::close_after), and
// turns the linger off right before close(), which then returns at once and leaves the kernel to
// finish as an orphan, as Linux does once t passed. A linger of 0 (abortive close, RST) is kept.
//
// Pure syscalls on an fd; callable from any thread. None of them blocks.
#pragma once

#include <chrono>
#include <optional>

namespace wasi_socketd::sockets {

// The SO_LINGER time of `fd` when it is on and positive; nullopt for off and for 0 (abortive).
std::optional<std::chrono::seconds> graceful_linger_time(int fd);

// Turns a positive SO_LINGER off so that close(fd) cannot block; an abortive (0) linger stays.
// Every path that closes a TCP socket's fd calls this first.
void disarm_graceful_linger(int fd);

// Whether the FIN of a socket shut down for sending has been acknowledged (or the connection is
// gone): the point where Linux's lingering close() would return.
bool fin_acknowledged(int fd);

}  // namespace wasi_socketd::sockets
