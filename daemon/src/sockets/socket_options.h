// The WIT socket options as syscalls on a socket fd, with the reference host's normalisation:
// zero -> invalid-argument, large values clamped (never refused), buffer sizes read back as set
// (Linux reports twice the value given to SO_RCVBUF/SO_SNDBUF; we halve it).
//
// Free functions over a plain fd; callers provide the threading (the owning socket's strand).
#pragma once

#include <cstdint>

#include "error_code.h"
#include "socket_address.h"

namespace wasi_socketd::sockets::options {

// One int-valued option (getsockopt/setsockopt), errors through errno_map as `option`.
Result<int> get_int(int fd, int level, int name);
Result<void> set_int(int fd, int level, int name, int value);

Result<std::uint8_t> hop_limit(int fd, Family family);
Result<void> set_hop_limit(int fd, Family family, std::uint8_t value);

Result<std::uint64_t> receive_buffer_size(int fd);
Result<void> set_receive_buffer_size(int fd, std::uint64_t value);
Result<std::uint64_t> send_buffer_size(int fd);
Result<void> set_send_buffer_size(int fd, std::uint64_t value);

Result<bool> keep_alive_enabled(int fd);
Result<void> set_keep_alive_enabled(int fd, bool value);
// Durations in nanoseconds, as in the WIT; the kernel keeps whole seconds (1 .. 32767).
Result<std::uint64_t> keep_alive_idle_time(int fd);
Result<void> set_keep_alive_idle_time(int fd, std::uint64_t nanoseconds);
Result<std::uint64_t> keep_alive_interval(int fd);
Result<void> set_keep_alive_interval(int fd, std::uint64_t nanoseconds);
Result<std::uint32_t> keep_alive_count(int fd);
Result<void> set_keep_alive_count(int fd, std::uint32_t value);

}  // namespace wasi_socketd::sockets::options
