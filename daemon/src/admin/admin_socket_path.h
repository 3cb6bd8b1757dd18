// Where the admin socket lives unless told otherwise: next to the broker socket, so a deployment
// that moves one moves both. Shared by the daemon and wasi-socketctl.
#pragma once

#include <string>

namespace wasi_socketd::daemon {

// "/run/wasi-socketd/wasi-socketd.sock" -> "/run/wasi-socketd/wasi-socketd.admin.sock"; a path
// without the ".sock" suffix gets ".admin.sock" appended.
std::string admin_socket_path_for(const std::string& broker_socket_path);

// $WASI_SOCKETD_ADMIN_SOCKET if set, else admin_socket_path_for(default_socket_path()).
std::string default_admin_socket_path();

}  // namespace wasi_socketd::daemon
