// The C ABI form of the WIT error-code: WSD_ERR_* of adapter.h (a C header, so written out
// there), checked case by case against the one table (wasi_socketd/common/wit_error_codes.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "wasi_socketd/adapter.h"
#include "wasi_socketd/common/wit_error_codes.h"

namespace wasi_socketd::adapter {

// Each WSD_ERR_* must be 1 + the case's WIT index, and the codes must end at the last case.
#define WASI_SOCKETD_CHECK_ABI_VALUE(core, client, wire, wit_name)                  \
  static_assert(WSD_ERR_##wire == wit::wire_value(wit::error_code_index(wit_name)), \
                "WSD_ERR_* are not in the WIT order of wit_error_codes.h: " wit_name);
WASI_SOCKETD_WIT_ERROR_CODES(WASI_SOCKETD_CHECK_ABI_VALUE)
#undef WASI_SOCKETD_CHECK_ABI_VALUE
static_assert(WSD_ERR_PERMANENT_RESOLVER_FAILURE + 1 == wit::wire_value(wit::kErrorCodeCount),
              "adapter.h's last WSD_ERR_* is not the last WIT error-code");

// The WSD_ERR_* of the case at WIT index `index` (< wit::kErrorCodeCount).
constexpr std::int32_t abi_error_code(std::size_t index) { return wit::wire_value(index); }

// The WIT index of a WSD_ERR_* status; nullopt for WSD_OK, stream codes and traps.
constexpr std::optional<std::size_t> wit_index_of_status(std::int32_t status) {
  if (status < WSD_ERR_UNKNOWN || status > WSD_ERR_PERMANENT_RESOLVER_FAILURE) return std::nullopt;
  return static_cast<std::size_t>(status - WSD_ERR_UNKNOWN);
}

}  // namespace wasi_socketd::adapter
