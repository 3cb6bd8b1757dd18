// The WIT `wasi:sockets/network.error-code` and the value-or-error result type of the core.
//
// Plain values; no threading concerns.
#pragma once

#include <string_view>

#include "wasi_socketd/common/result.h"
#include "wasi_socketd/common/wit_error_codes.h"

namespace wasi_socketd::sockets {

// Exactly the cases of WIT `error-code`, in WIT order (generated from the one table).
enum class ErrorCode {
#define WASI_SOCKETD_CORE_ENUMERATOR(core, client, wire, wit_name) core,
  WASI_SOCKETD_WIT_ERROR_CODES(WASI_SOCKETD_CORE_ENUMERATOR)
#undef WASI_SOCKETD_CORE_ENUMERATOR
};

// The WIT spelling, e.g. "access-denied". For logs and test messages.
constexpr std::string_view to_string(ErrorCode code) {
  const std::string_view name = wit::error_code_name(static_cast<std::size_t>(code));
  return name.empty() ? wit::kErrorCodeNames[0] : name;
}

// A value of T or an ErrorCode.
template <class T>
using Result = common::Result<T, ErrorCode>;

}  // namespace wasi_socketd::sockets
