// Per-call costs of single WIT calls in a guest (tests/bench/guests/tcp_calls.c) on one host.
#pragma once

#include <map>
#include <string>

#include "runner_host.h"

namespace wasi_socketd::bench {

// The control calls issue 11 compares with preview2-shim, and the calls it wants local (≤ 5 µs).
inline const char* const kGuestControlOps[] = {"local_address", "set_keep_alive_enabled",
                                               "set_receive_buffer_size", "connect", "accept"};
inline const char* const kGuestLocalOps[] = {"check_write", "pollable_ready", "empty_read",
                                             "subscribe_drop"};

// Runs tcp_calls CALLS CONNECTS on `host`; returns ns per call by op name (every op above).
std::map<std::string, double> guest_call_ns(const RunnerHost& host, int calls, int connects);

}  // namespace wasi_socketd::bench
