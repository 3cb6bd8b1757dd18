// Result<T, E>: a value of T or an error E, like the WIT's result<T, error-code> (g++ 12 has no
// std::expected). The daemon core and the client library each alias it with their own ErrorCode.
// Plain values; no threading concerns.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

namespace wasi_socketd::common {

template <class T, class E>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: like ok(...)
  Result(E error) : state_(std::in_place_index<1>, error) {}             // NOLINT: like err(...)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Precondition: ok().
  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Precondition: !ok().
  E error() const {
    assert(!ok());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, E> state_;
};

// Success without a value, or an error.
template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  Result(E error) : error_(error), failed_(true) {}  // NOLINT: implicit like err(...)

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }

  // Precondition: !ok().
  E error() const {
    assert(!ok());
    return error_;
  }

 private:
  E error_{};
  bool failed_ = false;
};

}  // namespace wasi_socketd::common
