// The policy of the scale benchmarks: what the daemon's default policy grants (loopback TCP for
// this uid), with only the documented quota keys raised.
#pragma once

#include <filesystem>

namespace wasi_socketd::bench {

// Writes the policy to `path`: [tenant.quotas] sockets_per_session and sockets = `sockets`.
void write_scale_policy(const std::filesystem::path& path, int sockets);

}  // namespace wasi_socketd::bench
