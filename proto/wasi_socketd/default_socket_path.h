// Where the broker listens unless told otherwise; the daemon and every client agree on it.
#pragma once

#include <string>

namespace wasi_socketd {

// $WASI_SOCKETD_SOCKET if set; else /run/wasi-socketd/wasi-socketd.sock for root;
// else $XDG_RUNTIME_DIR/wasi-socketd.sock; else /tmp/wasi-socketd-<uid>.sock.
std::string default_socket_path();

}  // namespace wasi_socketd
