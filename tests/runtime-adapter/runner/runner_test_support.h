// Shared pieces of the wasi-socket-run tests: paths of the built programs and guests, a temporary
// directory, a daemon on a temporary socket, and a plain HTTP client for the example server guest.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "child_process.h"
#include "temp_directory.h"

namespace wasi_socketd::adapter::test {

inline constexpr auto kRunTimeout = 60s;  // a whole guest run, transpile included

// {build/bin/wasi-socket-run, --cache-dir <test cache>, args...}
std::vector<std::string> runner_command(const std::vector<std::string>& args);
// build/guests/NAME.wasm
std::string guest_path(std::string_view name);
// build/bin/wasi-socketd
std::string daemon_path();

// Starts `wasi-socketd --listen SOCKET [EXTRA_ARGS...]` (default policy unless they name one) and
// waits for its READY=1.
std::unique_ptr<ChildProcess> start_daemon(const std::string& socket_path,
                                           const std::vector<std::string>& extra_args = {});

// The port of the http_server guest's "listening on 127.0.0.1:PORT" line; 0 if absent.
uint16_t listening_port(const std::string& output);

// GET PATH over a fresh loopback connection with "Connection: close"; the whole response, or ""
// when the connection fails.
std::string http_get(uint16_t port, std::string_view path);

}  // namespace wasi_socketd::adapter::test
