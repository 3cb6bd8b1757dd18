// Creating kernel sockets the way every WASI socket needs them.
//
// Pure syscalls; callable from any thread.
#pragma once

#include "error_code.h"
#include "socket_address.h"

namespace wasi_socketd::sockets {

// A non-blocking, close-on-exec socket of `type` (SOCK_STREAM / SOCK_DGRAM); IPv6 sockets are
// IPV6_V6ONLY, as the WIT's address-family rules need. The caller owns the returned fd.
Result<int> open_kernel_socket(Family family, int type);

// Where the kernel bound `fd` (getsockname).
Result<SocketAddress> kernel_local_address(int fd);

}  // namespace wasi_socketd::sockets
