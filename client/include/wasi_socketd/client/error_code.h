// The WIT `error-code` of wasi:sockets/network, as the client library reports it.
#pragma once

#include <cstdint>
#include <string_view>

namespace wasi_socketd::client {

// Values in WIT order (unknown = 0 ... permanent-resolver-failure = 20).
enum class ErrorCode : std::uint8_t {
  kUnknown,
  kAccessDenied,
  kNotSupported,
  kInvalidArgument,
  kOutOfMemory,
  kTimeout,
  kConcurrencyConflict,
  kNotInProgress,
  kWouldBlock,
  kInvalidState,
  kNewSocketLimit,
  kAddressNotBindable,
  kAddressInUse,
  kRemoteUnreachable,
  kConnectionRefused,
  kConnectionReset,
  kConnectionAborted,
  kDatagramTooLarge,
  kNameUnresolvable,
  kTemporaryResolverFailure,
  kPermanentResolverFailure,
  // Not a WIT code: the connection to the broker is gone (the session is dead). Embedders that
  // host a guest turn it into a trap; it is never a socket's fault.
  kSessionLost,
};

// The WIT name ("invalid-argument") or "session-lost"; "unknown" for a value outside the enum.
// The view is NUL-terminated and valid for the life of the process.
std::string_view to_string(ErrorCode code);

}  // namespace wasi_socketd::client
