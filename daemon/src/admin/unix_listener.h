// Creating a listening Unix socket at a path with a given mode, the way a daemon should: parent
// directory created if missing, a stale socket file replaced, a live one refused, the mode applied
// before bind() so no client can ever connect through wider permissions.
#pragma once

#include <sys/types.h>

#include <string>

namespace wasi_socketd::daemon {

// Returns the listening fd (SOCK_CLOEXEC | SOCK_NONBLOCK). Throws std::system_error.
int listen_unix(const std::string& path, mode_t mode, int backlog = 64);

}  // namespace wasi_socketd::daemon
