// The wire form of the WIT error-code: v1::ErrorCode, checked case by case against the one table
// (wasi_socketd/common/wit_error_codes.h). Both ends convert through here.
#pragma once

#include <cstddef>
#include <optional>

#include "wasi_socketd/common/wit_error_codes.h"
#include "wasi_socketd/v1/network.pb.h"

namespace wasi_socketd::wire {

// protoc generates the enum from network.proto; each value must be 1 + the case's WIT index, and
// there must be no other value than ERROR_CODE_UNSPECIFIED (0, "no error").
#define WASI_SOCKETD_CHECK_WIRE_VALUE(core, client, wire, wit_name)                        \
  static_assert(v1::ERROR_CODE_##wire == wit::wire_value(wit::error_code_index(wit_name)), \
                "v1::ErrorCode is not in the WIT order of wit_error_codes.h: " wit_name);
WASI_SOCKETD_WIT_ERROR_CODES(WASI_SOCKETD_CHECK_WIRE_VALUE)
#undef WASI_SOCKETD_CHECK_WIRE_VALUE
static_assert(v1::ErrorCode_ARRAYSIZE == wit::wire_value(wit::kErrorCodeCount),
              "v1::ErrorCode has a value that wit_error_codes.h does not list");

// The wire value of the case at WIT index `index` (< wit::kErrorCodeCount).
constexpr v1::ErrorCode to_wire(std::size_t index) {
  return static_cast<v1::ErrorCode>(wit::wire_value(index));
}

// The WIT index of a wire value; nullopt for UNSPECIFIED and for values this build does not know.
constexpr std::optional<std::size_t> wit_index_of(v1::ErrorCode code) {
  const int value = static_cast<int>(code);
  if (value < wit::wire_value(0) || value >= wit::wire_value(wit::kErrorCodeCount)) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(value - wit::wire_value(0));
}

}  // namespace wasi_socketd::wire
