// Shared pieces of the wasi-socket-run tests: paths of the built programs and guests, and a plain
// HTTP client for the example server guest. Child processes, temporary directories and the daemon
// come from tests/support.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "child_process.h"
#include "daemon_process.h"
#include "temp_directory.h"

namespace wasi_socketd::adapter::test {

using namespace std::chrono_literals;
using testing::child_processes;
using testing::ChildProcess;
using testing::command_line;
using testing::DaemonOptions;
using testing::DaemonProcess;
using testing::eventually;
using testing::process_running;
using testing::ProcessResult;

inline constexpr auto kRunTimeout = 60s;  // a whole guest run, transpile included

// {build/bin/wasi-socket-run, --cache-dir <test cache>, args...}
std::vector<std::string> runner_command(const std::vector<std::string>& args);
// build/guests/NAME.wasm
std::string guest_path(std::string_view name);

// The port of the http_server guest's "listening on 127.0.0.1:PORT" line; 0 if absent.
uint16_t listening_port(const std::string& output);

// GET PATH over a fresh loopback connection with "Connection: close"; the whole response, or ""
// when the connection fails.
std::string http_get(uint16_t port, std::string_view path);

}  // namespace wasi_socketd::adapter::test
