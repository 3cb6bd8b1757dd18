// How the broker turns a WIT option value into what the getter reports afterwards, for the
// options whose outcome does not depend on the host: the daemon applies these rules and the
// client predicts with them, so a pipelined setter's effect is visible before its reply.
// (Buffer sizes depend on the host's sysctls: the daemon reports them in the setter's reply.)
#pragma once

#include <algorithm>
#include <cstdint>

namespace wasi_socketd {

inline constexpr std::uint64_t kNanosPerSecond = 1'000'000'000;
// Linux's limits for TCP_KEEPIDLE/TCP_KEEPINTVL (seconds) and TCP_KEEPCNT.
inline constexpr std::uint64_t kMaxKeepAliveSeconds = 32767;
inline constexpr std::uint32_t kMaxKeepAliveCount = 127;

// Whole seconds the kernel keeps for a WIT duration: rounded up, at least 1, at most the kernel's
// limit. Rounds without adding first: 2^64-1 ns must clamp to the limit, not wrap to 1 s.
constexpr std::uint64_t keep_alive_seconds(std::uint64_t nanoseconds) {
  const std::uint64_t seconds =
      nanoseconds / kNanosPerSecond + (nanoseconds % kNanosPerSecond != 0 ? 1 : 0);
  return std::clamp<std::uint64_t>(seconds, 1, kMaxKeepAliveSeconds);
}

constexpr std::uint32_t keep_alive_count(std::uint32_t count) {
  return std::min(count, kMaxKeepAliveCount);
}

}  // namespace wasi_socketd
