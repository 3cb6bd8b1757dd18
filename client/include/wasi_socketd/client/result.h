// Result<T>: a value or a client::ErrorCode, like the WIT's result<T, error-code>.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "wasi_socketd/client/error_code.h"

namespace wasi_socketd::client {

// Stands in for the WIT's `_` in result<_, error-code>.
struct Unit {};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit like the WIT's ok(...)
  Result(ErrorCode error) : v_(error) {}     // NOLINT: implicit like the WIT's err(...)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const {
    assert(ok());
    return std::get<0>(v_);
  }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  ErrorCode error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, ErrorCode> v_;
};

using Status = Result<Unit>;

inline Status ok_status() { return Unit{}; }

}  // namespace wasi_socketd::client
