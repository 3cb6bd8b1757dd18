// The WIT `error-code` of wasi:sockets/network, as the client library reports it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wasi_socketd/common/wit_error_codes.h"

namespace wasi_socketd::client {

// Values in WIT order (kUnknown = 0 ... kPermanentResolverFailure = 20), generated from the one
// table, then the client's own kSessionLost.
enum class ErrorCode : std::uint8_t {
#define WASI_SOCKETD_CLIENT_ENUMERATOR(core, client, wire, wit_name) k##client,
  WASI_SOCKETD_WIT_ERROR_CODES(WASI_SOCKETD_CLIENT_ENUMERATOR)
#undef WASI_SOCKETD_CLIENT_ENUMERATOR
  // Not a WIT code: the connection to the broker is gone (the session is dead). Embedders that
  // host a guest turn it into a trap; it is never a socket's fault.
  kSessionLost,
};
static_assert(static_cast<std::size_t>(ErrorCode::kSessionLost) == wit::kErrorCodeCount);

// The WIT name ("invalid-argument") or "session-lost"; "unknown" for a value outside the enum.
// The view is NUL-terminated and valid for the life of the process.
constexpr std::string_view to_string(ErrorCode code) {
  if (code == ErrorCode::kSessionLost) return "session-lost";
  const std::string_view name = wit::error_code_name(static_cast<std::size_t>(code));
  return name.empty() ? wit::kErrorCodeNames[0] : name;
}

}  // namespace wasi_socketd::client
