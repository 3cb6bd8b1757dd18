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

// The longest SO_LINGER time the broker lends (sockets-ext `set-linger`): a dropped socket waits
// at most this long for its FIN to be acknowledged before it is closed (docs/SECURITY.md).
inline constexpr std::uint64_t kMaxLingerSeconds = 10;

// Whole seconds the kernel keeps for a WIT duration: rounded up, at least 1, at most `max`.
// Rounds without adding first: 2^64-1 ns must clamp to the limit, not wrap to 1 s.
constexpr std::uint64_t whole_seconds(std::uint64_t nanoseconds, std::uint64_t max) {
  const std::uint64_t seconds =
      nanoseconds / kNanosPerSecond + (nanoseconds % kNanosPerSecond != 0 ? 1 : 0);
  return std::clamp<std::uint64_t>(seconds, 1, max);
}

constexpr std::uint64_t keep_alive_seconds(std::uint64_t nanoseconds) {
  return whole_seconds(nanoseconds, kMaxKeepAliveSeconds);
}

// A positive linger time as SO_LINGER keeps it (0 stays 0: the abortive close).
constexpr std::uint64_t linger_seconds(std::uint64_t nanoseconds) {
  return whole_seconds(nanoseconds, kMaxLingerSeconds);
}

constexpr std::uint32_t keep_alive_count(std::uint32_t count) {
  return std::min(count, kMaxKeepAliveCount);
}

}  // namespace wasi_socketd
