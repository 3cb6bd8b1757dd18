// The control-call baseline: a bare gRPC unary echo over a Unix socket, served by its own process
// with the callback API (the same server API and socket kind the broker uses).
#pragma once

#include <sys/types.h>

#include <string>

namespace wasi_socketd::bench {

// Forks a process serving Echo on unix:`socket_path`; call before any other gRPC use in this
// process.
pid_t start_echo_server(const std::string& socket_path);

// Median round trips per second over `calls` sequential echo calls (after a warm-up).
double echo_calls_per_second(const std::string& socket_path, int calls);

}  // namespace wasi_socketd::bench
