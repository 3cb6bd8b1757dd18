#include "wasi_socketd/client/error_code.h"

#include <array>

namespace wasi_socketd::client {

std::string_view to_string(ErrorCode code) {
  static constexpr std::array<std::string_view, 22> kNames = {
      "unknown",
      "access-denied",
      "not-supported",
      "invalid-argument",
      "out-of-memory",
      "timeout",
      "concurrency-conflict",
      "not-in-progress",
      "would-block",
      "invalid-state",
      "new-socket-limit",
      "address-not-bindable",
      "address-in-use",
      "remote-unreachable",
      "connection-refused",
      "connection-reset",
      "connection-aborted",
      "datagram-too-large",
      "name-unresolvable",
      "temporary-resolver-failure",
      "permanent-resolver-failure",
      "session-lost",
  };
  const auto index = static_cast<std::size_t>(code);
  return index < kNames.size() ? kNames[index] : "unknown";
}

}  // namespace wasi_socketd::client
