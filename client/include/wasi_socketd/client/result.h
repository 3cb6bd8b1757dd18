// Result<T>: a value or a client::ErrorCode, like the WIT's result<T, error-code>.
#pragma once

#include "wasi_socketd/client/error_code.h"
#include "wasi_socketd/common/result.h"

namespace wasi_socketd::client {

// Stands in for the WIT's `_` in result<_, error-code>.
struct Unit {};

template <typename T>
using Result = common::Result<T, ErrorCode>;

using Status = Result<Unit>;

inline Status ok_status() { return Unit{}; }

}  // namespace wasi_socketd::client
