// Where the admin socket lives unless told otherwise: next to the broker socket, so a deployment
// that moves one moves both. Shared by the daemon and wasi-socketctl.
#pragma once

#include <optional>
#include <string>

namespace wasi_socketd::daemon {

// "/run/wasi-socketd/wasi-socketd.sock" -> "/run/wasi-socketd/wasi-socketd.admin.sock"; a path
// without the ".sock" suffix gets ".admin.sock" appended.
std::string admin_socket_path_for(const std::string& broker_socket_path);

// $WASI_SOCKETD_ADMIN_SOCKET if set, else admin_socket_path_for(default_socket_path()).
std::string default_admin_socket_path();

// Why wasi-socketctl should not send its commands (and policy files) to
// default_admin_socket_path(), or nullopt: untrusted_socket_reason for a socket file that is there,
// unless $WASI_SOCKETD_ADMIN_SOCKET or $WASI_SOCKETD_SOCKET named it (the user's choice). A
// non-root user's default is next to /tmp/wasi-socketd-UID.sock, where any local user can create it
// first.
std::optional<std::string> untrusted_default_admin_socket_reason();

}  // namespace wasi_socketd::daemon
