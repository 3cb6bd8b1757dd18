// The WIT `wasi:sockets/network.error-code` and a small value-or-error result type.
//
// Plain values; no threading concerns.
#pragma once

#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

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

// A value of T or an ErrorCode (g++ 12 has no std::expected).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Result(ErrorCode error) : state_(std::in_place_index<1>, error) {}     // NOLINT: implicit

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Precondition: ok().
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Precondition: !ok().
  ErrorCode error() const { return std::get<1>(state_); }

 private:
  std::variant<T, ErrorCode> state_;
};

// Success without a value, or an ErrorCode.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(ErrorCode error) : error_(error), failed_(true) {}  // NOLINT: implicit

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  // Precondition: !ok().
  ErrorCode error() const { return error_; }

 private:
  ErrorCode error_ = ErrorCode::unknown;
  bool failed_ = false;
};

}  // namespace wasi_socketd::sockets
